#!/usr/bin/env bash
# ctest entry for the consensus-spec reference tests: runs `kzgkit check-vectors DIR`.
# DIR comes from the CMake cache variable KZGKIT_REFERENCE_TESTS (default ../shared/
# kzg-reference-tests beside the source tree). When DIR is absent the test is skipped:
# exit 77, which test/CMakeLists.txt registers as ctest's SKIP_RETURN_CODE.
# KZGKIT_RUN_PREFIX (set by ctest in cross builds: the emulator, e.g. "qemu-aarch64 -L /")
# goes in front of the binary.
set -uo pipefail
cli="${1:?usage: run-vectors.sh PATH/TO/kzgkit DIR}"
dir="${2:-}"
if [ -z "$dir" ] || [ ! -d "$dir" ]; then
  echo "reference tests: '$dir' is absent — SKIPPED: configure with" \
       "-DKZGKIT_REFERENCE_TESTS=/path/to/kzg-reference-tests (the CMake cache variable)"
  exit 77
fi
# shellcheck disable=SC2086 # the prefix is a command and its arguments
exec ${KZGKIT_RUN_PREFIX:-} "$cli" check-vectors "$dir"

#!/usr/bin/env bash
# scripts/pgo.sh [--lto] [--cli-only] — a profile-guided build of kzgkit (GCC; `make pgo`).
#   1. build-pgo-gen: an instrumented build (KZGKIT_PGO=GENERATE) of the CLI;
#   2. the workload: the CLI's EIP-4844 and EIP-7594 bench suites (--quick: every operation
#      on 1 and 2 threads, as the suites define them), once on the backend the CPU gets by
#      default and once more on x86_64-mulx-adx when the CPU has a wider one (IFMA), so that
#      both the IFMA and the mulx/adx kernels' callers are profiled;
#   3. build-pgo: everything rebuilt with that profile (KZGKIT_PGO=USE), warnings as errors.
# --lto does both builds with KZGKIT_LTO=ON too (build-pgo-lto-gen, build-pgo-lto).
# --cli-only builds only the CLI in step 3 (for measuring it with `kzgkit ab`).
# What the profile bought on the reference machine: docs/PERFORMANCE.md §11.
#   JOBS=N         build parallelism (default: the CPUs)
#   CMAKE_FLAGS=…  further options for both configures (they must be the same for both)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jobs="${JOBS:-$(nproc 2>/dev/null || echo 2)}"
name=pgo lto=OFF target=()
for a in "$@"; do
  case "$a" in
    --lto) lto=ON name=pgo-lto ;;
    --cli-only) target=(--target kzgkit_cli) ;;
    *) echo "usage: scripts/pgo.sh [--lto] [--cli-only]" >&2; exit 2 ;;
  esac
done
gen="$root/build-$name-gen"
use="$root/build-$name"
profile="$gen/pgo-profile"
# shellcheck disable=SC2206 # CMAKE_FLAGS is a list of options, split on purpose
common=(-DCMAKE_BUILD_TYPE=Release -DKZGKIT_WERROR=ON -DKZGKIT_LTO="$lto" ${CMAKE_FLAGS:-})

echo "== pgo: instrumented build in $gen"
cmake -S "$root" -B "$gen" "${common[@]}" -DKZGKIT_PGO=GENERATE -DKZGKIT_PGO_DIR="$profile" >/dev/null
cmake --build "$gen" -j "$jobs" --target kzgkit_cli
# The profile is the workload's alone: not the build's own run of the setup generator, not
# an earlier run's.
rm -rf "$profile"

# The workload. ctx_new and the operations of both suites; the ids carry the thread counts.
ops='^(ctx_new|blob_to_kzg_commitment|compute_kzg_proof|compute_blob_kzg_proof|verify_kzg_proof|verify_blob_kzg_proof|process_blobs|compute_cells|verify_cell_kzg_proof_batch|recover_cells)'
run_suites() {
  echo "== pgo: workload on backend $("$gen/kzgkit" info | sed -n 's/^backend: *//p')"
  "$gen/kzgkit" bench --quick --no-progress --filter "$ops" >/dev/null
}
run_suites
default_backend="$("$gen/kzgkit" info | sed -n 's/^backend: *\([^ ]*\).*/\1/p')"
if [ "$default_backend" != "x86_64-mulx-adx" ] && [ "$default_backend" != "portable" ]; then
  KZGKIT_BACKEND=x86_64-mulx-adx run_suites
fi
n=$(find "$profile" -name '*.gcda' | wc -l)
[ "$n" -gt 0 ] || { echo "pgo: the workload wrote no profile under $profile" >&2; exit 1; }
echo "== pgo: $n profile files in $profile"

echo "== pgo: optimised build in $use"
cmake -S "$root" -B "$use" "${common[@]}" -DKZGKIT_PGO=USE -DKZGKIT_PGO_DIR="$profile" >/dev/null
cmake --build "$use" -j "$jobs" "${target[@]}"
echo "== pgo: done: $use (CLI: $use/kzgkit; libraries: $use/libkzgkit.so, $use/libkzgkit.a;"
echo "   install with: cmake --install $use --prefix PREFIX)"

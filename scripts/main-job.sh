#!/usr/bin/env bash
# scripts/main-job.sh BUILD_DIR [DEMO OPTIONS...] — the project's main job (`make run`):
# describes the build's context (`kzgkit info`), then runs `kzgkit demo`: random blobs
# through commit, prove, verify and batch verify, with results and timings per step.
# Options after BUILD_DIR go to the demo (default: --count 4; KZGKIT_SEED=N fixes the seed).
set -euo pipefail
build="${1:?usage: scripts/main-job.sh BUILD_DIR [demo options]}"
shift
cli="$build/kzgkit"
if [ ! -x "$cli" ]; then
  echo "main-job: $cli not found or not executable (build first: make build)" >&2
  exit 2
fi
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(--count 4)
if [ -n "${KZGKIT_SEED:-}" ]; then args+=(--seed "$KZGKIT_SEED"); fi
"$cli" info
echo
exec "$cli" demo "${args[@]}"

#!/usr/bin/env bash
# bench/peers/run.sh [BUILD_DIR] [--iters N] [--batch N] [--seed S]
# Side-by-side EIP-4844 benchmark: kzgkit (BUILD_DIR/bench_eip4844, default build/) and
# c-kzg (the npm package `c-kzg`, C on blst, installed into bench/peers/node_modules) on the
# same blobs. kzgkit writes its inputs and outputs; the node script cross-checks them
# against c-kzg byte for byte, times the same operations and prints both tables and the
# ratios of the medians. Results: out/peers/{kzgkit,ckzg}.json.
#   KZGKIT_PEER_REBUILD=1  rebuild c-kzg's native module from source on this machine
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="$root/build"
if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then build="$(cd "$1" && pwd)"; shift; fi
iters=10 batch=64 seed=1
while [ $# -gt 0 ]; do
  case "$1" in
    --iters) iters="$2"; shift 2 ;;
    --batch) batch="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    *) echo "run.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
bench="$build/bench_eip4844"
[ -x "$bench" ] || { echo "run.sh: $bench not found (build first: make build)" >&2; exit 2; }
command -v node >/dev/null && command -v npm >/dev/null \
  || { echo "run.sh: node and npm are needed (apt-get install nodejs npm)" >&2; exit 2; }
# c-kzg ships sources only: npm builds its native module with node-gyp (make, a C++ compiler).
command -v c++ >/dev/null && command -v make >/dev/null \
  || { echo "run.sh: make and a C++ compiler are needed to build c-kzg (apt-get install g++ make)" >&2; exit 2; }

# 1. c-kzg, pinned in package.json. npm 11 runs a package's install script (node-gyp, which
#    builds the native module) only once the package is approved.
cd "$here"
if [ ! -f node_modules/c-kzg/package.json ]; then
  npm install --no-audit --no-fund
fi
if [ "${KZGKIT_PEER_REBUILD:-0}" = 1 ] || ! node -e 'require("c-kzg")' >/dev/null 2>&1; then
  npm install-scripts approve c-kzg >/dev/null 2>&1 || true   # npm < 11 has no such command
  npm rebuild c-kzg
fi
node -e 'require("c-kzg")' || { echo "run.sh: c-kzg does not load" >&2; exit 2; }

# 2. kzgkit, then c-kzg on the same inputs.
out="$root/out/peers"
mkdir -p "$out"
echo "== kzgkit ($bench)"
"$bench" --iters "$iters" --batch "$batch" --seed "$seed" --dump "$out/inputs.bin" \
  --json "$out/kzgkit.json"
echo
echo "== c-kzg"
node "$here/bench_ckzg.js" --iters "$iters" --dump "$out/inputs.bin" --ours "$out/kzgkit.json" \
  --json "$out/ckzg.json"
rm -f "$out/inputs.bin"   # batch × 128 KiB of generated data; rerun to recreate

#!/usr/bin/env bash
# bench/peers/run.sh [BUILD_DIR] [--suite 4844|7594|all] [--rounds R] [--iters N] [--batch N]
#                    [--blobs N] [--seed S] [--threads N] [--table-window C] [--table-bits C]
#                    [--markdown]
# Side-by-side EIP-4844 and EIP-7594 benchmark (--suite, default all) of kzgkit
# (BUILD_DIR/bench_eip4844 and bench_eip7594, default build/) and two peers from npm, pinned
# in package.json and installed into bench/peers/node_modules: c-kzg (C on blst) and
# @crate-crypto/node-eth-kzg (rust-eth-kzg). The libraries run interleaved (the 4844 suite):
# R rounds (default 5), each running all three in an order rotated by one per round, --iters
# timed samples per operation per round (default 4; the single verifications take 10x), on
# the same --batch blobs (default 64) made from --seed (default 1). Round 1 cross-checks the
# peers' commitments, proofs and evaluations against kzgkit's byte for byte (exit 1 on any
# difference). Prints one table of the medians of all pooled samples and the ratio
# peer median / kzgkit median (above 1: kzgkit is faster), then the per-round spread of that
# ratio; --markdown prints the table again as Markdown. --threads and --table-window go to
# bench_eip4844 only (the peers' EIP-4844 functions are single-threaded, without tables).
# The 7594 suite: compute_cells_and_kzg_proofs, verify_cell_kzg_proof_batch of one blob's 128
# cells and of --blobs (default 4) blobs' cells, recovery from the even half, the setup load
# and the first cells+proofs after it; c-kzg with precompute 0 and 8, rust-eth-kzg without and
# with its precomputation, each in a fresh process per round; --threads and --table-bits go
# to bench_eip7594. The environment passes through (KZGKIT_BACKEND picks kzgkit's backend).
# Results: out/peers/summary.json (4844), summary-7594.json. Details in bench_peers.js.
#   KZGKIT_PEER_REBUILD=1  rebuild c-kzg's native module from source on this machine
# rust-eth-kzg is optional: if it does not install or load, the run goes on with c-kzg alone.
# Exit 2 on a setup problem (no build, no node/npm, c-kzg missing).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="$root/build"
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then build="$(cd "$1" && pwd)"; shift; fi
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --suite|--rounds|--iters|--batch|--blobs|--seed|--threads|--table-window|--table-bits)
      [ $# -ge 2 ] || { echo "run.sh: $1 needs a value" >&2; exit 2; }
      args+=("$1" "$2"); shift 2 ;;
    --markdown) args+=("$1"); shift ;;
    -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
bench="$build/bench_eip4844"
bench7594="$build/bench_eip7594"
for b in "$bench" "$bench7594"; do
  [ -x "$b" ] || { echo "run.sh: $b not found (build first: make build)" >&2; exit 2; }
done
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "run.sh: node and npm are needed (apt-get install nodejs npm)" >&2; exit 2
fi
# 1. The peers, pinned in package.json (bench/peers/install.sh: installs them when absent,
#    builds c-kzg's native module; exit 2 when c-kzg cannot be had).
"$here/install.sh" || exit 2
cd "$here"
node -e 'require("@crate-crypto/node-eth-kzg")' >/dev/null 2>&1 \
  || echo "run.sh: rust-eth-kzg (@crate-crypto/node-eth-kzg) does not load: the run goes on with c-kzg alone" >&2

# 2. The interleaved rounds, the table and out/peers/summary.json.
exec node "$here/bench_peers.js" --kzgkit "$bench" --kzgkit-7594 "$bench7594" --out "$root/out/peers" ${args[@]+"${args[@]}"}

#!/usr/bin/env bash
# bench/peers/install.sh — installs the peer KZG libraries pinned in bench/peers/package.json
# into bench/peers/node_modules, unless they are there already: c-kzg (C on blst) and
# @crate-crypto/node-eth-kzg (rust-eth-kzg). Shared by the peer benchmark (bench/peers/run.sh)
# and the differential test (test/diff/run.sh).
#   KZGKIT_PEER_REBUILD=1  rebuild c-kzg's native module from source on this machine
# Needs node, npm, make and a C++ compiler (c-kzg ships sources only: npm builds its native
# module with node-gyp). Exit 0 when c-kzg loads, 2 on a setup problem (one line on stderr).
# Whether rust-eth-kzg loads is the caller's check (optional for the benchmark, required by
# the differential test).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "install.sh: node and npm are needed (apt-get install nodejs npm)" >&2; exit 2
fi
cd "$here"
# npm 11 runs a package's install script (node-gyp, which builds c-kzg's native module) only
# once the package is approved. rust-eth-kzg comes prebuilt (a per-platform optional
# dependency), so a failure there is not fatal.
if [ ! -f node_modules/c-kzg/package.json ] \
   || [ ! -f node_modules/@crate-crypto/node-eth-kzg/package.json ]; then
  if ! command -v c++ >/dev/null || ! command -v make >/dev/null; then
    echo "install.sh: make and a C++ compiler are needed to build c-kzg (apt-get install g++ make)" >&2; exit 2
  fi
  npm install --no-audit --no-fund \
    || echo "install.sh: npm install failed; going on with the packages already installed" >&2
fi
if [ "${KZGKIT_PEER_REBUILD:-0}" = 1 ] || ! node -e 'require("c-kzg")' >/dev/null 2>&1; then
  if ! command -v c++ >/dev/null || ! command -v make >/dev/null; then
    echo "install.sh: make and a C++ compiler are needed to build c-kzg (apt-get install g++ make)" >&2; exit 2
  fi
  npm install-scripts approve c-kzg >/dev/null 2>&1 || true   # npm < 11 has no such command
  npm rebuild c-kzg
fi
node -e 'require("c-kzg")' || { echo "install.sh: c-kzg does not load" >&2; exit 2; }

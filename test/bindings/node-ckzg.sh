#!/usr/bin/env bash
# Proves that kzgkit's ckzg.h + libkzgkit-ckzg is a drop-in for c-kzg-4844 under c-kzg's
# own Node.js binding: the npm package c-kzg@4.1.0 is installed without building its
# bundled C, a copy of it has its binding.gyp rewritten (test/bindings/node/rewrite-gyp.js)
# so that its N-API addon src/kzg.cxx compiles against our ckzg.h and links our libraries,
# node-gyp builds it (offline: node's headers come from the local install), and every
# consensus-spec reference case is driven through c-kzg's JavaScript API
# (test/bindings/node/reference.js).
#
# usage: node-ckzg.sh [options] BUILD_DIR        a kzgkit build tree (CMakeCache.txt)
#        node-ckzg.sh [options] PREFIX           an installed prefix: include/kzgkit-ckzg, lib*/
#        node-ckzg.sh [options] --include DIR... --lib DIR...
# options:
#   --include DIR   where ckzg.h (and what it includes) is; repeatable
#   --lib DIR       where libkzgkit-ckzg.{so,a} / libkzgkit.{so,a} are; repeatable
#   --link MODE     shared | static | both (default both: one addon per mode)
#   --reference DIR the reference tests (default $KZGKIT_REFERENCE_TESTS, else
#                   ../shared/kzg-reference-tests next to the repository)
#   --work DIR      where npm installs and the addons are built (default BUILD_DIR/bindings-node
#                   for a build tree, else a temporary folder removed at the end)
#   --stock         build c-kzg as published (its bundled C and blst) and run the same cases:
#                   the baseline that kzgkit is compared with; not a kzgkit test
# Exit status: 0 all cases passed; 1 a failure; 2 bad usage; 77 (ctest's SKIP_RETURN_CODE)
# when node, npm, node's headers, a compiler, the reference tests or the npm registry are
# missing — the test is then reported as skipped, never as passed.
set -euo pipefail

CKZG_VERSION=4.1.0     # c-kzg-4844 v2.1.0
NODE_GYP_VERSION=11.5.0
YAML_VERSION=2.8.1

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

skip() { echo "SKIPPED: $*"; exit 77; }
die() { echo "node-ckzg.sh: $*" >&2; exit 1; }
usage() { sed -n '/^# usage:/,/^# Exit status/p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

includes=() libdirs=() link=both reference=${KZGKIT_REFERENCE_TESTS:-} work='' stock=0 target=''
while [ $# -gt 0 ]; do
  case $1 in
    --include) [ $# -ge 2 ] || usage; includes+=("$2"); shift 2 ;;
    --lib) [ $# -ge 2 ] || usage; libdirs+=("$2"); shift 2 ;;
    --link) [ $# -ge 2 ] || usage; link=$2; shift 2 ;;
    --reference) [ $# -ge 2 ] || usage; reference=$2; shift 2 ;;
    --work) [ $# -ge 2 ] || usage; work=$2; shift 2 ;;
    --stock) stock=1; shift ;;
    -h|--help) usage ;;
    -*) echo "node-ckzg.sh: unknown option $1" >&2; usage ;;
    *) [ -z "$target" ] || usage; target=$1; shift ;;
  esac
done
case $link in shared) modes=(shared) ;; static) modes=(static) ;; both) modes=(shared static) ;; *) usage ;; esac
[ "$stock" = 1 ] && modes=(stock)

# ---- What kzgkit to build against: a build tree, a prefix, or explicit folders.
if [ "$stock" = 0 ] && [ -n "$target" ]; then
  [ -d "$target" ] || die "no folder $target"
  target=$(cd "$target" && pwd)
  if [ -f "$target/CMakeCache.txt" ]; then
    src=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$target/CMakeCache.txt")
    [ -n "$src" ] || src=$repo
    if [ ${#includes[@]} -eq 0 ]; then
      header=$(find "$src/compat/ckzg" -name ckzg.h -print -quit 2>/dev/null || true)
      [ -n "$header" ] || die "no ckzg.h under $src/compat/ckzg"
      includes=("$(dirname "$header")" "$src/include")
    fi
    if [ ${#libdirs[@]} -eq 0 ]; then libdirs=("$target/compat/ckzg" "$target"); fi
    [ -n "$work" ] || work=$target/bindings-node
  else
    if [ ${#includes[@]} -eq 0 ]; then includes=("$target/include/kzgkit-ckzg" "$target/include"); fi
    if [ ${#libdirs[@]} -eq 0 ]; then
      for d in "$target"/lib "$target"/lib64 "$target"/lib/*-linux-gnu; do
        [ -d "$d" ] && libdirs+=("$d")
      done
    fi
  fi
fi
if [ "$stock" = 0 ]; then
  if [ ${#includes[@]} -eq 0 ] || [ ${#libdirs[@]} -eq 0 ]; then usage; fi
  found=
  for d in "${includes[@]}"; do [ -f "$d/ckzg.h" ] && found=$d/ckzg.h; done
  [ -n "$found" ] || die "ckzg.h is in none of: ${includes[*]}"
fi

# A library file of one kind (so or a) from the --lib folders.
libfile() {
  local d
  for d in "${libdirs[@]}"; do
    if [ -e "$d/lib$1.$2" ]; then echo "$d/lib$1.$2"; return 0; fi
  done
  return 1
}

# ---- Prerequisites: missing tools or data make the test skip, naming what is missing.
[ -n "$reference" ] || reference=$repo/../shared/kzg-reference-tests
command -v node >/dev/null || skip "node is not installed"
command -v npm >/dev/null || skip "npm is not installed"
[ -d "$reference" ] || skip "no reference tests at $reference (set KZGKIT_REFERENCE_TESTS)"
reference=$(cd "$reference" && pwd)
for tool in make g++ python3; do
  command -v $tool >/dev/null || skip "$tool is not installed (node-gyp needs it)"
done
# node-gyp must never download node's headers: it takes them from the local install
# (Debian and NodeSource ship them in /usr/include/node).
nodedir=${npm_config_nodedir:-$(cd "$(dirname "$(readlink -f "$(command -v node)")")/.." && pwd)}
[ -f "$nodedir/include/node/node_api.h" ] ||
  skip "node's headers are not at $nodedir/include/node (set npm_config_nodedir)"

tmp=
if [ -z "$work" ]; then
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/kzgkit-node-ckzg.XXXXXX")
  work=$tmp
  trap 'rm -rf "$tmp"' EXIT
fi
mkdir -p "$work"
work=$(cd "$work" && pwd)

# ---- npm: c-kzg without its install script (which would build the bundled C), node-gyp
# and a YAML parser, in $work/npm. Reused when already there.
npmdir=$work/npm
installed() { node -p "require('$npmdir/node_modules/$1/package.json').version" 2>/dev/null; }
if [ "$(installed c-kzg)" != "$CKZG_VERSION" ] || [ "$(installed node-gyp)" != "$NODE_GYP_VERSION" ] ||
   [ "$(installed yaml)" != "$YAML_VERSION" ]; then
  rm -rf "$npmdir"
  mkdir -p "$npmdir"
  echo '{ "private": true, "description": "kzgkit test scratch: c-kzg binding built on kzgkit" }' \
    >"$npmdir/package.json"
  echo "== npm install c-kzg@$CKZG_VERSION node-gyp@$NODE_GYP_VERSION yaml@$YAML_VERSION (--ignore-scripts)"
  if ! (cd "$npmdir" && npm install --ignore-scripts --no-audit --no-fund --prefer-offline \
          --fetch-retries=1 --fetch-timeout=60000 \
          "c-kzg@$CKZG_VERSION" "node-gyp@$NODE_GYP_VERSION" "yaml@$YAML_VERSION"); then
    (cd "$npmdir" && timeout 60 npm ping >/dev/null 2>&1) ||
      skip "npm cannot reach the registry ($(npm config get registry))"
    die "npm install failed"
  fi
fi
node_gyp=$npmdir/node_modules/node-gyp/bin/node-gyp.js

# ---- One addon per link mode.
failed=0
for mode in "${modes[@]}"; do
  pkg=$npmdir/c-kzg-$mode
  echo "== c-kzg@$CKZG_VERSION binding, $mode: $pkg"
  rm -rf "$pkg"
  cp -r "$npmdir/node_modules/c-kzg" "$pkg"
  if [ "$mode" != stock ]; then
    # Nothing of c-kzg's C may be left to compile by accident: deps/ goes, except the
    # trusted setup that lib/kzg.js loads by default.
    mv "$pkg/deps/c-kzg/trusted_setup.txt" "$pkg/trusted_setup.txt.keep"
    rm -rf "$pkg/deps"
    mkdir -p "$pkg/deps/c-kzg"
    mv "$pkg/trusted_setup.txt.keep" "$pkg/deps/c-kzg/trusted_setup.txt"

    gyp_args=()
    for d in "${includes[@]}"; do gyp_args+=(--include "$d"); done
    # kzg.cxx starts with #include "blst.h" (c-kzg's ckzg.h needs blst's types); when our
    # headers provide none, an empty one stands in: the addon uses nothing of blst.
    has_blst=0
    for d in "${includes[@]}"; do [ -f "$d/blst.h" ] && has_blst=1; done
    if [ $has_blst = 0 ]; then
      mkdir -p "$pkg/kzgkit-shim"
      printf '/* Empty: src/kzg.cxx includes blst.h but uses nothing of it on kzgkit. */\n' \
        >"$pkg/kzgkit-shim/blst.h"
      gyp_args+=(--include "$pkg/kzgkit-shim")
    fi
    if [ "$mode" = shared ]; then
      ckzg_so=$(libfile kzgkit-ckzg so) || die "no libkzgkit-ckzg.so in: ${libdirs[*]}"
      kzgkit_so=$(libfile kzgkit so) || die "no libkzgkit.so in: ${libdirs[*]}"
      for f in "$ckzg_so" "$kzgkit_so"; do
        gyp_args+=(--link "-L$(dirname "$f")" --rpath "$(dirname "$f")")
      done
      gyp_args+=(--link -lkzgkit-ckzg --link -lkzgkit)
    else
      ckzg_a=$(libfile kzgkit-ckzg a) || die "no libkzgkit-ckzg.a in: ${libdirs[*]}"
      kzgkit_a=$(libfile kzgkit a) || die "no libkzgkit.a in: ${libdirs[*]}"
      gyp_args+=(--link "$ckzg_a" --link "$kzgkit_a")
    fi
    gyp_args+=(--link -lcrypto --link -lpthread)
    node "$here/node/rewrite-gyp.js" "$pkg/binding.gyp" "${gyp_args[@]}"
  fi

  if ! (cd "$pkg" && node "$node_gyp" rebuild --nodedir="$nodedir" -j 2 >"$pkg/build.log" 2>&1); then
    tail -40 "$pkg/build.log"
    die "node-gyp could not build the $mode addon (log: $pkg/build.log)"
  fi
  addon=$pkg/build/Release/kzg.node
  [ -f "$addon" ] || die "node-gyp built no $addon"

  if [ "$mode" != stock ]; then
    # Neither the addon nor the libraries it loads may hold blst, and the shared addon must
    # load ours. (Outputs are captured first: `cmd | grep -q` under pipefail fails when grep
    # stops reading early.)
    symbols=$(nm "$addon" 2>/dev/null || true)
    # One file per nm call: given several, nm heads each listing with the file's path, and a
    # build folder named like build-blst would then match.
    if [ "$mode" = shared ]; then
      symbols+=$(nm -D "$ckzg_so" 2>/dev/null || true)
      symbols+=$(nm -D "$kzgkit_so" 2>/dev/null || true)
    fi
    if grep -qi blst <<<"$symbols"; then
      die "$mode addon contains blst symbols: it was not built on kzgkit"
    fi
    if [ "$mode" = shared ]; then
      deps=$(ldd "$addon")
      grep -E 'kzgkit|not found' <<<"$deps" | sed 's/^/   /' || true
      grep -q "libkzgkit-ckzg\.so[^ ]* => $(dirname "$ckzg_so")/" <<<"$deps" ||
        die "the shared addon does not load $ckzg_so"
      if grep -q 'not found' <<<"$deps"; then die "the shared addon has unresolved libraries"; fi
    fi
  fi

  echo "== reference tests through c-kzg's JavaScript API ($mode): $reference"
  node "$here/node/reference.js" "$pkg" "$reference" || failed=1
done
exit $failed

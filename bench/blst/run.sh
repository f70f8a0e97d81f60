#!/usr/bin/env bash
# bench/blst/run.sh [BUILD_DIR] [--samples N] [--target-ms X] [--sizes 64,256,1024,4096]
#                   [--filter SUBSTRING] [--json PATH] [--markdown] [--quick]
# kzgkit's arithmetic primitives side by side with blst's, measured in one process: Fp mul,
# sqr, inverse and sqrt, Fr mul, G1 add / mixed add / double, G1 decompression without and
# with the subgroup check, the G1 subgroup check, G2 decompression with its subgroup check,
# a pairing, a 2-pairing product check and G1 MSMs (kzgkit's g1_msm_raw_var against
# blst_p1s_mult_pippenger, both on one thread, on the same points and scalars).
#
# blst is the copy the c-kzg npm package bundles (bench/peers/node_modules/c-kzg/deps/blst,
# the version c-kzg ships and runs on): this script builds it with its own build.sh into
# BUILD_DIR/blst-peer/ (default build/; ignored by git), compiles bench/blst/bench_blst.c
# against blst.h and BUILD_DIR/libkzgkit_internal.a, checks that the two static libraries
# define no symbol in common, and runs it. Nothing of blst is ever copied into the tree.
# No c-kzg yet? bench/peers/run.sh installs it (with the other peer); so does
# `(cd bench/peers && npm install --ignore-scripts)`, which this script runs itself when npm
# is there. KZGKIT_BLST_SRC=DIR takes blst's source from DIR instead.
#
# Every pair is first checked to compute the same value (exit 1 otherwise); then each
# operation is timed in alternating samples (kzgkit, blst, blst, kzgkit, ...) and the table
# gives the medians and the ratio kzgkit/blst (below 1: kzgkit is faster). The CPU model,
# kzgkit's backend and revision, blst's origin and build flags and the load average are
# printed with it. The environment passes through: KZGKIT_BACKEND=x86_64-mulx-adx measures
# the backend without AVX-512 IFMA on a CPU that has it. Results as JSON: --json PATH
# (default out/blst/primitives-<KZGKIT_BACKEND or auto>.json). --quick: a smoke run.
# Exit 2 on a setup problem (no build, no blst source, a compiler error, a symbol clash).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="$root/build"
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then build="$(cd "$1" && pwd)"; shift; fi
args=()
json=""
while [ $# -gt 0 ]; do
  case "$1" in
    --samples|--target-ms|--sizes|--filter)
      [ $# -ge 2 ] || { echo "run.sh: $1 needs a value" >&2; exit 2; }
      args+=("$1" "$2"); shift 2 ;;
    --json)
      [ $# -ge 2 ] || { echo "run.sh: --json needs a path" >&2; exit 2; }
      json="$2"; shift 2 ;;
    --markdown|--quick) args+=("$1"); shift ;;
    -h|--help) sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done

lib="$build/libkzgkit_internal.a"
[ -f "$lib" ] || { echo "run.sh: $lib not found (build first: make build, or cmake --build $build)" >&2; exit 2; }
cc="${CC:-cc}"
command -v "$cc" >/dev/null || { echo "run.sh: no C compiler ($cc)" >&2; exit 2; }
command -v nm >/dev/null || { echo "run.sh: nm is needed (apt-get install binutils)" >&2; exit 2; }

# 1. blst's source: the copy inside the installed c-kzg package.
ckzg="$root/bench/peers/node_modules/c-kzg"
src="${KZGKIT_BLST_SRC:-$ckzg/deps/blst}"
if [ -z "${KZGKIT_BLST_SRC:-}" ] && [ ! -f "$src/build.sh" ] && command -v npm >/dev/null; then
  echo "run.sh: c-kzg is not installed in bench/peers/node_modules: npm install (sources only)" >&2
  (cd "$root/bench/peers" && npm install --no-audit --no-fund --ignore-scripts) \
    || echo "run.sh: npm install failed" >&2
fi
if [ ! -f "$src/build.sh" ] || [ ! -f "$src/bindings/blst.h" ]; then
  echo "run.sh: blst's source is not at $src." >&2
  echo "  Install the pinned peers with bench/peers/run.sh (or: cd bench/peers && npm install --ignore-scripts);" >&2
  echo "  c-kzg bundles blst in node_modules/c-kzg/deps/blst. Or point KZGKIT_BLST_SRC at a blst checkout." >&2
  exit 2
fi
origin="blst from $src"
if [ -z "${KZGKIT_BLST_SRC:-}" ] && [ -f "$ckzg/package.json" ]; then
  ckzg_version="$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$ckzg/package.json" | head -1)"
  origin="blst bundled with c-kzg $ckzg_version (node_modules/c-kzg/deps/blst)"
fi
blst_version="$(sed -n 's/^version *= *"\([^"]*\)".*/\1/p' "$src/bindings/rust/Cargo.toml" 2>/dev/null | head -1)"
[ -n "$blst_version" ] && origin="$origin, blst $blst_version"

# 2. blst, built by its own build.sh into BUILD_DIR/blst-peer (again only when the source,
#    its path or the compiler changed).
out="$build/blst-peer"
mkdir -p "$out"
stamp="$src|$("$cc" --version | head -1)|$(cat "$src/build.sh" "$src/src/server.c" | cksum)"
if [ ! -f "$out/libblst.a" ] || [ "$(cat "$out/stamp" 2>/dev/null)" != "$stamp" ]; then
  echo "run.sh: building blst from $src into $out" >&2
  rm -f "$out/libblst.a" "$out/stamp"
  (cd "$out" && CC="$cc" sh "$src/build.sh") > "$out/build.log" 2>&1 \
    || { cat "$out/build.log" >&2; echo "run.sh: blst's build.sh failed" >&2; exit 2; }
  # build.sh echoes its compile lines (set -x): keep the flags it chose (e.g. -D__ADX__).
  sed -n 's/^+ *[^ ]* \(.*\) -c .*server\.c$/\1/p' "$out/build.log" | head -1 > "$out/flags"
  printf '%s\n' "$stamp" > "$out/stamp"
fi
flags="$(cat "$out/flags" 2>/dev/null || true)"
[ -n "$flags" ] && origin="$origin; build.sh: $flags"

# 3. The two static libraries must not define a name in common (blst's are blst_* and
#    unprefixed assembly kernels such as mulx_mont_384; kzgkit's internal ones are
#    module-scoped): a clash would silently link one library's body into the other.
clash="$(comm -12 <(nm -g --defined-only "$out/libblst.a" 2>/dev/null | awk 'NF == 3 {print $3}' | sort -u) \
                  <(nm -g --defined-only "$lib" 2>/dev/null | awk 'NF == 3 {print $3}' | sort -u))"
if [ -n "$clash" ]; then
  echo "run.sh: libblst.a and libkzgkit_internal.a both define:" >&2
  printf '  %s\n' $clash >&2
  exit 2
fi

# 4. The benchmark program: ours, against blst.h and kzgkit's internal headers.
defs=()
if grep -q '^KZGKIT_NO_ASM:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then defs+=(-DKZGKIT_NO_ASM); fi
rev="$(git -C "$root" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)"
if [ "$rev" != unknown ] && ! git -C "$root" diff --quiet HEAD -- 2>/dev/null; then rev="$rev-dirty"; fi
bin="$out/bench_blst"
"$cc" -std=gnu11 -O3 -Wall -Wextra -Wshadow -Wno-unused-parameter ${defs[@]+"${defs[@]}"} \
  -DBENCH_BLST_ORIGIN="\"$origin\"" -DBENCH_KZGKIT_REVISION="\"$rev\"" \
  -I "$root/src" -I "$root/include" -I "$build/include" -I "$src/bindings" \
  "$here/bench_blst.c" "$lib" "$out/libblst.a" -lcrypto -lpthread -lm -o "$bin" \
  || { echo "run.sh: bench_blst did not compile" >&2; exit 2; }

# 5. The run.
if [ -z "$json" ]; then
  mkdir -p "$root/out/blst"
  json="$root/out/blst/primitives-${KZGKIT_BACKEND:-auto}.json"
fi
exec "$bin" --json "$json" ${args[@]+"${args[@]}"}

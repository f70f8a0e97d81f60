#!/usr/bin/env bash
# test/consumers/run.sh [--subdir] BUILD_DIR WORK_DIR
# What a user does with kzgkit, checked end to end: installs BUILD_DIR with
# `cmake --install` into WORK_DIR/prefix, checks the installed tree (headers, the SONAME,
# kzgkit.pc, the CMake package, only kzg_ names in the .so and the .a), then builds
# test/consumers/consumer.c outside the tree and runs it:
#   1. pkg-config, shared library          cc $(pkg-config --cflags --libs kzgkit)
#   2. pkg-config --static, libkzgkit.a     (Libs.private / Requires.private must suffice)
#   3. find_package(kzgkit CONFIG)          kzgkit::kzgkit and kzgkit::kzgkit_static
#   4. with --subdir: add_subdirectory()    kzgkit built as part of another project
# Prints one line per check and "N passed, N failed"; exit 1 on any failure.
set -uo pipefail
subdir=0
if [ "${1:-}" = "--subdir" ]; then subdir=1; shift; fi
[ $# -eq 2 ] || { echo "usage: $0 [--subdir] BUILD_DIR WORK_DIR" >&2; exit 2; }
src="$(cd "$(dirname "$0")/../.." && pwd)"
build="$(cd "$1" && pwd)"
work="$2"
rm -rf "$work" && mkdir -p "$work" && work="$(cd "$work" && pwd)"
prefix="$work/prefix"
cc="${CC:-cc}"
passed=0 failed=0
ok()   { echo "ok   $1"; passed=$((passed + 1)); }
bad()  { echo "FAIL $1"; failed=$((failed + 1)); }
check() { local what="$1"; shift; if "$@" >"$work/last.log" 2>&1; then ok "$what"; else bad "$what"; sed 's/^/     /' "$work/last.log" | tail -20; fi; }

check "cmake --install" cmake --install "$build" --prefix "$prefix"
libdir=$(ls -d "$prefix"/lib*/ 2>/dev/null | head -1); libdir="${libdir%/}"
ver=$(sed -n 's/^#define KZGKIT_VERSION_STRING "\(.*\)"/\1/p' "$prefix/include/kzgkit/version.h" 2>/dev/null)
major=${ver%%.*}
check "headers installed" test -f "$prefix/include/kzgkit.h" -a -f "$prefix/include/kzgkit/kzg.h" \
      -a -f "$prefix/include/kzgkit/version.h" -a -f "$prefix/include/kzgkit/runtime.h"
check "libkzgkit.so.$major with SONAME libkzgkit.so.$major" \
      bash -c "readelf -d '$libdir/libkzgkit.so' | grep -q 'SONAME.*\\[libkzgkit.so.$major\\]' && test -f '$libdir/libkzgkit.so.$major' -a -f '$libdir/libkzgkit.so.$ver'"
check "libkzgkit.a installed" test -f "$libdir/libkzgkit.a"
check "only kzg_ names in the .so and the .a" "$src/scripts/check-symbols.sh" "$libdir/libkzgkit.so" "$libdir/libkzgkit.a"
check "kzgkit.pc" test -f "$libdir/pkgconfig/kzgkit.pc"
check "CMake package" test -f "$libdir/cmake/kzgkit/kzgkitConfig.cmake"

export PKG_CONFIG_PATH="$libdir/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
consumer="$src/test/consumers/consumer.c"
# 1. shared, through pkg-config; runs with the prefix's library (rpath), not the build tree's.
check "pkg-config --modversion = $ver" bash -c "[ \"\$(pkg-config --modversion kzgkit)\" = '$ver' ]"
check "pkg-config: build (shared)" bash -c "$cc -std=c11 -Wall -Wextra -Werror -o '$work/consumer_pc_shared' '$consumer' \$(pkg-config --cflags --libs kzgkit) -Wl,-rpath,'$libdir'"
check "pkg-config: run (shared)" "$work/consumer_pc_shared"
check "pkg-config: linked to the installed libkzgkit.so.$major" \
      bash -c "ldd '$work/consumer_pc_shared' | grep -q '$libdir/libkzgkit.so.$major'"
# 2. static: -lkzgkit named as the archive; everything else must come from --static.
check "pkg-config --static: build (libkzgkit.a)" bash -c "$cc -std=c11 -Wall -Wextra -Werror -o '$work/consumer_pc_static' '$consumer' \$(pkg-config --cflags kzgkit) \$(pkg-config --static --libs kzgkit | sed 's/-lkzgkit\\b/-l:libkzgkit.a/')"
check "pkg-config --static: run" "$work/consumer_pc_static"
check "pkg-config --static: no libkzgkit.so needed" bash -c "! ldd '$work/consumer_pc_static' | grep -q libkzgkit"
# 3. find_package.
check "find_package: configure" cmake -S "$src/test/consumers/cmake" -B "$work/fp" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release
check "find_package: build" cmake --build "$work/fp" -j 2
check "find_package: run (kzgkit::kzgkit)" "$work/fp/consumer_shared"
check "find_package: run (kzgkit::kzgkit_static)" "$work/fp/consumer_static"
# 4. add_subdirectory.
if [ $subdir = 1 ]; then
  check "add_subdirectory: configure" cmake -S "$src/test/consumers/subdir" -B "$work/sub" -DKZGKIT_SOURCE="$src" -DCMAKE_BUILD_TYPE=Release
  check "add_subdirectory: build" cmake --build "$work/sub" -j 2
  check "add_subdirectory: run (static)" "$work/sub/consumer_static"
  check "add_subdirectory: run (shared)" "$work/sub/consumer_shared"
fi
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]

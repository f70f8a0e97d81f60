#!/usr/bin/env bash
# scripts/check-symbols.sh LIB...  — fails when a library defines a global symbol whose name
# does not start with kzg_. LIB is a shared object (its dynamic symbol table: what a program
# can bind to) or a static archive (every member's global symbols: what a static link can
# collide with, e.g. an fp_mul of blst next to ours).
# scripts/check-symbols.sh --allow REGEX LIB...  — the same check against another set of
# public names: every global symbol must match the extended regex REGEX (libkzgkit-ckzg:
# c-kzg's function names, listed in compat/ckzg/CMakeLists.txt).
set -euo pipefail
public='^kzg_' what='prefixed kzg_'
if [ "${1:-}" = "--allow" ]; then
  [ $# -ge 2 ] || { echo "usage: $0 --allow REGEX LIB..." >&2; exit 2; }
  public="$2" what="matching $2"
  shift 2
fi
[ $# -ge 1 ] || { echo "usage: $0 [--allow REGEX] LIB..." >&2; exit 2; }
allowed="$public|^(_init|_fini|_edata|_end|__bss_start)\$"
fail=0
for lib in "$@"; do
  case "$lib" in
    *.a) syms=$(nm -g --defined-only "$lib" | awk 'NF == 3 && $2 ~ /^[TDBRVWGSiu]$/ {print $3}') ;;
    *)   syms=$(nm -D --defined-only "$lib" | awk 'NF == 3 && $2 ~ /^[TDBRVWGSiu]$/ {print $3}') ;;
  esac
  bad=$(printf '%s\n' "$syms" | grep -v -E "$allowed" | grep -v '^$' || true)
  n=$(printf '%s\n' "$syms" | grep -c -E "$public" || true)
  if [ -n "$bad" ]; then
    echo "$(basename "$lib"): global symbols not $what:"; echo "$bad" | head -50
    echo "($(printf '%s\n' "$bad" | wc -l) in all)"
    fail=1
  elif [ "$n" -eq 0 ]; then
    echo "$(basename "$lib"): no symbol $what at all (wrong file?)"; fail=1
  else
    echo "$(basename "$lib"): $n global symbols, all $what"
  fi
done
if [ $fail -eq 0 ]; then echo "$# passed, 0 failed"; else echo "0 passed, 1 failed"; exit 1; fi

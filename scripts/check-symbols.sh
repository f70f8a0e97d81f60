#!/usr/bin/env bash
# Fails when the shared library exports a defined symbol whose name does not start with kzg_.
set -euo pipefail
lib="$1"
bad=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBRVW]$/ {print $3}' \
      | grep -v -E '^(kzg_|_init$|_fini$|_edata$|_end$|__bss_start$)' || true)
if [ -n "$bad" ]; then
  echo "exported symbols without the kzg_ prefix:"; echo "$bad"; exit 1
fi
n=$(nm -D --defined-only "$lib" | grep -c ' kzg_' || true)
echo "exported symbols: $n, all prefixed kzg_"
echo "1 passed, 0 failed"

#!/usr/bin/env bash
# test/cli/test_list_limit_cells.sh KZGKIT — the bound on verify-cells' LIST (issue 15 §5):
# a list of 262,145 cells (1.1 GB of text, streamed through a pipe, never on disk) is refused
# at its line 262,145 with one line naming the bound, exit 2, before any verification; the
# CLI holds the 262,144 cells it read (about 550 MiB) and no more. The other LIST bounds
# (4096 blobs, 128 cells for recover) are in cli_io_faults; this one is too large for the
# emulated cross build and is registered only in native builds.
cli=$1
. "$(dirname "$0")/lib.sh"
cli_test_init list-limit-cells

inf="c0$(printf '0%.0s' $(seq 94))"
cell=$(printf '0%.0s' $(seq 4096))
# A well-formed line (hex of the right lengths): the bound is checked as lines are read,
# so what the points are does not matter — the call never reaches the library.
line="$inf 0 $cell $inf"
yes "$line" | head -n 262145 | ${KZGKIT_RUN_PREFIX:-} "$cli" verify-cells /dev/stdin \
  >"$tmp/out" 2>"$tmp/err"
rc=$?
want="kzgkit verify-cells: LIST line 262145: more than 262144 cells (512 MiB): split the list"
if [ "$rc" -eq 2 ] && [ "$(cat "$tmp/err")" = "$want" ] && [ ! -s "$tmp/out" ]; then ok; else
  bad "262,145 cells: exit $rc, stderr '$(head -c 300 "$tmp/err")', stdout '$(head -c 100 "$tmp/out")'"; fi
cli_test_finish

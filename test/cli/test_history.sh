#!/usr/bin/env bash
# test/cli/test_history.sh KZGKIT [--chromium] — `kzgkit bench --history DB` and
# `kzgkit history DB` end to end (docs/BENCH.md, "History").
#
# Proves: runs append one after another (run 1, 2, 3) and `history` lists them; two writers
# started at once on a fresh file both succeed (they race the schema's creation, then each
# other's transaction: KZGKIT_HISTORY_TEST_DELAY_MS holds each one inside it) and both runs
# are there; a writer killed with SIGKILL at random moments, inside its transaction or not,
# never leaves a partial run nor damages the file: `history --check` (integrity_check, every
# run with all its results and samples) passes, every run in `--json -` has its one result
# and all its samples, and the runs before the kills are intact; a text file, a foreign
# SQLite file and a missing file are refused with one line and exit 2; `--html` writes a
# self-contained page with one trend plot per benchmark. No timing is asserted on.
# With --chromium: only renders the history page in headless Chromium (DOM and a non-blank
# screenshot); exit 77 without a browser (KZGKIT_CHROMIUM=PATH names one).
# KZGKIT_RUN_PREFIX (set by ctest in cross builds: the emulator) goes in front of the CLI.
# Needs bash, grep and sqlite3 only for the foreign-file case (skipped without it).
# Prints "N passed, M failed".
set -uo pipefail

cli="${1:?usage: test_history.sh PATH/TO/kzgkit [--chromium]}"
mode="${2:-}"
. "$(dirname "$0")/lib.sh"
cli_test_init history
# A short run of one cheap benchmark: a fraction of a second.
bench=(bench --filter '^fr_mul$' --quick --samples 5 --warmup-ms 10 --sample-ms 1 --no-progress)
# A complete run in `history --json -`: its one result and that result's samples (5, or down
# to --quick's floor of 3 when the time cap cuts them on a loaded machine).
full='"results": 1, "samples": [345]}'


if [ "$mode" = "--chromium" ]; then
  require_browser cli_history_chromium
  for i in 1 2 3; do
    run "${bench[@]}" --history "$tmp/h.db" || true
    [ "$rc" -eq 0 ] || { cat "$tmp/err"; echo "FAIL: bench --history"; exit 1; }
  done
  run history "$tmp/h.db" --html "$tmp/page.html"
  [ "$rc" -eq 0 ] || { cat "$tmp/err"; echo "FAIL: history --html (exit $rc)"; exit 1; }
  timeout 90 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --disable-dev-shm-usage --hide-scrollbars --user-data-dir="$tmp/profile" \
    --window-size=1280,1400 --screenshot="$tmp/shot.png" --dump-dom "file://$tmp/page.html" \
    >"$tmp/dom.html" 2>"$tmp/chromium.log" || { tail -5 "$tmp/chromium.log"; echo "FAIL: chromium failed"; exit 1; }
  count() { grep -o "$1" "$tmp/dom.html" | wc -l; }
  [ "$(count 'id="trend-table"')" -eq 1 ] && ok || bad "no trend table in the DOM"
  [ "$(count 'id="runs-table"')" -eq 1 ] && ok || bad "no runs table in the DOM"
  [ "$(count '<svg class="trend-plot"')" -eq 1 ] && ok || bad "expected 1 trend plot"
  [ "$(count '<circle class="point"')" -eq 3 ] && ok || bad "expected 3 points"
  [ "$(count '<tr class="run">')" -eq 3 ] && ok || bad "expected 3 run rows"
  grep -qi '<script' "$tmp/dom.html" && bad "the page contains a script" || ok
  sig=$(od -An -tx1 -N8 "$tmp/shot.png" 2>/dev/null | tr -d ' \n')
  size=$(wc -c <"$tmp/shot.png" 2>/dev/null || echo 0)
  [ "$sig" = "89504e470d0a1a0a" ] && [ "$size" -gt 20000 ] && ok || bad "screenshot: signature $sig, $size bytes"
  echo "cli_history_chromium: $passed passed, $failed failed (rendered with $browser)"
  [ "$failed" -eq 0 ]
  exit
fi

db="$tmp/h.db"

# Usage and refusals: one line on stderr, exit 2.
run history
[ "$rc" -eq 2 ] && ok || bad "history without DB: exit $rc"
run history "$tmp/missing.db"
[ "$rc" -eq 2 ] && grep -q 'missing.db: No such file' "$tmp/err" && [ "$(wc -l <"$tmp/err")" -eq 1 ] && ok ||
  { bad "missing DB (exit $rc):"; cat "$tmp/err"; }
echo "not a database" >"$tmp/notes.txt"
run history "$tmp/notes.txt"
[ "$rc" -eq 2 ] && grep -q 'not a SQLite database' "$tmp/err" && [ "$(wc -l <"$tmp/err")" -eq 1 ] && ok ||
  { bad "text file (exit $rc):"; cat "$tmp/err"; }
run "${bench[@]}" --history "$tmp/notes.txt"
[ "$rc" -eq 2 ] && grep -q 'not a SQLite database' "$tmp/err" && ! grep -q 'fr_mul' "$tmp/out" && ok ||
  { bad "bench --history on a text file (exit $rc), or it ran first:"; cat "$tmp/err"; }
grep -qx "not a database" "$tmp/notes.txt" && ok || bad "the text file was changed"
if command -v sqlite3 >/dev/null 2>&1; then
  sqlite3 "$tmp/other.db" "CREATE TABLE invoices(id INTEGER, total REAL)"
  run history "$tmp/other.db"
  [ "$rc" -eq 2 ] && grep -q 'another application' "$tmp/err" && ok || { bad "foreign SQLite (exit $rc):"; cat "$tmp/err"; }
fi
run history --window 1 "$db"
[ "$rc" -eq 2 ] && ok || bad "--window 1 accepted"

# Three runs one after another.
for i in 1 2 3; do
  run "${bench[@]}" --history "$db"
  [ "$rc" -eq 0 ] && grep -q "^history: $db (run $i)\$" "$tmp/out" && ok || { bad "run $i (exit $rc):"; cat "$tmp/out" "$tmp/err"; }
done
run history "$db"
[ "$rc" -eq 0 ] && grep -q '^3 runs from' "$tmp/out" && grep -qE '^fr_mul +3 ' "$tmp/out" && ok ||
  { bad "history table (exit $rc):"; cat "$tmp/out" "$tmp/err"; }

# Two writers at once on a fresh file, each held 400 ms inside its transaction.
db2="$tmp/two.db"
KZGKIT_HISTORY_TEST_DELAY_MS=400 ${KZGKIT_RUN_PREFIX:-} "$cli" "${bench[@]}" --history "$db2" >"$tmp/a.out" 2>"$tmp/a.err" &
pa=$!
KZGKIT_HISTORY_TEST_DELAY_MS=400 ${KZGKIT_RUN_PREFIX:-} "$cli" "${bench[@]}" --history "$db2" >"$tmp/b.out" 2>"$tmp/b.err" &
pb=$!
wait "$pa"; ra=$?
wait "$pb"; rb=$?
[ "$ra" -eq 0 ] && [ "$rb" -eq 0 ] && ok || { bad "concurrent writers: exit $ra and $rb"; cat "$tmp/a.err" "$tmp/b.err"; }
run history "$db2" --json -
[ "$rc" -eq 0 ] && [ "$(grep -c "$full" "$tmp/out")" -eq 2 ] && ok ||
  { bad "concurrent writers: both runs complete (exit $rc):"; cat "$tmp/out" "$tmp/err"; }
grep -q '"run": 1,' "$tmp/out" && grep -q '"run": 2,' "$tmp/out" && ok || bad "runs 1 and 2 present"

# Writers killed with SIGKILL at random moments (0-0.7 s after the start; a run takes about
# 0.2 s before its transaction); 20 of them, each holding its transaction open for 400 ms
# so that many kills land inside it.
kills=0
for i in $(seq 1 20); do
  KZGKIT_HISTORY_TEST_DELAY_MS=400 ${KZGKIT_RUN_PREFIX:-} "$cli" "${bench[@]}" --history "$db" >/dev/null 2>&1 &
  pid=$!
  sleep "0.$(printf '%03d' $((RANDOM % 700)))"
  if kill -9 "$pid" 2>/dev/null; then kills=$((kills + 1)); fi
  wait "$pid" 2>/dev/null
done
run history "$db" --check
[ "$rc" -eq 0 ] && grep -q '^ok: .* integrity_check ok; every run complete$' "$tmp/out" && ok ||
  { bad "check after $kills kills (exit $rc):"; cat "$tmp/out" "$tmp/err"; }
run history "$db" --json -
runs=$(grep -c '^    {"id": [0-9]' "$tmp/out")
complete=$(grep -c "$full" "$tmp/out")
[ "$rc" -eq 0 ] && [ "$runs" -ge 3 ] && [ "$runs" -eq "$complete" ] && ok ||
  { bad "after $kills kills: $runs runs, $complete complete (exit $rc)"; cat "$tmp/err"; }
grep -q '{"id": 1, ' "$tmp/out" && grep -q '{"id": 3, ' "$tmp/out" && ok || bad "the first runs were lost"
echo "kill test: $kills of 20 writers killed, $((runs - 3)) of their runs committed"
# The file still takes runs.
run "${bench[@]}" --history "$db"
[ "$rc" -eq 0 ] && ok || { bad "append after the kills (exit $rc):"; cat "$tmp/err"; }

# The page: self-contained, one trend plot per benchmark.
run history "$db" --html "$tmp/page.html" --json "$tmp/h.json"
[ "$rc" -eq 0 ] && [ "$(grep -o '<svg class="trend-plot"' "$tmp/page.html" | wc -l)" -eq 1 ] &&
  ! grep -qi '<script\|https\?:' "$tmp/page.html" && grep -q '"schema": "kzgkit-history"' "$tmp/h.json" && ok ||
  { bad "history --html/--json (exit $rc):"; cat "$tmp/err"; }

cli_test_finish

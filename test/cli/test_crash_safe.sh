#!/usr/bin/env bash
# test/cli/test_crash_safe.sh KZGKIT — files the CLI writes survive `kill -9` (issue 15 §4):
# `kzgkit bench --json F --html H` is killed with SIGKILL after a random delay, ROUNDS times,
# over an existing pair of files; each time the files found are whole (the JSON reads back
# through `kzgkit compare`, the HTML ends with </html>) — the old ones or the new ones.
# The library's table cache has its own kill test (test_table_cache_kill).
cli=$1
. "$(dirname "$0")/lib.sh"
cli_test_init crash-safe
rounds=${ROUNDS:-60}

run bench --quick --filter '^fr_mul$' --json "$tmp/r.json" --html "$tmp/r.html"
[ "$rc" -eq 0 ] && ok || bad "first bench run: $rc $(cat "$tmp/err")"
whole=0
for r in $(seq 1 "$rounds"); do
  ${KZGKIT_RUN_PREFIX:-} "$cli" bench --quick --filter '^fr_mul$' --json "$tmp/r.json" \
    --html "$tmp/r.html" >/dev/null 2>&1 &
  pid=$!
  sleep "0.$(printf '%03d' $((RANDOM % 200)))"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  if [ -e "$tmp/r.json" ]; then
    if ${KZGKIT_RUN_PREFIX:-} "$cli" compare "$tmp/r.json" "$tmp/r.json" >/dev/null 2>"$tmp/cmp.err"; then ok; else
      bad "round $r: r.json does not read back: $(head -c 300 "$tmp/cmp.err")"; fi
  else
    bad "round $r: r.json is gone"
  fi
  if [ "$(tail -n 1 "$tmp/r.html" 2>/dev/null)" = "</html>" ]; then ok; else
    bad "round $r: r.html is torn ($(wc -c <"$tmp/r.html" 2>/dev/null) bytes)"; fi
  whole=$((whole + 1))
done
echo "$whole kills: both files whole every time"

# What the killed writers left (NAME.tmp.PID.N) is swept by the next successful write once
# it is a minute old and its writer is gone; a live writer's temporary is kept.
left=$(ls "$tmp" | grep -c '^r\.\(json\|html\)\.tmp\.' || true)
touch -d '2 minutes ago' "$tmp"/r.*.tmp.* 2>/dev/null
: >"$tmp/r.json.tmp.$$.0"; touch -d '2 minutes ago' "$tmp/r.json.tmp.$$.0" # this shell: alive
: >"$tmp/r.json.tmp.$$.1"                                                  # alive and young
sleep 0 & dead=$!; wait "$dead"                                          # a writer that is gone
: >"$tmp/r.html.tmp.$dead.7"; touch -d '2 minutes ago' "$tmp/r.html.tmp.$dead.7"
left=$((left + 1))
run bench --quick --filter '^fr_mul$' --json "$tmp/r.json" --html "$tmp/r.html"
[ "$rc" -eq 0 ] && ok || bad "bench after the kills: $rc $(cat "$tmp/err")"
rest=$(ls "$tmp" | grep '^r\.\(json\|html\)\.tmp\.' | sort | tr '\n' ' ')
if [ "$rest" = "r.json.tmp.$$.0 r.json.tmp.$$.1 " ]; then ok; else
  bad "after the sweep: '$rest' (want only this shell's two)"; fi
echo "$left dead writers' temporaries (the kills' and one planted) swept by the next write"
cli_test_finish

#!/usr/bin/env bash
# test/cli/test_io_faults.sh KZGKIT — I/O faults on every file the CLI reads or writes
# (issue 15 §3): missing, a directory in its place, empty, truncated, and writes that fail
# (RLIMIT_FSIZE: the write gets EFBIG, as on a full disk) — each a non-zero exit with a
# message naming the file and the cause, never a crash, and a failed write leaves the
# previous file intact with no temporary file beside it.
cli=$1
. "$(dirname "$0")/lib.sh"
cli_test_init io-faults
d=$tmp
mkdir "$d/adir"
head -c 0 /dev/null >"$d/empty"

# fault WHAT RC REGEX CMD...: runs the CLI, expects exit RC and a last stderr line matching REGEX
fault() {
  local what=$1 want=$2 re=$3
  shift 3
  run "$@"
  if [ "$rc" -ne "$want" ]; then bad "$what: exit $rc, expected $want: $(tail -n 1 "$tmp/err")"; return; fi
  if tail -n 1 "$tmp/err" | grep -Eq -- "$re"; then ok; else bad "$what: message '$(tail -n 1 "$tmp/err")' does not match /$re/"; fi
}

# ---- reads: the trusted setup (--setup)
root=$(cd "$(dirname "$0")/../.." && pwd)
head -c 5000 "$root/data/trusted_setup.json" >"$d/trunc.json"
fault "setup missing" 2 "--setup $d/none.json: i/o error: .*No such file" --setup "$d/none.json" info
fault "setup is a directory" 2 "--setup $d/adir: i/o error: .*Is a directory" --setup "$d/adir" info
fault "setup empty" 2 "--setup $d/empty: bad trusted setup" --setup "$d/empty" info
fault "setup truncated" 2 "--setup $d/trunc.json: bad trusted setup" --setup "$d/trunc.json" info

# ---- reads: the tuning profile (KZGKIT_PROFILE)
printf 'kzgkit-profile 2\ncpu_model' >"$d/trunc.profile"
KZGKIT_PROFILE="$d/none.profile" fault "profile missing" 2 "KZGKIT_PROFILE: i/o error: .*No such file" info
KZGKIT_PROFILE="$d/adir" fault "profile is a directory" 2 "KZGKIT_PROFILE: i/o error: .*Is a directory" info
KZGKIT_PROFILE="$d/empty" fault "profile empty" 2 "KZGKIT_PROFILE: " info
KZGKIT_PROFILE="$d/trunc.profile" fault "profile truncated" 2 "KZGKIT_PROFILE: " info

# ---- reads: BLOB files and LIST files
head -c 1000 /dev/zero >"$d/short.blob"
fault "blob missing" 2 "BLOB: " commit "$d/none.blob"
fault "blob is a directory" 2 "BLOB: " commit "$d/adir"
fault "blob truncated" 2 "BLOB: " commit "$d/short.blob"
fault "blob empty" 2 "BLOB: " commit "$d/empty"
printf '0x00 0x' >"$d/trunc.list"
for c in verify-blob-batch verify-cells recover; do
  fault "$c LIST missing" 2 "LIST" $c "$d/none.list"
  fault "$c LIST is a directory" 2 "LIST" $c "$d/adir"
  fault "$c LIST truncated" 2 "LIST line 1" $c "$d/trunc.list"
done

# ---- bounded inputs (docs/TESTING.md, "Bounded work"): LIST files stop at their limit
head -c 131072 /dev/zero >"$d/zero.blob"
run cells "$d/zero.blob"
awk '{print $1, $2} NR == 1 {first = $1 " " $2} END {print first}' "$tmp/out" >"$d/r129.list"
fault "recover: 129 cells" 2 "LIST line 129: more than 128 cells" recover "$d/r129.list"
run commit "$d/zero.blob"; zc=$(cat "$tmp/out")
run prove-blob "$d/zero.blob" "$zc"; zp=$(cat "$tmp/out")
awk -v l="$d/zero.blob $zc $zp" 'BEGIN { for (i = 0; i < 4097; i++) print l }' >"$d/b4097.list"
fault "verify-blob-batch: 4097 blobs" 2 "LIST line 4097: more than 4096 blobs" verify-blob-batch "$d/b4097.list"
head -n 4096 "$d/b4097.list" >"$d/b4096.list"
run verify-blob-batch "$d/b4096.list"
[ "$rc" -eq 0 ] && [ "$(cat "$tmp/out")" = true ] && ok || bad "verify-blob-batch of 4096 blobs: $rc $(tail -n 1 "$tmp/err")"

# ---- reads: benchmark results, baselines, history
echo '{"schema": 1, "results": [' >"$d/trunc.json2"
fault "compare: missing" 2 "none.json" compare "$d/none.json" "$d/none.json"
fault "compare: a directory" 2 "adir" compare "$d/adir" "$d/adir"
fault "compare: truncated" 2 "trunc.json2" compare "$d/trunc.json2" "$d/trunc.json2"
fault "compare: empty" 2 "empty" compare "$d/empty" "$d/empty"
fault "analyze: truncated" 2 "trunc.json2" analyze "$d/trunc.json2"
fault "history: a directory" 2 "adir" history "$d/adir"

# ---- writes: bench --json / --html, tune --output
run bench --quick --filter '^fr_mul$' --json "$d/old.json" --html "$d/old.html"
[ "$rc" -eq 0 ] && ok || bad "bench: $(tail -n 1 "$tmp/err")"
sum_before=$(cat "$d/old.json" "$d/old.html" | cksum)
fault "bench --json into a directory" 1 "adir: write failed: Is a directory" \
  bench --quick --filter '^fr_mul$' --json "$d/adir"
fault "bench --json in a missing directory" 1 "none/x.json: cannot create: No such file" \
  bench --quick --filter '^fr_mul$' --json "$d/none/x.json"
fault "bench --html in a missing directory" 1 "none/x.html: cannot create: No such file" \
  bench --quick --filter '^fr_mul$' --html "$d/none/x.html"
# A write that fails half-way (the files are ~3 and ~6 KB; 1 KB allowed): EFBIG, the old
# files untouched. SIGXFSZ is ignored so that the write returns the error; the limit applies
# to the CLI alone (its stderr goes through a pipe).
( trap '' XFSZ; ulimit -f 1; exec ${KZGKIT_RUN_PREFIX:-} "$cli" bench --quick --filter '^fr_mul$' \
    --json "$d/old.json" --html "$d/old.html" ) 2>&1 >/dev/null | cat >"$tmp/err"
grep -q "old.json: write failed: File too large" "$tmp/err" && ok || bad "bench JSON write failure: $(cat "$tmp/err")"
grep -q "old.html: write failed: File too large" "$tmp/err" && ok || bad "bench HTML write failure: $(cat "$tmp/err")"
[ "$(cat "$d/old.json" "$d/old.html" | cksum)" = "$sum_before" ] && ok || bad "a failed write changed the old files"
ls "$d" | grep -q '\.tmp\.' && bad "temporary files left: $(ls "$d")" || ok
fault "tune --output into a directory" 2 "adir" tune --quick --only batch --rounds 1 --output "$d/adir"
fault "tune --output in a missing directory" 2 "none/p.txt" tune --quick --only batch --rounds 1 --output "$d/none/p.txt"

# ---- the service's files
# (only where the service is built: not in cross builds, docs/SERVICE.md)
run serve --token-file "$d/none"
if ! grep -q "built without the service" "$tmp/err"; then
  fault "serve token missing" 2 "--token-file $d/none: No such file" serve --listen 127.0.0.1:0 --token-file "$d/none"
  fault "serve token is a directory" 2 "--token-file $d/adir: Is a directory" serve --listen 127.0.0.1:0 --token-file "$d/adir"
  fault "serve token empty" 2 "--token-file $d/empty: the token must be at least 16" serve --listen 127.0.0.1:0 --token-file "$d/empty"
  fault "serve port file in a missing directory" 2 "--port-file $d/none/port: No such file" \
    serve --listen 127.0.0.1:0 --port-file "$d/none/port"
fi

cli_test_finish

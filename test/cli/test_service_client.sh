#!/usr/bin/env bash
# test/cli/test_service_client.sh KZGKIT [--vectors DIR] — the client side of `kzgkit serve`.
#
# Starts `kzgkit serve` on 127.0.0.1 (a free port, --port-file), waits for /readyz, then:
#   default      --remote commit, prove, prove-blob, verify, verify-blob, verify-blob-batch,
#                cells (with and without proofs), verify-cells and recover print exactly what
#                the local commands print; a bad input's one stderr line and exit code 2 are
#                the local ones; a false verification exits 1; no answer and commands without
#                --remote exit 2 with one line; `loadgen --requests 200 --verify` over every
#                request kind (malformed ones included) exits 0 with wrong 0 and failed 0,
#                binary and JSON bodies; a token set on the server is required and accepted;
#                a 413 (over --max-batch) is one "remote URL: HTTP 413" line and exit 2.
#   --vectors    `check-vectors --remote` over DIR gives the local summary (skipped, 77,
#                when DIR does not exist).
# SIGTERM then stops the server, which must exit 0. Traffic goes to 127.0.0.1 only, and
# every loop is bounded. Prints "N passed, M failed"; exits 1 on any failure.
set -uo pipefail

cli="${1:?usage: test_service_client.sh PATH/TO/kzgkit [--vectors DIR]}"
mode=client
refdir=
if [ "${2:-}" = "--vectors" ]; then
  mode=vectors
  refdir="${3:?--vectors needs DIR}"
  if [ ! -d "$refdir" ]; then
    echo "service_vectors: SKIPPED: no reference tests at $refdir (KZGKIT_REFERENCE_TESTS)"
    exit 77
  fi
fi
. "$(dirname "$0")/lib.sh"
cli_test_init service-client
unset KZGKIT_TOKEN KZGKIT_TOKEN_FILE
if ! "$cli" loadgen --help >/dev/null 2>&1 || ! "$cli" serve --help >/dev/null 2>&1; then
  echo "service_client: SKIPPED: $cli was built without the service"
  exit 77
fi

# ---- the server --------------------------------------------------------------------------
srv=
# shellcheck disable=SC2317 # called from the EXIT trap
stop_server() { if [ -n "$srv" ]; then kill -TERM "$srv" 2>/dev/null; wait "$srv" 2>/dev/null; srv=; fi; }
# shellcheck disable=SC2064 # expand $tmp now
trap "stop_server; rm -rf '$tmp'" EXIT

# start_server [ARGS...]: sets $srv and $url, or fails the test and exits.
start_server() {
  rm -f "$tmp/port"
  ${KZGKIT_RUN_PREFIX:-} "$cli" serve --listen 127.0.0.1:0 --port-file "$tmp/port" --threads 1 "$@" \
    >"$tmp/serve.out" 2>"$tmp/serve.err" &
  srv=$!
  for _ in $(seq 1 300); do # 30 s at most: the setup loads, then the port is written
    [ -s "$tmp/port" ] && break
    if ! kill -0 "$srv" 2>/dev/null; then break; fi
    sleep 0.1
  done
  if [ ! -s "$tmp/port" ]; then
    bad "serve did not start: $(head -c 500 "$tmp/serve.err")"
    srv=
    cli_test_finish
  fi
  url="http://127.0.0.1:$(cat "$tmp/port")"
  if command -v curl >/dev/null 2>&1; then
    for _ in $(seq 1 100); do
      curl -fsS --max-time 2 "$url/readyz" >/dev/null 2>&1 && return 0
      sleep 0.1
    done
    bad "serve: /readyz did not answer 200 within 10 s"
    cli_test_finish
  fi
}

# stop_server_checked NAME: SIGTERM, the server must exit 0.
stop_server_checked() {
  local r
  kill -TERM "$srv"
  wait "$srv"
  r=$?
  srv=
  if [ "$r" -eq 0 ]; then ok; else bad "$1: serve exited $r after SIGTERM: $(tail -c 300 "$tmp/serve.err")"; fi
}

# ---- helpers -----------------------------------------------------------------------------
# same NAME ARGS... — the command run locally and with --remote: same exit code, same
# stdout, same stderr (a bad input's one line included).
same() {
  local name="$1"
  shift
  run "$@"
  local lrc=$rc
  cp "$tmp/out" "$tmp/local.out"
  cp "$tmp/err" "$tmp/local.err"
  run --remote "$url" "$@"
  if [ "$rc" -ne "$lrc" ]; then
    bad "$name: remote exit $rc, local $lrc; remote stderr: $(head -c 300 "$tmp/err")"
  elif ! cmp -s "$tmp/out" "$tmp/local.out"; then
    bad "$name: remote stdout differs from local ($(wc -c <"$tmp/out") vs $(wc -c <"$tmp/local.out") bytes)"
  elif ! cmp -s "$tmp/err" "$tmp/local.err"; then
    bad "$name: remote stderr '$(head -c 300 "$tmp/err")' differs from local '$(head -c 300 "$tmp/local.err")'"
  else
    ok
  fi
}

# expect_rc NAME RC — the last run's exit code.
expect_rc() { if [ "$rc" -eq "$2" ]; then ok; else bad "$1: exit $rc, expected $2; stderr: $(head -c 300 "$tmp/err")"; fi; }
# expect_one_line NAME REGEX — exactly one stderr line, matching REGEX.
expect_one_line() {
  if [ "$(wc -l <"$tmp/err")" -ne 1 ]; then bad "$1: $(wc -l <"$tmp/err") stderr lines: $(head -c 300 "$tmp/err")"
  elif ! grep -Eq -- "$2" "$tmp/err"; then bad "$1: stderr does not match /$2/: $(cat "$tmp/err")"
  else ok; fi
}

# blob SEED [BAD] — a blob as hex text: 4096 elements of 32 bytes from a multiplicative
# sequence, the first byte of each below 0x40 (canonical); element BAD (if given) all 0xff.
blob() {
  awk -v seed="$1" -v bad="${2:--1}" 'BEGIN {
    x = seed + 17; printf "0x";
    for (e = 0; e < 4096; e++) {
      for (b = 0; b < 32; b++) {
        x = (x * 48271) % 2147483647; v = x % 256;
        if (b == 0) v = v % 64;
        if (e == bad) v = 255;
        printf "%02x", v;
      }
    }
    printf "\n";
  }'
}

# ---- check-vectors --remote ----------------------------------------------------------------
if [ "$mode" = vectors ]; then
  start_server
  run check-vectors "$refdir"
  lrc=$rc
  tail -n 1 "$tmp/out" >"$tmp/local.sum"
  run --remote "$url" check-vectors "$refdir"
  if [ "$rc" -ne 0 ] || [ "$lrc" -ne 0 ]; then
    bad "check-vectors --remote: exit $rc (local $lrc): $(grep -m 5 FAIL "$tmp/out") $(head -c 300 "$tmp/err")"
  else
    ok
  fi
  # The summary: as many passed as locally minus the two challenge functions (no endpoint),
  # which are skipped instead.
  remote_sum=$(tail -n 1 "$tmp/out")
  lp=$(sed -E 's/^([0-9]+) passed.*/\1/' "$tmp/local.sum")
  rp=$(echo "$remote_sum" | sed -E 's/^([0-9]+) passed.*/\1/')
  rs=$(echo "$remote_sum" | sed -nE 's/.* ([0-9]+) skipped$/\1/p')
  if [ -n "$rs" ] && [ "$((rp + rs))" -eq "$lp" ] && echo "$remote_sum" | grep -q ' 0 failed'; then
    ok
  else
    bad "check-vectors --remote summary '$remote_sum' against local '$(cat "$tmp/local.sum")'"
  fi
  if grep -Eq '^compute_challenge +skipped: [0-9]+ cases \(no endpoint\)' "$tmp/out"; then ok
  else bad "check-vectors --remote: compute_challenge not reported as skipped (no endpoint)"; fi
  echo "local:  $(cat "$tmp/local.sum")"
  echo "remote: $remote_sum"
  stop_server_checked "vectors"
  cli_test_finish
fi

# ---- inputs ------------------------------------------------------------------------------
blob 1 >"$tmp/b1.hex"
blob 2 >"$tmp/b2.hex"
blob 3 5 >"$tmp/bad.hex" # element 5 >= r
z=0x0000000000000000000000000000000000000000000000000000000000000005

start_server
run commit "$tmp/b1.hex"
c1=$(cat "$tmp/out")
run prove-blob "$tmp/b1.hex" "$c1"
p1=$(cat "$tmp/out")
run commit "$tmp/b2.hex"
c2=$(cat "$tmp/out")
run prove-blob "$tmp/b2.hex" "$c2"
p2=$(cat "$tmp/out")
run prove "$tmp/b1.hex" "$z"
zp=$(sed -n 1p "$tmp/out")
y=$(sed -n 2p "$tmp/out")
y_wrong=${y%?}$(printf '%x' $(( (16#${y: -1} + 1) % 16 )))

# ---- --remote against local --------------------------------------------------------------
same "commit" commit "$tmp/b1.hex"
same "prove" prove "$tmp/b1.hex" "$z"
same "prove-blob" prove-blob "$tmp/b1.hex" "$c1"
same "verify true" verify "$c1" "$z" "$y" "$zp"
run --remote "$url" verify "$c1" "$z" "$y" "$zp"
expect_rc "verify true exit" 0
same "verify false" verify "$c1" "$z" "$y_wrong" "$zp"
run --remote "$url" verify "$c1" "$z" "$y_wrong" "$zp"
expect_rc "verify false exit" 1
same "verify-blob true" verify-blob "$tmp/b1.hex" "$c1" "$p1"
same "verify-blob false" verify-blob "$tmp/b1.hex" "$c1" "$p2"
printf '%s %s %s\n# a comment\n%s %s %s\n' "$tmp/b1.hex" "$c1" "$p1" "$tmp/b2.hex" "$c2" "$p2" >"$tmp/batch.txt"
same "verify-blob-batch" verify-blob-batch "$tmp/batch.txt"
printf '%s %s %s\n' "$tmp/b1.hex" "$c1" "$p2" >"$tmp/batch_false.txt"
same "verify-blob-batch false" verify-blob-batch "$tmp/batch_false.txt"
same "cells" cells "$tmp/b1.hex"
cp "$tmp/out" "$tmp/cells.txt"
same "cells --no-proofs" cells --no-proofs "$tmp/b1.hex"
awk -v c="$c1" 'NR % 9 == 1 {print c, $1, $2, $3}' "$tmp/cells.txt" >"$tmp/vc.txt"
same "verify-cells" verify-cells "$tmp/vc.txt"
awk '$1 % 2 == 0 {print $1, $2}' "$tmp/cells.txt" >"$tmp/half.txt"
same "recover" recover "$tmp/half.txt"
if cmp -s "$tmp/out" "$tmp/cells.txt"; then ok; else bad "recover --remote: not the cells"; fi
same "recover --no-proofs" recover --no-proofs "$tmp/half.txt"

# ---- bad inputs: the local line, exit 2 -----------------------------------------------------
same "commit non-canonical" commit "$tmp/bad.hex"
expect_rc "commit non-canonical exit" 2
expect_one_line "commit non-canonical line" '^kzgkit commit: BLOB: .+'
c_bad=0x0${c1:3}  # compression flag cleared
same "verify bad point" verify "$c_bad" "$z" "$y" "$zp"
expect_rc "verify bad point exit" 2
same "prove-blob bad commitment" prove-blob "$tmp/b1.hex" "$c_bad"
# a non-canonical cell element on LIST line 3: the line is named from the service's detail
awk -v c="$c1" 'NR <= 4 {cell = $2; if (NR == 3) cell = "0x" substr("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", 1, 64) substr($2, 67); print c, $1, cell, $3}' \
  "$tmp/cells.txt" >"$tmp/vc_bad.txt"
same "verify-cells non-canonical cell" verify-cells "$tmp/vc_bad.txt"
expect_one_line "verify-cells non-canonical line" '^kzgkit verify-cells: LIST line 3: '
head -n 10 "$tmp/half.txt" >"$tmp/few.txt"
same "recover too few" recover "$tmp/few.txt"

# ---- transport failures and commands without --remote -----------------------------------------
run --remote http://127.0.0.1:1 commit "$tmp/b1.hex"
expect_rc "no answer exit" 2
expect_one_line "no answer line" '^kzgkit commit: remote http://127.0.0.1:1: '
run --remote "$url" info
expect_rc "info --remote exit" 2
expect_one_line "info --remote line" '^kzgkit info: not available with --remote$'
run --remote "$url" --setup /nonexistent commit "$tmp/b1.hex"
expect_rc "--setup with --remote exit" 2

# ---- loadgen ---------------------------------------------------------------------------------
mix="commit=4,prove=1,prove-blob=2,verify=2,verify-blob=4,verify-batch=1,cells=1,compute-cells=1,verify-cells=1,recover=1,process=1,malformed=2"
run loadgen "$url" --requests 200 --verify --blobs 4 --mix "$mix" --json "$tmp/lg.json"
expect_rc "loadgen binary" 0
if grep -q '"requests":200,' "$tmp/lg.json" && grep -q '"wrong":0,' "$tmp/lg.json" &&
   grep -q '"failed":0,' "$tmp/lg.json" && grep -q '"timeline":\[{"t":0,' "$tmp/lg.json"; then ok
else bad "loadgen --json: $(head -c 400 "$tmp/lg.json")"; fi
grep -E '^(requests|all|loadgen CPU)' "$tmp/out"
run loadgen "$url" --requests 60 --verify --json-bodies --blobs 2 --connections 3 --mix "$mix"
expect_rc "loadgen JSON bodies" 0
grep -E '^requests' "$tmp/out"
run loadgen "$url" --duration 2 --rate 20 --mix commit=1,malformed=1
expect_rc "loadgen open loop" 0
run loadgen "$url" --mix nope=1
expect_rc "loadgen bad mix" 2
run loadgen http://127.0.0.1:1 --requests 3 --retries 1 --mix commit=1
expect_rc "loadgen no server" 1
if grep -Eq '^requests 3 +ok 0 +wrong 0 +failed 3 +retried 3 ' "$tmp/out"; then ok
else bad "loadgen no server: $(grep '^requests' "$tmp/out")"; fi
stop_server_checked "first server"

# ---- a token, and a batch limit ------------------------------------------------------------
printf 'secret-token-123\n' >"$tmp/token"
start_server --token-file "$tmp/token" --max-batch 1
run --remote "$url" commit "$tmp/b1.hex"
expect_rc "no token exit" 2
expect_one_line "no token line" "^kzgkit commit: remote $url: HTTP 401"
export KZGKIT_TOKEN=secret-token-123
run --remote "$url" commit "$tmp/b1.hex"
expect_rc "KZGKIT_TOKEN" 0
export KZGKIT_TOKEN=wrong-token
run --remote "$url" commit "$tmp/b1.hex"
expect_rc "wrong token exit" 2
unset KZGKIT_TOKEN
export KZGKIT_TOKEN_FILE="$tmp/token"
run --remote "$url" commit "$tmp/b1.hex"
expect_rc "KZGKIT_TOKEN_FILE" 0
if [ "$(cat "$tmp/out")" = "$c1" ]; then ok; else bad "commit with a token: $(cat "$tmp/out")"; fi
# an HTTP error other than 400 (413: two blobs where --max-batch is 1): one line, exit 2
run --remote "$url" verify-blob-batch "$tmp/batch.txt"
expect_rc "413 exit" 2
expect_one_line "413 line" "^kzgkit verify-blob-batch: remote $url: HTTP 413 "
unset KZGKIT_TOKEN_FILE
stop_server_checked "token server"

cli_test_finish

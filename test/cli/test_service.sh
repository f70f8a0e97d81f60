#!/usr/bin/env bash
# test/cli/test_service.sh KZGKIT — `kzgkit serve` over HTTP with curl: answers equal the
# local CLI's (JSON and binary), every error status (400 with the kzg_status name, 401, 403,
# 404, 405, 413, 415, 429 with Retry-After), /healthz, /readyz, /metrics, the slow-body
# timeout, start-up failures, and SIGTERM finishing the accepted requests before exit 0.
# Traffic goes to 127.0.0.1 only. Skipped (77) without curl.
cli=$1
. "$(dirname "$0")/lib.sh"
cli_test_init service
command -v curl >/dev/null || { echo "service: SKIPPED: curl not found (apt-get install -y curl)"; exit 77; }

token=0123456789abcdef-test-token
echo "$token" >"$tmp/token"
auth="Authorization: Bearer $token"
server_pid=

start_server() { # ARGS...: starts kzgkit serve in the background, sets $port
  rm -f "$tmp/port"
  ${KZGKIT_RUN_PREFIX:-} "$cli" serve --listen 127.0.0.1:0 --port-file "$tmp/port" "$@" \
    2>"$tmp/serve.err" &
  server_pid=$!
  for _ in $(seq 1 100); do
    [ -s "$tmp/port" ] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  port=$(cat "$tmp/port" 2>/dev/null)
  [ -n "$port" ] || { echo "FAIL: the server did not start:"; cat "$tmp/serve.err"; exit 1; }
}
stop_server() {
  [ -n "$server_pid" ] || return 0
  kill -TERM "$server_pid" 2>/dev/null
  wait "$server_pid"
  server_rc=$?
  server_pid=
}
trap 'kill -9 $server_pid 2>/dev/null; rm -rf "$tmp"' EXIT

# post PATH CTYPE FILE [extra curl args]: status in $code, body in $tmp/body, headers in $tmp/hdr
post() {
  local path=$1 ctype=$2 file=$3
  shift 3
  code=$(curl -s -o "$tmp/body" -D "$tmp/hdr" -w '%{http_code}' -H "$auth" \
    -H "Content-Type: $ctype" --data-binary "@$file" "$@" "http://127.0.0.1:$port$path")
}
hexof() { od -An -tx1 -v "$1" | tr -d ' \n'; }
unhex() { perl -ne 's/\s+//g; print pack("H*", $_)'; } # hex text on stdin -> bytes
expect() { # WHAT WANT GOT (long values are cut to 200 characters in the message)
  if [ "$2" = "$3" ]; then ok; else bad "$1: expected '${2:0:200}', got '${3:0:200}'"; fi
}
expect_error() { # WHAT HTTP NAME: the last answer is HTTP with {"error": NAME, ...}
  expect "$1: status" "$2" "$code"
  if grep -q "\"error\":\"$3\",\"message\":\"" "$tmp/body"; then ok; else
    bad "$1: body $(head -c 300 "$tmp/body")"; fi
}

start_server --threads 2 --queue 2 --max-body 600K --max-batch 2 --token-file "$tmp/token" \
  --request-timeout 2
grep -q "listening on http://127.0.0.1:$port" "$tmp/serve.err" && ok || bad "listening line: $(cat "$tmp/serve.err")"

# ---- health and metrics
expect healthz 200 "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz")"
expect readyz 200 "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")"
expect "metrics without a token" 401 "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/metrics")"

# ---- answers equal the local CLI's
head -c 131072 /dev/zero >"$tmp/zero.blob"
# A non-trivial blob: field elements 0x00 || 31 bytes of a counter pattern (canonical).
for i in $(seq 0 4095); do printf '00%062x' "$((i * 7919 + 1))"; done | sed 's/^/0x/' >"$tmp/blob.hex"
cut -c3- "$tmp/blob.hex" | unhex >"$tmp/blob.bin"
run commit "$tmp/blob.hex"; commitment=$(cat "$tmp/out")
expect "local commit" 0 "$rc"

post /v1/blob_to_kzg_commitment application/octet-stream "$tmp/blob.bin"
expect "binary commit: status" 200 "$code"
expect "binary commit" "${commitment#0x}" "$(hexof "$tmp/body")"
printf '{"blob":"%s"}' "$(cat "$tmp/blob.hex")" >"$tmp/commit.json"
post /v1/blob_to_kzg_commitment application/json "$tmp/commit.json"
expect "JSON commit" "{\"output\":\"$commitment\"}" "$(cat "$tmp/body")"

z=0x0000000000000000000000000000000000000000000000000000000000000005
run prove "$tmp/blob.hex" "$z"; proof=$(sed -n 1p "$tmp/out"); y=$(sed -n 2p "$tmp/out")
{ cat "$tmp/blob.bin"; printf '%s' "${z#0x}" | unhex; } >"$tmp/prove.bin"
post /v1/compute_kzg_proof application/octet-stream "$tmp/prove.bin"
expect "binary compute_kzg_proof" "${proof#0x}${y#0x}" "$(hexof "$tmp/body")"
printf '{"blob":"%s","z":"%s"}' "$(cat "$tmp/blob.hex")" "$z" >"$tmp/prove.json"
post /v1/compute_kzg_proof application/json "$tmp/prove.json"
expect "JSON compute_kzg_proof" "{\"output\":[\"$proof\",\"$y\"]}" "$(cat "$tmp/body")"

printf '{"commitment":"%s","z":"%s","y":"%s","proof":"%s"}' "$commitment" "$z" "$y" "$proof" >"$tmp/v.json"
post /v1/verify_kzg_proof application/json "$tmp/v.json"
expect "verify_kzg_proof true" '{"output":true}' "$(cat "$tmp/body")"
printf '{"commitment":"%s","z":"%s","y":"%s","proof":"%s"}' "$commitment" "$z" "$z" "$proof" >"$tmp/v.json"
post /v1/verify_kzg_proof application/json "$tmp/v.json"
expect "verify_kzg_proof false" '{"output":false}' "$(cat "$tmp/body")"

run cells "$tmp/blob.hex"
awk '{printf "%s", substr($2, 3)}' "$tmp/out" >"$tmp/cells.want"
awk '{printf "%s", substr($3, 3)}' "$tmp/out" >"$tmp/proofs.want"
cp "$tmp/out" "$tmp/cells.txt"
post /v1/compute_cells_and_kzg_proofs application/octet-stream "$tmp/blob.bin"
expect "binary cells and proofs" "$(cat "$tmp/cells.want" "$tmp/proofs.want")" "$(hexof "$tmp/body")"
post /v1/compute_cells application/octet-stream "$tmp/blob.bin"
expect "binary cells" "$(cat "$tmp/cells.want")" "$(hexof "$tmp/body")"

# recover from the even cells (binary: index u64 big-endian || cell)
awk '$1 % 2 == 0 {printf "%016x%s", $1, substr($2, 3)}' "$tmp/cells.txt" | unhex >"$tmp/recover.bin"
post /v1/recover_cells_and_kzg_proofs application/octet-stream "$tmp/recover.bin"
expect "binary recover" "$(cat "$tmp/cells.want" "$tmp/proofs.want")" "$(hexof "$tmp/body")"

# verify_cell_kzg_proof_batch of cells 0 and 5 (commitment || index || cell || proof)
awk -v c="${commitment#0x}" '$1 == 0 || $1 == 5 {printf "%s%016x%s%s", c, $1, substr($2, 3), substr($3, 3)}' \
  "$tmp/cells.txt" | unhex >"$tmp/vc.bin"
post /v1/verify_cell_kzg_proof_batch application/octet-stream "$tmp/vc.bin"
expect "binary verify_cell_kzg_proof_batch" 01 "$(hexof "$tmp/body")"

# process_blobs: two blobs (the batch processor), JSON
printf '{"blobs":["%s","%s"]}' "$(cat "$tmp/blob.hex")" "$(cat "$tmp/blob.hex")" >"$tmp/pb.json"
post /v1/process_blobs application/json "$tmp/pb.json"
run prove-blob "$tmp/blob.hex" "$commitment"; blob_proof=$(cat "$tmp/out")
expect "process_blobs" "{\"output\":{\"commitments\":[\"$commitment\",\"$commitment\"],\"proofs\":[\"$blob_proof\",\"$blob_proof\"]}}" "$(cat "$tmp/body")"
# verify_blob_kzg_proof_batch, binary: one record
{ cat "$tmp/blob.bin"; printf '%s%s' "${commitment#0x}" "${blob_proof#0x}" | unhex; } >"$tmp/vb.bin"
post /v1/verify_blob_kzg_proof_batch application/octet-stream "$tmp/vb.bin"
expect "binary verify_blob_kzg_proof_batch" 01 "$(hexof "$tmp/body")"

# ---- errors
head -c 100 /dev/zero >"$tmp/short"
post /v1/blob_to_kzg_commitment application/octet-stream "$tmp/short"
expect_error "binary length" 400 KZG_ERR_LENGTH
printf '{"blob": ' >"$tmp/badjson"
post /v1/blob_to_kzg_commitment application/json "$tmp/badjson"
expect_error "bad JSON" 400 KZG_ERR_BAD_ARG
head -c 131072 /dev/zero | tr '\0' '\377' >"$tmp/ff.blob"
post /v1/blob_to_kzg_commitment application/octet-stream "$tmp/ff.blob"
expect_error "non-canonical blob" 400 KZG_ERR_SCALAR_NONCANONICAL
grep -q 'field element' "$tmp/body" && ok || bad "non-canonical detail: $(cat "$tmp/body")"
printf '{"commitment":"0x%096d","z":"%s","y":"%s","proof":"%s"}' 0 "$z" "$y" "$proof" >"$tmp/v.json"
post /v1/verify_kzg_proof application/json "$tmp/v.json"
expect_error "bad point" 400 KZG_ERR_POINT_ENCODING
run commit "$tmp/ff.blob"
local_line=$(cat "$tmp/err")
[ -n "$local_line" ] && ok || bad "local commit error line missing"
post /v1/nope application/json "$tmp/commit.json"
expect_error "unknown endpoint" 404 not_found
code=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "$auth" "http://127.0.0.1:$port/v1/blob_to_kzg_commitment")
expect_error "GET on an endpoint" 405 method_not_allowed
post /v1/blob_to_kzg_commitment text/plain "$tmp/commit.json"
expect_error "content type" 415 unsupported_media_type
head -c 700000 /dev/zero >"$tmp/big"
post /v1/process_blobs application/octet-stream "$tmp/big"
expect_error "body over --max-body" 413 too_large
cat "$tmp/zero.blob" "$tmp/zero.blob" "$tmp/zero.blob" >"$tmp/three"
post /v1/process_blobs application/octet-stream "$tmp/three" # 3 > --max-batch 2
expect_error "three blobs" 413 too_large
code=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Content-Type: application/json" \
  --data-binary @"$tmp/commit.json" "http://127.0.0.1:$port/v1/blob_to_kzg_commitment")
expect_error "no token" 401 unauthorized
# Refusals decided from the headers (here: no token) are answered once the body has been
# read, so that a client still sending gets the answer instead of a broken pipe (kzgkit
# --remote saw "Send failure: Broken pipe" under TSan). Over a raw connection: the headers,
# then no answer while the body is missing, then the body, then the 401.
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'POST /v1/process_blobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\nContent-Length: 64\r\n\r\n' >&3
if IFS= read -r -t 1 line <&3; then bad "an answer before the body arrived: $line"; else ok; fi
head -c 64 /dev/zero >&3
if IFS= read -r -t 10 line <&3 && [[ "$line" == "HTTP/1.1 401"* ]]; then ok
else bad "no 401 after the body: ${line:-nothing}"; fi
exec 3<&-
head -c 500000 /dev/zero >"$tmp/large"
code=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Content-Type: application/octet-stream" \
  -H 'Expect:' --data-binary @"$tmp/large" "http://127.0.0.1:$port/v1/process_blobs")
expect_error "no token, large body" 401 unauthorized
post /v1/process_blobs text/plain "$tmp/large"
expect_error "content type, large body" 415 unsupported_media_type
code=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Authorization: Bearer wrong-token-0123456789" \
  -H "Content-Type: application/json" --data-binary @"$tmp/commit.json" \
  "http://127.0.0.1:$port/v1/blob_to_kzg_commitment")
expect_error "wrong token" 403 forbidden
# --max-batch 2: three commitments in a JSON batch verification
printf '{"blobs":[],"commitments":["%s","%s","%s"],"proofs":[]}' "$commitment" "$commitment" "$commitment" >"$tmp/vb3.json"
post /v1/verify_blob_kzg_proof_batch application/json "$tmp/vb3.json"
expect_error "over --max-batch" 413 too_large

# ---- overload: 2 workers + queue 2; eight slow requests at once -> some 429 + Retry-After
for i in $(seq 1 8); do
  curl -s -o /dev/null -D "$tmp/h$i" -w '%{http_code}\n' -H "$auth" -H 'Content-Type: application/octet-stream' \
    --data-binary @"$tmp/blob.bin" "http://127.0.0.1:$port/v1/compute_cells_and_kzg_proofs" >"$tmp/c$i" &
  pids="${pids:-} $!"
done
wait $pids # (a bare wait would wait for the server too)
# (a queued request that waits over --request-timeout 2 gets 503 timeout: slow builds, ASan)
n200=$(cat "$tmp"/c[1-8] | grep -c '^200$'); n429=$(cat "$tmp"/c[1-8] | grep -c '^429$')
n503=$(cat "$tmp"/c[1-8] | grep -c '^503$')
[ "$n200" -ge 2 ] && [ "$n429" -ge 1 ] && [ $((n200 + n429 + n503)) -eq 8 ] && ok ||
  bad "overload: $n200 x 200, $n429 x 429 of 8: $(cat "$tmp"/c[1-8] | tr '\n' ' ')"
grep -il '^Retry-After: 1' "$tmp"/h[1-8] >/dev/null && ok || bad "429 without Retry-After"

# ---- a body that drips slower than --request-timeout 2: the connection is closed
code=$(curl -s -o /dev/null -w '%{http_code}' --limit-rate 20K -m 20 -H "$auth" \
  -H 'Content-Type: application/octet-stream' --data-binary @"$tmp/blob.bin" \
  "http://127.0.0.1:$port/v1/blob_to_kzg_commitment")
expect "slow body closed" 000 "$code"

# ---- metrics
code=$(curl -s -o "$tmp/metrics" -w '%{http_code}' -H "$auth" "http://127.0.0.1:$port/metrics")
expect "metrics" 200 "$code"
for m in 'kzgkit_http_requests_total{route="blob_to_kzg_commitment",code="200"} 2' \
         'kzgkit_http_requests_total{route="compute_cells_and_kzg_proofs",code="429"}' \
         'kzgkit_http_request_duration_seconds_bucket{route="process_blobs",le="+Inf"}' \
         'kzgkit_http_queue_depth 0' 'kzgkit_http_in_flight 0' 'kzgkit_http_workers 2' \
         'kzgkit_http_overload_rejections_total' 'kzgkit_operation_duration_seconds'; do
  grep -qF "$m" "$tmp/metrics" && ok || bad "metrics: no '$m'"
done

# ---- SIGTERM while two requests run: both answered, exit 0
for i in 1 2; do
  curl -s -o "$tmp/d$i" -w '%{http_code}' -H "$auth" -H 'Content-Type: application/octet-stream' \
    --data-binary @"$tmp/blob.bin" "http://127.0.0.1:$port/v1/compute_cells_and_kzg_proofs" >"$tmp/dc$i" &
  dpids="${dpids:-} $!"
done
# SIGTERM once both are accepted (in flight 2): with only one accepted, the other may still
# be arriving and is then rightly refused with 503 draining (seen on a loaded machine). Both
# finished already (a fast machine): SIGTERM then, nothing left to drain.
for _ in $(seq 1 1000); do
  curl -s -H "$auth" "http://127.0.0.1:$port/metrics" | grep -q '^kzgkit_http_in_flight 2$' && break
  [ -s "$tmp/dc1" ] && [ -s "$tmp/dc2" ] && break
  sleep 0.01
done
stop_server
wait $dpids
expect "drain exit" 0 "$server_rc"
expect "drained requests" "200 200" "$(cat "$tmp/dc1") $(cat "$tmp/dc2")"
expect "drained answer" "$(cat "$tmp/cells.want" "$tmp/proofs.want")" "$(hexof "$tmp/d1")"
grep -q "draining" "$tmp/serve.err" && ok || bad "no draining line: $(cat "$tmp/serve.err")"

# ---- start-up failures: one line, exit 2
start_server --threads 1
${KZGKIT_RUN_PREFIX:-} "$cli" serve --listen "127.0.0.1:$port" 2>"$tmp/err2"; rc=$?
expect "port in use: exit" 2 "$rc"
grep -q "Address already in use" "$tmp/err2" && ok || bad "port in use: $(cat "$tmp/err2")"
stop_server
run serve --listen nowhere:1; expect "bad address" 2 "$rc"
run serve --token-file "$tmp/missing"; expect "missing token file" 2 "$rc"
echo short >"$tmp/short-token"
run serve --token-file "$tmp/short-token"; expect "short token" 2 "$rc"
run serve --queue 0; expect "queue 0" 2 "$rc"
run serve --max-body; expect "missing value" 2 "$rc"

cli_test_finish

#!/usr/bin/env bash
# test/diff/run.sh [--cases N | --minutes M] [--seed S] [--replay SEED:CASE] KZGKIT
# The differential test (test/diff/diff.js): kzgkit, through `KZGKIT serve` on 127.0.0.1,
# against c-kzg and rust-eth-kzg from npm on seeded random inputs, valid and malformed, for
# every public function. Installs the peers when absent (bench/peers/install.sh, shared with
# the peer benchmark: the versions pinned in bench/peers/package.json), starts the service,
# runs diff.js, stops the service. --cases N (default 2000; scaled by KZGKIT_TEST_SCALE, as
# the other randomized tests) or --minutes M (the long mode); --seed S (default: from the
# clock, printed); --replay SEED:CASE runs one case and prints its inputs and every answer.
# Exit: diff.js's (0 all agree, 1 a mismatch, 2 a setup problem); 77 (skipped) without node
# or npm; 1 when the peers cannot be installed or the service does not start.
# KZGKIT_RUN_PREFIX (cross builds: the emulator) goes in front of KZGKIT.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
args=()
cases=2000
mode=cases
while [ $# -gt 1 ]; do
  case "$1" in
    --cases) cases=$2; shift 2 ;;
    --minutes) args+=(--minutes "$2"); mode=minutes; shift 2 ;;
    --seed|--replay) args+=("$1" "$2"); [ "$1" = --replay ] && mode=replay; shift 2 ;;
    *) echo "run.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
[ $# -eq 1 ] || { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
cli=$1
[ -x "$cli" ] || { echo "differential: FAIL: $cli is not an executable"; exit 1; }
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "differential: SKIPPED: node/npm not found (apt-get install -y nodejs npm)"; exit 77
fi
if [ "$mode" = cases ]; then
  if [ -n "${KZGKIT_TEST_SCALE:-}" ]; then
    cases=$(awk -v n="$cases" -v s="$KZGKIT_TEST_SCALE" 'BEGIN { c = int(n * s + 0.999); print (c < 1 ? 1 : c) }')
  fi
  # Within ctest's 900 s (test/CMakeLists.txt): diff.js fails past 780 s.
  args+=(--cases "$cases" --max-seconds 780)
fi

"$root/bench/peers/install.sh" || { echo "differential: FAIL: the peers could not be installed"; exit 1; }
(cd "$root/bench/peers" && node -e 'require("@crate-crypto/node-eth-kzg")') \
  || { echo "differential: FAIL: rust-eth-kzg (@crate-crypto/node-eth-kzg) does not load"; exit 1; }

tmp="$(mktemp -d "${TMPDIR:-/tmp}/kzgkit-diff.XXXXXX")" || exit 1
server_pid=
stop_server() {
  [ -n "$server_pid" ] || return 0
  kill -TERM "$server_pid" 2>/dev/null
  wait "$server_pid"
  local rc=$?
  server_pid=
  [ "$rc" -eq 0 ] || echo "differential: the service exited with status $rc on SIGTERM"
}
trap 'stop_server; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# shellcheck disable=SC2086 # the prefix is a command and its arguments
${KZGKIT_RUN_PREFIX:-} "$cli" serve --listen 127.0.0.1:0 --port-file "$tmp/port" --threads 2 \
  2>"$tmp/serve.err" &
server_pid=$!
for _ in $(seq 1 600); do # the setup loads first: up to 60 s (emulated)
  [ -s "$tmp/port" ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
port=$(cat "$tmp/port" 2>/dev/null)
if [ -z "$port" ]; then
  echo "differential: FAIL: kzgkit serve did not start:"; cat "$tmp/serve.err"
  exit 1
fi

node "$here/diff.js" --url "http://127.0.0.1:$port" --peers "$root/bench/peers" \
  --replay-cmd "test/diff/run.sh --replay %s $cli" "${args[@]}"
rc=$?
stop_server
exit $rc

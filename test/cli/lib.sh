# test/cli/lib.sh — sourced by the CLI test scripts (test_*.sh): the scratch directory, the
# counters and the run helper they all share. Usage, after `cli=...` is set:
#   . "$(dirname "$0")/lib.sh"; cli_test_init NAME
#   run ARGS...      the CLI (behind KZGKIT_RUN_PREFIX, the emulator in cross builds) with
#                    $run_sub first when set (e.g. run_sub=ab); status in $rc, output in
#                    $tmp/out and $tmp/err
#   ok / bad MSG     count a check (bad prints "FAIL: MSG")
#   cli_test_finish  prints "N passed, M failed"; exits 1 on any failure, else 0
#   require_browser NAME   $browser for the HTML checks, or a skip (exit 77) without one

cli_test_init() {
  tmp="$(mktemp -d "${TMPDIR:-/tmp}/kzgkit-$1-test.XXXXXX")" || exit 1
  # shellcheck disable=SC2064 # expand now: the path is fixed
  trap "rm -rf '$tmp'" EXIT
  passed=0
  failed=0
  run_sub=
}

ok()  { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

# shellcheck disable=SC2086 # the prefix is a command and its arguments; run_sub one word or none
run() { ${KZGKIT_RUN_PREFIX:-} "$cli" $run_sub "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?; }

cli_test_finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}

# require_browser NAME: sets $browser to $KZGKIT_CHROMIUM (a failure, exit 1, when that is
# not an executable) or the first of chromium, chromium-browser, google-chrome on PATH; with
# none, prints "NAME: SKIPPED: ..." and exits 77 (ctest's SKIP_RETURN_CODE).
require_browser() {
  browser=
  if [ -n "${KZGKIT_CHROMIUM:-}" ]; then
    browser=$(command -v "$KZGKIT_CHROMIUM") || {
      echo "$1: FAIL: KZGKIT_CHROMIUM=$KZGKIT_CHROMIUM is not an executable"
      exit 1
    }
    return
  fi
  for b in chromium chromium-browser google-chrome; do
    if command -v "$b" >/dev/null 2>&1; then browser=$(command -v "$b"); return; fi
  done
  echo "$1: SKIPPED: no chromium on PATH: install it (apt-get install -y chromium, or" \
       "KZGKIT_EXTRA_PKGS=chromium scripts/install-deps.sh) or set KZGKIT_CHROMIUM=/path/to/chromium"
  exit 77
}

#!/bin/sh
# test_tune.sh KZGKIT — `kzgkit tune` and KZGKIT_PROFILE end to end.
# Always: tune --help, a corrupt profile rejected by `info`, a foreign profile ignored with a
# warning, no profile shown as "none". With KZGKIT_SLOW_TESTS set: a real `tune --quick`
# whose profile `info` then applies.
# KZGKIT_RUN_PREFIX (set by ctest in cross builds: the emulator, e.g. "qemu-aarch64 -L /")
# goes in front of every run of the CLI: $RUN below, unquoted so that it splits into words
# and vanishes when empty.
KZGKIT=${1:?usage: test_tune.sh path/to/kzgkit}
RUN=${KZGKIT_RUN_PREFIX:-}
TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

$RUN "$KZGKIT" tune --help >"$TMP/help" 2>&1 && grep -q -- "--quick" "$TMP/help" && grep -q -- "--output" "$TMP/help" \
    && ok || bad "tune --help"
$RUN "$KZGKIT" tune --bogus >/dev/null 2>"$TMP/err"; rc=$?
[ "$rc" -eq 2 ] && [ "$(wc -l <"$TMP/err")" -eq 1 ] && ok || bad "tune --bogus: exit $rc, want 2 and one line"

$RUN "$KZGKIT" info >"$TMP/info" 2>&1 && grep -q "^profile: *none" "$TMP/info" && ok || bad "info without a profile"

printf 'kzgkit-profile 99\nend\n' >"$TMP/corrupt.txt"
KZGKIT_PROFILE="$TMP/corrupt.txt" $RUN "$KZGKIT" info >"$TMP/out" 2>"$TMP/err"; rc=$?
[ "$rc" -eq 2 ] && grep -q "corrupt.txt" "$TMP/err" && grep -q "version 99" "$TMP/err" \
    && [ "$(wc -l <"$TMP/err")" -eq 1 ] && ok || bad "corrupt profile: exit $rc, stderr: $(cat "$TMP/err")"

printf 'kzgkit-profile 1\ncpu = X\nbackend = Y\ncpus = 2\ndate = D\nmsm_window.256 = 40\nend\n' >"$TMP/range.txt"
KZGKIT_PROFILE="$TMP/range.txt" $RUN "$KZGKIT" info >/dev/null 2>"$TMP/err"; rc=$?
[ "$rc" -eq 2 ] && grep -q "msm_window.256" "$TMP/err" && ok || bad "out-of-range window: exit $rc"

printf 'kzgkit-profile 1\ncpu = Imaginary CPU 9000\nbackend = Y\ncpus = 2\ndate = D\nthreads = 2\nend\n' >"$TMP/foreign.txt"
KZGKIT_PROFILE="$TMP/foreign.txt" $RUN "$KZGKIT" info >"$TMP/out" 2>&1; rc=$?
[ "$rc" -eq 0 ] && grep -q "^profile: .*ignored.*Imaginary CPU 9000" "$TMP/out" && ok \
    || bad "foreign profile: exit $rc, $(grep profile "$TMP/out")"

# A profile stamped for this machine (CPU model as /proc/cpuinfo names it, the backend in
# use) applies: its thread count shows in `info` unless --threads is given.
model=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null | head -1)
backend=$($RUN "$KZGKIT" info 2>/dev/null | sed -n 's/^backend: *\([^ ]*\).*/\1/p')
if [ -n "$model" ] && [ -n "$backend" ]; then
    printf 'kzgkit-profile 1\ncpu = %s\nbackend = %s\ncpus = 2\ndate = D\nthreads = 3\nend\n' \
        "$model" "$backend" >"$TMP/here.txt"
    KZGKIT_PROFILE="$TMP/here.txt" $RUN "$KZGKIT" info >"$TMP/out" 2>&1; rc=$?
    [ "$rc" -eq 0 ] && grep -q "^threads: *3, from the tuning profile" "$TMP/out" && ok \
        || bad "profile threads in info: exit $rc, $(grep -E '^(profile|threads)' "$TMP/out")"
    KZGKIT_PROFILE="$TMP/here.txt" $RUN "$KZGKIT" --threads 1 info >"$TMP/out" 2>&1; rc=$?
    [ "$rc" -eq 0 ] && grep -q "^threads: *1 (caller only)" "$TMP/out" && ok \
        || bad "--threads over the profile in info: exit $rc, $(grep '^threads' "$TMP/out")"
else
    echo "(no /proc/cpuinfo model name: the machine-stamped profile case is skipped)"
fi

if [ -n "$KZGKIT_SLOW_TESTS" ]; then
    $RUN "$KZGKIT" tune --quick --output "$TMP/profile.txt" >"$TMP/tune" 2>&1; rc=$?
    [ "$rc" -eq 0 ] && head -3 "$TMP/profile.txt" | grep -q "^kzgkit-profile 1" \
        && grep -q "^\* " "$TMP/tune" && ok || bad "tune --quick: exit $rc"
    KZGKIT_PROFILE="$TMP/profile.txt" $RUN "$KZGKIT" info >"$TMP/out" 2>&1; rc=$?
    [ "$rc" -eq 0 ] && grep -q "^profile: .*profile.txt: msm_window" "$TMP/out" && ok \
        || bad "info with the tuned profile: exit $rc"
else
    echo "(KZGKIT_SLOW_TESTS unset: tune --quick not run)"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

#!/bin/sh
# test_tune.sh KZGKIT — `kzgkit tune` and KZGKIT_PROFILE end to end.
# Always: tune --help, a corrupt profile rejected by `info`, a foreign profile ignored with a
# warning, no profile shown as "none"; the backend group alone (`tune --only backend
# --rounds 1`, a few seconds) writes a version-2 profile whose backend_pick is a backend
# this machine runs, and `info` under it runs that backend (KZGKIT_BACKEND still wins).
# With KZGKIT_SLOW_TESTS set: a real `tune --quick` whose profile `info` then applies.
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

$RUN "$KZGKIT" tune --only bogus >/dev/null 2>"$TMP/err"; rc=$?
[ "$rc" -eq 2 ] && grep -q -- "--only" "$TMP/err" && ok || bad "tune --only bogus: exit $rc"

# The backend group alone: children under each backend, the pick recorded and applied.
KZGKIT_BACKEND= $RUN "$KZGKIT" tune --only backend --rounds 1 --output "$TMP/backend.txt" >"$TMP/tune" 2>&1; rc=$?
pick=$(sed -n 's/^backend_pick = //p' "$TMP/backend.txt" 2>/dev/null)
case "$pick" in
    portable | x86_64-mulx-adx | x86_64-mulx-adx-ifma) valid=1 ;;
    *) valid= ;;
esac
[ "$rc" -eq 0 ] && [ -n "$valid" ] && grep -q "^kzgkit-profile 2$" "$TMP/backend.txt"     && grep -q "^backend $pick" "$TMP/tune" && ok     || bad "tune --only backend: exit $rc, pick '$pick'; $(tail -3 "$TMP/tune")"
if [ "$(grep -c '^backend_ms\.' "$TMP/backend.txt")" -ge 2 ]; then
    grep -q "^\* " "$TMP/tune" && ok || bad "tune --only backend: no pick marked"
fi
if [ -n "$valid" ]; then
    KZGKIT_BACKEND= KZGKIT_PROFILE="$TMP/backend.txt" $RUN "$KZGKIT" info >"$TMP/out" 2>&1; rc=$?
    [ "$rc" -eq 0 ] && grep -q "^backend: *$pick " "$TMP/out" && grep -q "^profile: .*backend_pick=$pick" "$TMP/out" \
        && ok || bad "info under the backend profile: exit $rc, $(grep -E '^(backend|profile)' "$TMP/out")"
fi
# A pick of portable (this CPU model, the profile's backend portable) is applied by the CLI,
# unless KZGKIT_BACKEND says otherwise.
if [ -n "$model" ]; then
    printf 'kzgkit-profile 2\ncpu = %s\nbackend = portable\ncpus = 2\ndate = D\nbackend_pick = portable\nend\n' \
        "$model" >"$TMP/portable.txt"
    KZGKIT_BACKEND= KZGKIT_PROFILE="$TMP/portable.txt" $RUN "$KZGKIT" info >"$TMP/out" 2>&1; rc=$?
    [ "$rc" -eq 0 ] && grep -q "^backend: *portable " "$TMP/out" && grep -q "^profile: .*portable.txt: backend_pick=portable" "$TMP/out" \
        && ok || bad "portable pick: exit $rc, $(grep -E '^(backend|profile)' "$TMP/out")"
    if [ "$backend" != portable ]; then
        KZGKIT_BACKEND=auto KZGKIT_PROFILE="$TMP/portable.txt" $RUN "$KZGKIT" info >"$TMP/out" 2>&1; rc=$?
        [ "$rc" -eq 0 ] && grep -q "^backend: *$backend " "$TMP/out" && grep -q "^profile: .*ignored" "$TMP/out" \
            && ok || bad "KZGKIT_BACKEND over the pick: exit $rc, $(grep -E '^(backend|profile)' "$TMP/out")"
    fi
fi

if [ -n "$KZGKIT_SLOW_TESTS" ]; then
    $RUN "$KZGKIT" tune --quick --output "$TMP/profile.txt" >"$TMP/tune" 2>&1; rc=$?
    [ "$rc" -eq 0 ] && head -3 "$TMP/profile.txt" | grep -q "^kzgkit-profile [12]$" \
        && grep -q "^\* " "$TMP/tune" && ok || bad "tune --quick: exit $rc"
    KZGKIT_PROFILE="$TMP/profile.txt" $RUN "$KZGKIT" info >"$TMP/out" 2>&1; rc=$?
    [ "$rc" -eq 0 ] && grep -q "^profile: .*profile.txt: msm_window" "$TMP/out" && ok \
        || bad "info with the tuned profile: exit $rc"
else
    echo "(KZGKIT_SLOW_TESTS unset: tune --quick not run)"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

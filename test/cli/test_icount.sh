#!/usr/bin/env bash
# test/cli/test_icount.sh KZGKIT — `kzgkit bench --measure instructions`, end to end, with the
# callgrind counter (docs/BENCH.md, "Instruction counts").
#
# Proves: the same binary measured twice gives identical counts (fp_mul, fr_mul: 3 samples
# each, all equal, equal across the runs) and `compare` calls both "~" (exit 0); the JSON
# says unit "instructions" and counter "callgrind"; a copy with fp_mul's counts raised by 1 %
# is "regressed" for fp_mul only (exit 3), and by 0.05 % is "~"; a time file against a count
# file is refused (exit 2, "different units"); --counter without --measure instructions is
# a usage error (exit 2), and so is --html on counts. `kzgkit ab A A --measure instructions`
# (one counted run per side) reports fr_mul +0.00% "~", exit 0, JSON mode "instructions"
# with test "exact_counts"; `--interleave` with it is a usage error.
# Skips (77) when valgrind is not installed, or the build had no <valgrind/callgrind.h>
# (install valgrind, rebuild). Not registered in cross builds: valgrind cannot run a binary
# that only runs under an emulator. Needs bash, grep, awk. Prints "N passed, M failed".
set -uo pipefail

cli="${1:?usage: test_icount.sh PATH/TO/kzgkit}"
. "$(dirname "$0")/lib.sh"
cli_test_init icount

if ! command -v valgrind >/dev/null 2>&1; then
    echo "SKIP: valgrind is not installed (apt-get install valgrind; then rebuild)"
    exit 77
fi

count() { # count OUT.json: fp_mul and fr_mul under callgrind
    "$cli" bench --measure instructions --counter callgrind --filter '^(fp_mul|fr_mul)$' \
        --json "$1" >"$tmp/out" 2>"$tmp/err"
    rc=$?
}

count "$tmp/a.json"
if [ "$rc" -ne 0 ] && grep -q "no callgrind support" "$tmp/err"; then
    echo "SKIP: this build has no callgrind support (valgrind's <valgrind/callgrind.h> was missing: install valgrind, rebuild)"
    exit 77
fi
if [ "$rc" -eq 0 ]; then ok; else bad "first count exited $rc: $(cat "$tmp/err")"; fi
count "$tmp/b.json"
if [ "$rc" -eq 0 ]; then ok; else bad "second count exited $rc: $(cat "$tmp/err")"; fi

# Every fp_mul/fr_mul row of the table says "identical" (the 3 samples are equal).
n_ident=$(grep -cE '^(fp_mul|fr_mul) .* identical ' "$tmp/out")
if [ "$n_ident" -eq 2 ]; then ok; else bad "expected 2 'identical' rows:"; cat "$tmp/out"; fi

for k in '"unit": "instructions"' '"counter": "callgrind' '"samples_ns": \['; do
    if grep -q "$k" "$tmp/a.json"; then ok; else bad "a.json lacks $k"; fi
done
if diff <(grep samples_ns "$tmp/a.json") <(grep samples_ns "$tmp/b.json") >/dev/null; then ok
else bad "the two runs counted differently:"; diff <(grep samples_ns "$tmp/a.json") <(grep samples_ns "$tmp/b.json"); fi

"$cli" compare "$tmp/a.json" "$tmp/b.json" >"$tmp/cmp" 2>&1
rc=$?
if [ "$rc" -eq 0 ] && grep -qE '^fp_mul .* \+0\.000% .* ~$' "$tmp/cmp" &&
    grep -qE '^fr_mul .* \+0\.000% .* ~$' "$tmp/cmp" && grep -q '^0 regressed' "$tmp/cmp"; then ok
else bad "A/A compare (exit $rc):"; cat "$tmp/cmp"; fi

# scale FACTOR IN OUT: fp_mul's samples multiplied by FACTOR.
scale() {
    awk -v f="$1" '
        /"name": / { cur = $0 }
        /"samples_ns": \[/ && cur ~ /"fp_mul"/ {
            head = $0; sub(/\[.*/, "[", head); body = $0; sub(/.*\[/, "", body); sub(/\].*/, "", body)
            n = split(body, v, /, */); out = ""
            for (i = 1; i <= n; i++) out = out (i > 1 ? ", " : "") sprintf("%.17g", v[i] * f)
            print head out "],"; next
        }
        { print }' "$2" >"$3"
}
scale 1.01 "$tmp/b.json" "$tmp/c.json"
"$cli" compare "$tmp/a.json" "$tmp/c.json" >"$tmp/cmp" 2>&1
rc=$?
if [ "$rc" -eq 3 ] && grep -qE '^fp_mul .* \+1\.000% .* regressed$' "$tmp/cmp" &&
    grep -qE '^fr_mul .* ~$' "$tmp/cmp" && grep -q '^1 regressed' "$tmp/cmp"; then ok
else bad "+1% compare (exit $rc):"; cat "$tmp/cmp"; fi

scale 1.0005 "$tmp/b.json" "$tmp/d.json"
"$cli" compare "$tmp/a.json" "$tmp/d.json" >"$tmp/cmp" 2>&1
rc=$?
if [ "$rc" -eq 0 ] && grep -qE '^fp_mul .* \+0\.050% .* ~$' "$tmp/cmp"; then ok
else bad "+0.05% compare (exit $rc):"; cat "$tmp/cmp"; fi

# A time result (no "unit": read as ns) against counts: refused.
cat >"$tmp/t.json" <<'JSON'
{"schema_version": 1, "benchmarks": [{"name": "fr_mul", "params": {}, "samples_ns": [20, 21, 22]}]}
JSON
"$cli" compare "$tmp/t.json" "$tmp/a.json" >"$tmp/cmp" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 2 ] && grep -q "different units" "$tmp/err"; then ok
else bad "mixed units (exit $rc):"; cat "$tmp/err"; fi

"$cli" bench --counter callgrind --filter '^fr_mul$' >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 2 ] && grep -q "need --measure instructions" "$tmp/err"; then ok
else bad "--counter without --measure (exit $rc):"; cat "$tmp/err"; fi

"$cli" compare "$tmp/a.json" "$tmp/b.json" --html "$tmp/r.html" >"$tmp/cmp" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 2 ] && grep -q "instruction counts" "$tmp/err" && [ ! -e "$tmp/r.html" ]; then ok
else bad "compare --html on counts (exit $rc):"; cat "$tmp/err"; fi

# ab on instruction counts: the same binary twice is exactly equal.
"$cli" ab "$cli" "$cli" --measure instructions --counter callgrind --filter '^fr_mul$' \
    --json "$tmp/ab.json" >"$tmp/ab" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 0 ] && grep -qE '^fr_mul .* \+0\.00% .* 1  ~$' "$tmp/ab" && grep -q '^0 regressed' "$tmp/ab" &&
   grep -q '"mode": "instructions"' "$tmp/ab.json" && grep -q '"test": "exact_counts"' "$tmp/ab.json"; then ok
else bad "ab --measure instructions (exit $rc):"; cat "$tmp/ab" "$tmp/err"; fi
"$cli" ab "$cli" "$cli" --measure instructions --interleave sample >"$tmp/ab" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 2 ] && grep -q "interleave applies to times" "$tmp/err"; then ok
else bad "ab --measure instructions --interleave (exit $rc):"; cat "$tmp/err"; fi

cli_test_finish

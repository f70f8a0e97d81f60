#!/usr/bin/env bash
# test/cli/test_formats.sh KZGKIT — `kzgkit bench --format` and `compare` on the files other
# tools read (docs/BENCH.md, "Export formats"), end to end.
#
# Proves: `bench --format gbench` writes Google Benchmark JSON that `compare` reads, against
# itself (1 compared, unchanged, exit 0) and against our own schema (the case pairs up);
# `--format github-action` writes the customSmallerIsBetter array; compare's summary counts
# only the benchmarks in both files and names the others ("2 only in old, 1 only in new");
# a gbench file (times) against an instruction-count file is refused (exit 2); bad --format
# uses are usage errors (exit 2). No timing is asserted on.
# KZGKIT_RUN_PREFIX (set by ctest in cross builds: the emulator) goes in front of the CLI.
# Needs bash and grep. Prints "N passed, M failed".
set -uo pipefail

cli="${1:?usage: test_formats.sh PATH/TO/kzgkit}"
. "$(dirname "$0")/lib.sh"
cli_test_init formats

quick=(bench --filter '^fr_mul$' --quick --no-progress)

# Google Benchmark JSON: written, then compared with itself.
run "${quick[@]}" --format gbench --json "$tmp/g.json"
if [ "$rc" -eq 0 ] && grep -q '"context": {' "$tmp/g.json" && grep -q '"run_type": "iteration"' "$tmp/g.json" &&
    grep -q '"aggregate_name": "median"' "$tmp/g.json" && grep -q '"time_unit": "ns"' "$tmp/g.json" &&
    ! grep -q '"schema_version"' "$tmp/g.json"; then ok
else bad "bench --format gbench (exit $rc):"; cat "$tmp/err"; head -30 "$tmp/g.json"; fi

run compare "$tmp/g.json" "$tmp/g.json"
if [ "$rc" -eq 0 ] && grep -qE '^fr_mul .* \+0\.00% .* ~$' "$tmp/out" &&
    grep -q '^0 regressed, 0 improved, 1 compared$' "$tmp/out"; then ok
else bad "compare g.json g.json (exit $rc):"; cat "$tmp/out" "$tmp/err"; fi

# Our schema against the gbench file: the same case pairs up (the verdict depends on this
# machine's noise between two runs: 0 or 3, never 2).
run "${quick[@]}" --json "$tmp/ours.json"
if [ "$rc" -eq 0 ] && grep -q '"schema_version"' "$tmp/ours.json"; then ok
else bad "bench --json (exit $rc):"; cat "$tmp/err"; fi
run compare "$tmp/ours.json" "$tmp/g.json"
if { [ "$rc" -eq 0 ] || [ "$rc" -eq 3 ]; } && grep -qE '^fr_mul .*(~|improved|regressed)$' "$tmp/out" &&
    grep -qE '^[01] regressed, [01] improved, 1 compared$' "$tmp/out"; then ok
else bad "compare ours.json g.json (exit $rc):"; cat "$tmp/out" "$tmp/err"; fi

# github-action-benchmark: [{name, unit, value, range, extra}].
run "${quick[@]}" --format github-action --json "$tmp/ga.json"
if [ "$rc" -eq 0 ] && [ "$(head -c 1 "$tmp/ga.json")" = "[" ] &&
    grep -qE '^  \{"name": "fr_mul", "unit": "ns", "value": [0-9.e+-]+, "range": "± [0-9.e+-]+", "extra": ".*"\}$' "$tmp/ga.json" &&
    [ "$(tail -n 1 "$tmp/ga.json")" = "]" ]; then ok
else bad "bench --format github-action (exit $rc):"; cat "$tmp/err" "$tmp/ga.json"; fi

# The summary counts only what is in both files.
cat >"$tmp/a.json" <<'JSON'
{"schema_version": 1, "benchmarks": [
 {"name": "op_a", "params": {}, "samples_ns": [10, 11, 12, 10, 11]},
 {"name": "op_b", "params": {}, "samples_ns": [20, 21, 22, 20, 21]},
 {"name": "op_c", "params": {"size": 4}, "samples_ns": [30, 31, 32, 30, 31]}]}
JSON
cat >"$tmp/b.json" <<'JSON'
{"schema_version": 1, "benchmarks": [
 {"name": "op_a", "params": {}, "samples_ns": [10, 11, 12, 10, 11]},
 {"name": "op_d", "params": {}, "samples_ns": [40, 41, 42, 40, 41]}]}
JSON
run compare "$tmp/a.json" "$tmp/b.json"
if [ "$rc" -eq 0 ] && grep -q '^0 regressed, 0 improved, 1 compared; 2 only in old, 1 only in new$' "$tmp/out"; then ok
else bad "summary line counts (exit $rc):"; cat "$tmp/out" "$tmp/err"; fi

# Times (a gbench file) against instruction counts: refused.
cat >"$tmp/i.json" <<'JSON'
{"schema_version": 1, "unit": "instructions", "benchmarks": [{"name": "fr_mul", "params": {}, "samples_ns": [300, 300, 300]}]}
JSON
run compare "$tmp/i.json" "$tmp/g.json"
if [ "$rc" -eq 2 ] && grep -q "different units" "$tmp/err"; then ok
else bad "gbench against counts (exit $rc):"; cat "$tmp/out" "$tmp/err"; fi

# Usage errors.
run bench --filter '^fr_mul$' --format csv --json "$tmp/x.json"
if [ "$rc" -eq 2 ] && grep -q "format expects" "$tmp/err"; then ok; else bad "--format csv (exit $rc)"; cat "$tmp/err"; fi
run bench --filter '^fr_mul$' --format gbench
if [ "$rc" -eq 2 ] && grep -q "applies to --json" "$tmp/err"; then ok; else bad "--format without --json (exit $rc)"; cat "$tmp/err"; fi
run bench --filter '^fr_mul$' --measure instructions --format gbench --json "$tmp/x.json"
if [ "$rc" -eq 2 ] && grep -q "holds times" "$tmp/err" && [ ! -e "$tmp/x.json" ]; then ok
else bad "--format gbench with --measure instructions (exit $rc)"; cat "$tmp/err"; fi

cli_test_finish

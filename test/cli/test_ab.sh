#!/usr/bin/env bash
# test/cli/test_ab.sh KZGKIT — `kzgkit ab`, the paired A/B of two builds, end to end.
#
# Proves: --help exits 0; bad usage (one build, a third build, an unknown option, a bad
# --rounds/--order/--filter/--interleave/--clock/--sample-ms, a file that is not executable,
# an unknown --git revision) exits 2 with exactly one stderr line; the worker protocol
# (`bench --ab-worker`: its case list, open/run/pin/close, an error reply that leaves it
# serving); an A/A run of the CLI against itself on the cheapest benchmark (fr_mul, 4
# rounds), interleaved by sample (the default) and by run, exits 0 with a table,
# "0 regressed", and a JSON report with the mode, per-benchmark ratio, interval, p-value,
# verdict and the per-round values of both sides, in ABBA order (and a seeded random order
# when asked); --clock cpu works; a build without --ab-worker makes ab fall back to
# interleaving by run (unless --interleave sample was asked: exit 1); a benchmark that fails
# on one side is named, left uncompared, and the run exits 1; a NEW that is no kzgkit exits
# 1 naming it.
# With 4 rounds no verdict but ~ is possible (docs/BENCH.md, Paired A/B), so the A/A check
# is deterministic. Needs bash, grep and perl (JSON::PP, in core perl). Prints
# "N passed, M failed"; exits 1 on any failure.
# KZGKIT_RUN_PREFIX (set by ctest in cross builds: the emulator) goes in front of the CLI
# here, and `kzgkit ab` itself puts it in front of OLD and NEW.
set -uo pipefail

cli="${1:?usage: test_ab.sh PATH/TO/kzgkit}"
. "$(dirname "$0")/lib.sh"
cli_test_init ab
run_sub=ab


# usage NAME STDERR-REGEX -- ARGS...: exit 2 and one stderr line matching the regex.
usage() {
  local name="$1" pat="$2"
  shift 3
  run "$@"
  if [ "$rc" -ne 2 ]; then bad "$name: exit $rc, expected 2: $(head -c 300 "$tmp/err")"; return; fi
  if [ "$(wc -l <"$tmp/err")" -ne 1 ]; then bad "$name: expected one stderr line: $(cat "$tmp/err")"; return; fi
  if ! grep -Eiq -- "$pat" "$tmp/err"; then bad "$name: stderr does not match /$pat/: $(cat "$tmp/err")"; return; fi
  ok
}

run --help
if [ "$rc" -eq 0 ] && grep -q -- '--rounds' "$tmp/out"; then ok; else bad "--help: exit $rc"; fi

usage one_build 'two kzgkit executables' -- "$cli"
usage third_build 'third' -- "$cli" "$cli" "$cli"
usage unknown_option "unknown option '--bogus'" -- "$cli" "$cli" --bogus
usage bad_rounds 'rounds expects' -- "$cli" "$cli" --rounds 0
usage bad_order 'order expects' -- "$cli" "$cli" --order sideways
usage bad_interleave 'interleave expects' -- "$cli" "$cli" --interleave often
usage bad_clock 'clock expects' -- "$cli" "$cli" --clock sundial
usage bad_sample_ms 'sample-ms expects' -- "$cli" "$cli" --sample-ms 0
usage bad_filter 'not a valid regular expression' -- "$cli" "$cli" --filter '('
usage missing_value 'needs a value' -- "$cli" "$cli" --rounds
usage not_executable 'not an executable' -- "$tmp" "$cli"
usage not_executable_file 'not an executable' -- "$cli" "$0.nonexistent"
# --git: a revision that does not exist (or no repository here) is refused before any build.
usage bad_revision 'not a git revision' -- --git no-such-revision-kzgkit-ab HEAD

# The worker protocol, spoken directly (runner.h); pinned to the first CPU we may use.
cpu0=$(awk '/^Cpus_allowed_list/ {print $2}' /proc/self/status | cut -d, -f1 | cut -d- -f1)
# shellcheck disable=SC2086
printf 'open 0\nrun 1000\npin %s\nrun 0\nopen 9\nclose\nbogus\nquit\n' "${cpu0:-0}" |
  ${KZGKIT_RUN_PREFIX:-} "$cli" bench --ab-worker --quick --filter '^(fr_mul|fp_mul)$' >"$tmp/w" 2>"$tmp/werr"
wrc=$?
if [ "$wrc" -eq 0 ] && perl -e '
    my @l = map { chomp; $_ } <STDIN>;
    die "header: $l[0]\n" unless $l[0] eq "kzgkit-worker 1 2";
    die "cases\n" unless $l[1] eq "case fp_mul" && $l[2] eq "case fr_mul";
    die "open: $l[3]\n" unless $l[3] =~ /^ok [0-9.e+-]+$/;
    die "run: $l[4]\n" unless $l[4] =~ /^t ([0-9.e+-]+) ([0-9.e+-]+)$/ && $1 > 0 && $2 > 0;
    die "pin: $l[5]\n" unless $l[5] eq "ok";
    die "run 0: $l[6]\n" unless $l[6] =~ /^err iterations out of range/;
    die "open 9: $l[7]\n" unless $l[7] =~ /^err no case 9/;
    die "close: $l[8]\n" unless $l[8] eq "ok";
    die "bogus: $l[9]\n" unless $l[9] =~ /^err unknown request/;
    die "extra lines\n" unless @l == 10;' <"$tmp/w" 2>"$tmp/perl.err"; then
  ok
else
  bad "worker protocol (exit $wrc): $(cat "$tmp/perl.err") $(cat "$tmp/w") $(cat "$tmp/werr")"
fi

# A/A, ABBA order, JSON report.
run "$cli" "$cli" --filter '^fr_mul$' --rounds 4 --json "$tmp/ab.json"
if [ "$rc" -ne 0 ]; then
  bad "A/A: exit $rc, expected 0: $(tail -c 400 "$tmp/err")"
else
  ok
  if grep -Eq '^benchmark +old median +new median +change +95% CI +p +rounds +verdict' "$tmp/out" &&
     grep -Eq '^fr_mul .* 4  ~$' "$tmp/out" && grep -q '^0 regressed, 0 improved, 1 compared$' "$tmp/out"; then
    ok
  else
    bad "A/A: table: $(cat "$tmp/out")"
  fi
  if perl -MJSON::PP -e '
      local $/; open my $f, "<", $ARGV[0] or die; my $j = decode_json(<$f>);
      die "kind\n" unless $j->{kind} eq "kzgkit-ab" && $j->{schema_version} == 1;
      die "commits\n" unless !$j->{git} && !defined $j->{old_commit} && !defined $j->{new_commit};
      die "rounds/order\n" unless $j->{rounds} == 4 && $j->{order} eq "AB,BA,AB,BA";
      die "mode\n" unless $j->{mode} eq "sample";
      die "threshold\n" unless abs($j->{threshold} - 0.03) < 1e-12 && abs($j->{alpha} - 0.05) < 1e-12;
      my @b = @{$j->{benchmarks}};
      die "one benchmark\n" unless @b == 1 && $b[0]{id} eq "fr_mul";
      my $x = $b[0];
      die "verdict\n" unless $x->{verdict} eq "~" && $x->{rounds_paired} == 4 && $x->{iters_per_sample} >= 1;
      die "test\n" unless $x->{test} eq "wilcoxon_signed_rank" && $x->{p} > 0 && $x->{p} <= 1;
      my ($lo, $hi) = @{$x->{change_ci95}};
      die "interval\n" unless $lo <= $x->{change} && $x->{change} <= $hi;
      my @r = @{$x->{per_round}};
      die "per_round\n" unless @r == 4;
      for my $i (0 .. 3) {
        my $p = $r[$i];
        die "round $i\n" unless $p->{round} == $i && $p->{old_median_ns} > 0 && $p->{new_median_ns} > 0
          && abs($p->{ratio} - $p->{new_median_ns} / $p->{old_median_ns}) < 1e-9;
      }' "$tmp/ab.json" 2>"$tmp/perl.err"; then
    ok
  else
    bad "A/A: JSON shape: $(cat "$tmp/perl.err"): $(head -c 600 "$tmp/ab.json")"
  fi
fi

# Interleaved by run (a whole `bench --quick` per side per round), and --clock cpu.
run "$cli" "$cli" --filter '^fr_mul$' --rounds 2 --interleave run --json "$tmp/run.json"
if [ "$rc" -eq 0 ] && grep -q '"mode": "run"' "$tmp/run.json" && grep -q '"threshold": 0.05' "$tmp/run.json" &&
   grep -Eq '^fr_mul .* 2  ~$' "$tmp/out"; then ok
else bad "--interleave run: exit $rc: $(cat "$tmp/out" "$tmp/err")"; fi
run "$cli" "$cli" --filter '^fr_mul$' --rounds 4 --clock cpu
if [ "$rc" -eq 0 ] && grep -Eq '^fr_mul .* 4  ~$' "$tmp/out"; then ok
else bad "--clock cpu: exit $rc: $(cat "$tmp/out" "$tmp/err")"; fi

# A kzgkit from before --ab-worker (its bench refuses the option, exit 2): ab falls back to
# interleaving by run, says so, and still compares. (Not under an emulator, which cannot run
# the wrapper script.)
if [ -z "${KZGKIT_RUN_PREFIX:-}" ]; then
  printf '#!/bin/sh\nfor a; do [ "$a" = --ab-worker ] && { echo "kzgkit bench: unknown argument '"'"'--ab-worker'"'"'" >&2; exit 2; }; done\nexec "%s" "$@"\n' "$cli" >"$tmp/old-kzgkit"
  chmod +x "$tmp/old-kzgkit"
  run "$tmp/old-kzgkit" "$cli" --filter '^fr_mul$' --rounds 2 --json "$tmp/fb.json"
  if [ "$rc" -eq 0 ] && grep -q 'has no --ab-worker' "$tmp/err" && grep -q '"mode": "run"' "$tmp/fb.json" &&
     grep -q '"threshold": 0.05' "$tmp/fb.json" &&
     grep -Eq '^fr_mul .* 2  ~$' "$tmp/out"; then ok
  else bad "fallback to run: exit $rc: $(cat "$tmp/out" "$tmp/err")"; fi
  run "$tmp/old-kzgkit" "$cli" --filter '^fr_mul$' --rounds 2 --interleave sample
  if [ "$rc" -eq 1 ] && grep -q "unknown argument '--ab-worker'" "$tmp/err"; then ok
  else bad "--interleave sample with an old build: exit $rc: $(cat "$tmp/err")"; fi
fi

# A NEW whose fp_mul fails inside the worker (a scripted worker speaking the protocol:
# "err" on opening case 0): fp_mul is named as not compared, fr_mul is still compared, and
# the run exits 1. (Not under an emulator, which cannot run the script.)
if [ -z "${KZGKIT_RUN_PREFIX:-}" ]; then
  cat >"$tmp/failing-kzgkit" <<'SH'
#!/bin/bash
printf 'kzgkit-worker 1 2\ncase fp_mul\ncase fr_mul\n'
while read -r req arg; do
  case "$req" in
    pin|close) echo ok ;;
    open) if [ "$arg" = 0 ]; then echo "err setup failed (status 7)"; else echo "ok 25"; fi ;;
    run) echo "t $((arg * 25)) $((arg * 25))" ;;
    quit) exit 0 ;;
    *) echo "err unknown request" ;;
  esac
done
SH
  chmod +x "$tmp/failing-kzgkit"
  run "$cli" "$tmp/failing-kzgkit" --filter '^(fp_mul|fr_mul)$' --rounds 6 --json "$tmp/fail.json"
  if [ "$rc" -eq 1 ] && grep -q 'fp_mul: not compared: .*failing-kzgkit: open 0: setup failed (status 7)' "$tmp/err" &&
     grep -q '1 benchmark failed on a side' "$tmp/err" && grep -Eq '^fr_mul .* 6  [~a-z]+$' "$tmp/out" &&
     grep -q 'no round with both sides' "$tmp/out" && [ -s "$tmp/fail.json" ]; then ok
  else bad "a benchmark failing in NEW: exit $rc: $(cat "$tmp/out" "$tmp/err")"; fi
fi

# A seeded random order is reproducible and recorded.
run "$cli" "$cli" --filter '^fr_mul$' --rounds 6 --order random --seed 7 --json "$tmp/r1.json"
o1=$(grep -o '"order": "[ABA,]*"' "$tmp/r1.json" 2>/dev/null | head -1)
run "$cli" "$cli" --filter '^fr_mul$' --rounds 6 --order random --seed 7 --json "$tmp/r2.json"
o2=$(grep -o '"order": "[ABA,]*"' "$tmp/r2.json" 2>/dev/null | head -1)
if [ -n "$o1" ] && [ "$o1" = "$o2" ] && [ "$rc" -ne 1 ] && [ "$rc" -ne 2 ]; then ok; else bad "random order: '$o1' vs '$o2', exit $rc"; fi

# A NEW whose bench fails: a runtime failure (1) that names it (by sample: it does not
# start as a worker; by run: the round).
printf '#!/bin/sh\necho "no bench here" >&2\nexit 1\n' >"$tmp/broken"
chmod +x "$tmp/broken"
# (In a cross build the emulator refuses the host script: still a failure.)
run "$cli" "$tmp/broken" --filter '^fr_mul$' --rounds 2
if [ "$rc" -eq 1 ] && grep -Eq 'broken \(as an A/B worker\): bench exited with [0-9]+: ' "$tmp/err" &&
   [ "$(wc -l <"$tmp/err")" -eq 1 ]; then
  ok
else
  bad "failing NEW (sample): exit $rc: $(cat "$tmp/err")"
fi
run "$cli" "$tmp/broken" --filter '^fr_mul$' --rounds 2 --interleave run
if [ "$rc" -eq 1 ] && grep -Eq 'round 1: .*broken bench exited with [0-9]+: ' "$tmp/err" &&
   [ "$(wc -l <"$tmp/err")" -eq 1 ]; then
  ok
else
  bad "failing NEW (run): exit $rc: $(cat "$tmp/err")"
fi
# --json is written atomically: a directory in its place is a named failure, exit 1.
mkdir -p "$tmp/dir.json"
run "$cli" "$cli" --filter '^fr_mul$' --rounds 2 --json "$tmp/dir.json"
if [ "$rc" -eq 1 ] && grep -q "kzgkit ab: $tmp/dir.json: write failed: Is a directory" "$tmp/err" &&
   [ -z "$(ls "$tmp" | grep '^dir\.json\.tmp')" ]; then ok; else
  bad "--json on a directory: exit $rc: $(cat "$tmp/err")"; fi

cli_test_finish

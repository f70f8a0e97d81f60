#!/usr/bin/env bash
# bench/gate-quality/run.sh — measure, on this machine, how often each regression gate
# cries wolf and how often it catches a real slowdown (docs/BENCH.md, "Gate quality").
#
# False alarms, per benchmark, with no change at all:
#   compare  two separate `kzgkit bench --json` runs, then `kzgkit compare`
#   ab       `kzgkit ab A B`, A and B two copies of the same binary
#   icount   `kzgkit bench --measure instructions` runs compared with `kzgkit compare`
# Detection of verify_kzg_proof made P per mille slower (-DKZGKIT_INJECT_SLOWDOWN):
#   ab-slow:P      `kzgkit ab BASE SLOW`, detected = verdict "regressed" for verify_kzg_proof
#   icount-slow:P  instruction counts of BASE and SLOW compared
# Every rate comes with its trials and a Wilson 95% interval; the Markdown table goes to
# stdout, everything to OUT/summary.json.
#
# The trial loop is the outer loop and the configurations the inner one, so that a noisy
# stretch of minutes falls on every configuration alike, and a run cut short by
# --max-minutes leaves all of them with nearly the same number of trials.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

usage() {
  cat <<'EOF'
usage: bench/gate-quality/run.sh [options]
  --trials N          trials per configuration (default 10)
  --icount-trials N   trials of the instruction-count configurations (default 3; the
                      counts are exact, and each run takes ~30 s under callgrind)
  --filter REGEX      benchmarks (default '^(fr_mul|fp_mul|g1_add|pairing|verify_kzg_proof|g1_decompress)$')
  --rounds R          rounds of each `kzgkit ab` (default 100, ab's own default)
  --ab-options "OPTS" more options for every `kzgkit ab` (e.g. "--clock cpu"; split on blanks)
  --ab-levels LIST    injections (per mille) measured with ab (default 20,50,100)
  --icount-levels L   injections measured with instruction counts (default 10,20,50,100)
  --only LIST         configurations to run, of compare,ab,icount,ab-slow,icount-slow (default all)
  --max-minutes M     start no new trial after M minutes (default 0: no limit)
  --rev REV           the git revision measured (default HEAD): exported with `git archive`
                      into DIR/COMMIT/src, so that edits in the working tree during a run
                      (or half-done ones) never reach the builds
  --builds DIR        where the builds go (default build-gate-quality): DIR/COMMIT/base and
                      DIR/COMMIT/injP; a build that has its kzgkit is reused, not rebuilt
  --out DIR           results (default out/gate-quality)
  --quick             2 trials, 1 instruction-count trial, 20 rounds: checks the script works
exit status: 0 done, 1 a build failed, 2 bad usage
EOF
}

trials=10
icount_trials=3
filter='^(fr_mul|fp_mul|g1_add|pairing|verify_kzg_proof|g1_decompress)$'
rounds=100
ab_options=
ab_levels=20,50,100
icount_levels=10,20,50,100
only=compare,ab,icount,ab-slow,icount-slow
max_minutes=0
builds=build-gate-quality
rev=HEAD
out=out/gate-quality
command_line="bench/gate-quality/run.sh $*"

need() { [ "$#" -ge 2 ] || { echo "run.sh: $1 needs a value" >&2; exit 2; }; }
posint() { [[ "$2" =~ ^[0-9]+$ ]] && [ "$2" -ge "${3:-1}" ] || { echo "run.sh: $1: expected an integer >= ${3:-1}, got '$2'" >&2; exit 2; }; }
while [ "$#" -gt 0 ]; do
  case "$1" in
    --trials) need "$@"; posint "$1" "$2"; trials=$2; shift 2 ;;
    --icount-trials) need "$@"; posint "$1" "$2" 0; icount_trials=$2; shift 2 ;;
    --filter) need "$@"; filter=$2; shift 2 ;;
    --rounds) need "$@"; posint "$1" "$2"; rounds=$2; shift 2 ;;
    --ab-levels) need "$@"; ab_levels=$2; shift 2 ;;
    --ab-options) need "$@"; ab_options=$2; shift 2 ;;
    --icount-levels) need "$@"; icount_levels=$2; shift 2 ;;
    --only) need "$@"; only=$2; shift 2 ;;
    --max-minutes) need "$@"; posint "$1" "$2" 0; max_minutes=$2; shift 2 ;;
    --builds) need "$@"; builds=$2; shift 2 ;;
    --rev) need "$@"; rev=$2; shift 2 ;;
    --out) need "$@"; out=$2; shift 2 ;;
    --quick) trials=2; icount_trials=1; rounds=20; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
for l in ${ab_levels//,/ } ${icount_levels//,/ }; do posint "a level" "$l"; done
wants() { [[ ",$only," == *",$1,"* ]]; }

cd "$root" || exit 1
commit=$(git rev-parse --verify "$rev^{commit}" 2>/dev/null) ||
  { echo "run.sh: --rev '$rev' is not a commit of $root" >&2; exit 2; }
builds=$builds/${commit:0:12}
mkdir -p "$out" "$builds" || exit 1
if [ ! -f "$builds/src/CMakeLists.txt" ]; then
  rm -rf "$builds/src" && mkdir -p "$builds/src" &&
    git archive "$commit" | tar -x -C "$builds/src" || { echo "run.sh: git archive failed" >&2; exit 1; }
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kzgkit-gate-quality.XXXXXX") || exit 1
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT
trap 'echo "run.sh: interrupted; partial records were not summarised" >&2; exit 130' INT TERM

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# --- builds: only the kzgkit_cli target, once; a build that has its kzgkit is reused -------
build() { # DIR [INJECT]
  local dir=$1 spec=${2:-}
  [ -x "$dir/kzgkit" ] && return 0
  log "build $dir ${spec:+(KZGKIT_INJECT_SLOWDOWN=$spec)}"
  if [ ! -f "$dir/CMakeCache.txt" ]; then
    cmake -S "$builds/src" -B "$dir" -DCMAKE_BUILD_TYPE=Release -DKZGKIT_BUILD_TESTS=OFF \
      -DKZGKIT_BUILD_BENCH=OFF -DKZGKIT_BUILD_EXAMPLES=OFF \
      ${spec:+-DKZGKIT_INJECT_SLOWDOWN=$spec} >"$tmp/build.log" 2>&1 ||
      { echo "run.sh: configure of $dir failed:" >&2; tail -20 "$tmp/build.log" >&2; exit 1; }
  fi
  # A directory configured by hand must hold the injection we name it for.
  if [ -n "$spec" ] && ! grep -q "^KZGKIT_INJECT_SLOWDOWN:STRING=$spec\$" "$dir/CMakeCache.txt"; then
    echo "run.sh: $dir is not configured with KZGKIT_INJECT_SLOWDOWN=$spec" >&2; exit 1
  fi
  cmake --build "$dir" -j2 --target kzgkit_cli >"$tmp/build.log" 2>&1 ||
    { echo "run.sh: build of $dir failed:" >&2; tail -20 "$tmp/build.log" >&2; exit 1; }
}

build "$builds/base"
base=$builds/base/kzgkit
levels=
wants ab-slow && levels="$levels ${ab_levels//,/ }"
wants icount-slow && levels="$levels ${icount_levels//,/ }"
levels=$(printf '%s\n' $levels | sort -nu | tr '\n' ' ')
for p in $levels; do build "$builds/inj$p" "verify_kzg_proof:$p"; done

# Two copies of the base binary for `ab B B`: two files, so the identical-binary case is not
# helped by one file's page cache or path.
cp "$base" "$tmp/kzgkit-a" && cp "$base" "$tmp/kzgkit-b" || exit 1

records=$tmp/records.tsv
: >"$records"
record() { # CONFIG TRIAL  (verdict lines on stdin)
  while IFS=$'\t' read -r bench verdict change; do
    printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$bench" "$verdict" "$change" >>"$records"
  done
}
# A failed run is recorded as one "error" per benchmark it should have judged.
record_error() { # CONFIG TRIAL
  "$base" bench --list 2>/dev/null | grep -E -- "$filter" | awk -v c="$1" -v t="$2" \
    '{ printf "%s\t%s\t%s\terror\t\n", c, t, $1 }' >>"$records"
}

compare_into() { # CONFIG TRIAL OLD.json NEW.json
  "$base" compare "$3" "$4" >"$tmp/cmp.txt" 2>&1
  local rc=$?
  if [ "$rc" -eq 0 ] || [ "$rc" -eq 3 ]; then
    python3 "$here/gate_quality.py" verdicts-compare "$tmp/cmp.txt" | record "$1" "$2"
  else
    log "$1 trial $2: compare exited $rc: $(tail -1 "$tmp/cmp.txt")"; record_error "$1" "$2"
  fi
}

ab_into() { # CONFIG TRIAL OLD NEW
  rm -f "$tmp/ab.json"
  # shellcheck disable=SC2086 # ab_options is a list of options
  "$base" ab "$3" "$4" --rounds "$rounds" --filter "$filter" --seed "$2" $ab_options \
    --json "$tmp/ab.json" >"$tmp/ab.txt" 2>&1
  local rc=$?
  if { [ "$rc" -eq 0 ] || [ "$rc" -eq 3 ]; } && [ -s "$tmp/ab.json" ]; then
    python3 "$here/gate_quality.py" verdicts-ab "$tmp/ab.json" | record "$1" "$2"
  else
    log "$1 trial $2: ab exited $rc: $(tail -1 "$tmp/ab.txt")"; record_error "$1" "$2"
  fi
}

bench_time() { # BIN OUT.json
  "$1" bench --no-progress --filter "$filter" --json "$2" >/dev/null 2>"$tmp/bench.err"
}
bench_icount() { # BIN OUT.json
  "$1" bench --no-progress --measure instructions --samples 1 --filter "$filter" \
    --json "$2" >/dev/null 2>"$tmp/bench.err"
}

start=$(date +%s)
date_utc=$(date -u +%Y-%m-%dT%H:%M:%SZ)
load_start=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)
trials_done=0
for ((t = 1; t <= trials; t++)); do
  if [ "$max_minutes" -gt 0 ] && [ $(( $(date +%s) - start )) -ge $((max_minutes * 60)) ]; then
    log "--max-minutes $max_minutes reached: stopping after $trials_done trials"; break
  fi
  log "trial $t of $trials"
  if wants compare; then
    if bench_time "$base" "$tmp/t1.json" && bench_time "$base" "$tmp/t2.json"; then
      compare_into compare "$t" "$tmp/t1.json" "$tmp/t2.json"
    else
      log "compare trial $t: bench failed: $(tail -1 "$tmp/bench.err")"; record_error compare "$t"
    fi
  fi
  wants ab && ab_into ab "$t" "$tmp/kzgkit-a" "$tmp/kzgkit-b"
  if wants ab-slow; then
    for p in ${ab_levels//,/ }; do ab_into "ab-slow:$p" "$t" "$base" "$builds/inj$p/kzgkit"; done
  fi
  if [ "$t" -le "$icount_trials" ] && { wants icount || wants icount-slow; }; then
    # Per trial two fresh base runs: the false-alarm pair, and the first of them is also the
    # base of each detection comparison.
    if bench_icount "$base" "$tmp/i1.json"; then
      if wants icount; then
        if bench_icount "$base" "$tmp/i2.json"; then
          compare_into icount "$t" "$tmp/i1.json" "$tmp/i2.json"
        else
          log "icount trial $t: $(tail -1 "$tmp/bench.err")"; record_error icount "$t"
        fi
      fi
      if wants icount-slow; then
        for p in ${icount_levels//,/ }; do
          if bench_icount "$builds/inj$p/kzgkit" "$tmp/is.json"; then
            compare_into "icount-slow:$p" "$t" "$tmp/i1.json" "$tmp/is.json"
          else
            log "icount-slow:$p trial $t: $(tail -1 "$tmp/bench.err")"; record_error "icount-slow:$p" "$t"
          fi
        done
      fi
    else
      log "icount trial $t: $(tail -1 "$tmp/bench.err")"
      wants icount && record_error icount "$t"
      if wants icount-slow; then
        for p in ${icount_levels//,/ }; do record_error "icount-slow:$p" "$t"; done
      fi
    fi
  fi
  trials_done=$t
done
end=$(date +%s)

backend=$("$base" info 2>/dev/null | sed -n 's/^backend: *//p')
# Passed through the environment, not spliced into Python source: a filter's backslashes
# and quotes arrive as written.
GQ_DATE=$date_utc GQ_COMMAND=$command_line GQ_FILTER=$filter GQ_COMMIT=$commit \
GQ_TRIALS=$trials GQ_DONE=$trials_done GQ_ITRIALS=$icount_trials GQ_ROUNDS=$rounds \
GQ_AB_LEVELS=$ab_levels GQ_AB_OPTIONS=$ab_options GQ_IC_LEVELS=$icount_levels GQ_BACKEND=$backend GQ_CPUS=$(nproc) \
GQ_LOAD0=$load_start GQ_LOAD1=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null) \
GQ_WALL=$((end - start)) python3 - "$tmp/meta.json" <<'EOF'
import json, os, sys
e = os.environ
levels = lambda s: [int(x) for x in s.split(",") if x]
json.dump({"date": e["GQ_DATE"], "command": e["GQ_COMMAND"], "filter": e["GQ_FILTER"],
           "commit": e["GQ_COMMIT"], "trials_requested": int(e["GQ_TRIALS"]),
           "trials_done": int(e["GQ_DONE"]), "icount_trials": int(e["GQ_ITRIALS"]),
           "ab_rounds": int(e["GQ_ROUNDS"]), "ab_options": e["GQ_AB_OPTIONS"], "ab_levels_permille": levels(e["GQ_AB_LEVELS"]),
           "icount_levels_permille": levels(e["GQ_IC_LEVELS"]), "backend": e["GQ_BACKEND"],
           "cpus_online": int(e["GQ_CPUS"]), "load_average_start": e["GQ_LOAD0"],
           "load_average_end": e["GQ_LOAD1"], "wall_seconds": int(e["GQ_WALL"]),
           "compare_bench_options": "default (bench --json, 30 samples)",
           "icount_bench_options": "--measure instructions --samples 1"},
          open(sys.argv[1], "w"))
EOF
cp "$records" "$out/records.tsv"
echo "date $date_utc, backend $backend, load average $load_start -> $(cut -d' ' -f1-3 /proc/loadavg), $((end - start)) s, $trials_done trials (instruction counts: $(( icount_trials < trials_done ? icount_trials : trials_done ))), ab rounds $rounds"
echo "command: $command_line"
echo
python3 "$here/gate_quality.py" summary "$records" "$tmp/meta.json" "$out/summary.json" || exit 1
echo
echo "written: $out/summary.json, $out/records.tsv"

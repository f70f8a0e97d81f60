#!/usr/bin/env bash
# scripts/soak.sh [--minutes M] [--nodes N] [--direct] [--threads T] [--connections C]
#                 [--rate R] [--mix SPEC] [--bin KZGKIT] [--keep]
# A long run of `kzgkit loadgen --verify` against a local cluster (scripts/cluster.sh): does
# a node's memory stay flat, and does anything but the deliberately malformed requests fail?
#
# Brings up N nodes (default 2, T worker threads each, default 1) behind nginx — or, with
# --direct, one node with no balancer — and runs loadgen for M minutes (default 10) with C
# connections (default 4; closed loop unless --rate R) on SPEC (default: every kind of
# request, malformed ones interleaved). Every 10 s it samples each node's resident memory
# (VmRSS in /proc/PID/status). At the end it prints RSS first / at 1 min / max / last per
# node, nginx's answers by HTTP status, and loadgen's summary. Exits 1 when
#   - a node's RSS grew more than 10 % from the 1-minute mark to the end (the first minute
#     is warm-up: allocator arenas, caches), or a node died;
#   - loadgen saw a wrong answer, a failure or a retry, or any HTTP status other than 200
#     outside the malformed requests (those must get 4xx), or nginx answered 429 or 5xx.
# Runs in a scratch directory, removed at the end unless --keep or a failure (then its path
# is printed: node logs, nginx's access and error logs, loadgen's JSON, the RSS samples).
# Everything started is stopped on exit, and by cluster.sh's watchdog if this script is
# killed outright. Environment: KZGKIT (the binary when --bin is not given), as cluster.sh.
set -uo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cluster="$root/scripts/cluster.sh"
minutes=10
nodes=2
direct=""
threads=1
connections=4
rate=""
mix="commit=4,prove=1,prove-blob=2,verify=2,verify-blob=6,verify-batch=1,cells=1,verify-cells=1,recover=1,malformed=2"
bin="${KZGKIT:-$root/build/kzgkit}"
keep=""

say() { echo "soak: $*" >&2; }
usage() { sed -n '2,3p' "$0" | sed 's/^# *//' >&2; exit 2; }
posint() { case "$2" in '' | *[!0-9]* | 0*) say "$1 expects a positive integer"; exit 2 ;; esac; }
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes="${2:-}"; posint "$1" "$minutes"; shift 2 ;;
    --nodes) nodes="${2:-}"; posint "$1" "$nodes"; shift 2 ;;
    --threads) threads="${2:-}"; posint "$1" "$threads"; shift 2 ;;
    --connections) connections="${2:-}"; posint "$1" "$connections"; shift 2 ;;
    --rate) rate="${2:?--rate needs a value}"; shift 2 ;;
    --mix) mix="${2:?--mix needs a value}"; shift 2 ;;
    --bin) bin="${2:?--bin needs a value}"; shift 2 ;;
    --direct) direct=1; shift ;;
    --keep) keep=1; shift ;;
    -h | --help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) say "unknown argument '$1'"; usage ;;
  esac
done
[ -z "$direct" ] || [ "$nodes" -eq 1 ] || { say "--direct needs --nodes 1"; exit 2; }
[ "$minutes" -le 1440 ] || { say "--minutes: at most 1440 (a day)"; exit 2; }
[ "$nodes" -le 64 ] || { say "--nodes: at most 64"; exit 2; }
command -v perl >/dev/null || { say "perl is needed to read loadgen's JSON"; exit 2; }

dir="$(mktemp -d "${TMPDIR:-/tmp}/kzgkit-soak.XXXXXX")" || exit 1
loadgen_pid=""
failed=0
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  [ -n "$loadgen_pid" ] && kill "$loadgen_pid" 2>/dev/null
  "$cluster" down --dir "$dir/cluster" >/dev/null 2>&1
  if [ -n "$keep" ] || [ "$failed" -ne 0 ]; then say "run directory kept: $dir"; else rm -rf "$dir"; fi
}
trap cleanup EXIT
trap 'failed=1; exit 1' INT TERM

up_args=(up "$nodes" --dir "$dir/cluster" --threads "$threads" --bin "$bin" --owner $$)
[ -n "$direct" ] && up_args+=(--no-lb)
url=$("$cluster" "${up_args[@]}") || { failed=1; exit 1; }
pids=()
for ((i = 1; i <= nodes; i++)); do pids+=("$(cat "$dir/cluster/node-$i.pid")"); done
say "$nodes node(s) (pids ${pids[*]}), loadgen on $url for $minutes min, $connections connections"

lg_args=("$url" --duration $((minutes * 60)) --connections "$connections" --mix "$mix"
         --verify --retries 1 --seed 14 --json "$dir/loadgen.json")
[ -n "$rate" ] && lg_args+=(--rate "$rate")
# shellcheck disable=SC2086 # the prefix is a command and its arguments
timeout $((minutes * 60 + 300)) ${KZGKIT_RUN_PREFIX:-} "$bin" loadgen "${lg_args[@]}" \
  >"$dir/loadgen.out" 2>&1 &
loadgen_pid=$!

# rss PID: VmRSS in KiB, or nothing when the process is gone.
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }

# Samples: "SECONDS NODE RSS_KIB" every 10 s from loadgen's start (its precomputation
# included) until it exits; bounded by its own timeout.
start=$SECONDS
next=0
for ((tick = 0; tick < (minutes * 60 + 300) * 2; tick++)); do
  if [ $((SECONDS - start)) -ge "$next" ]; then
    for ((i = 0; i < nodes; i++)); do
      r=$(rss "${pids[$i]}")
      echo "$((SECONDS - start)) $((i + 1)) ${r:-dead}" >>"$dir/rss.txt"
    done
    next=$((next + 10))
  fi
  kill -0 "$loadgen_pid" 2>/dev/null || break
  sleep 0.5
done
wait "$loadgen_pid"
lg_rc=$?
loadgen_pid=""
for ((i = 0; i < nodes; i++)); do
  r=$(rss "${pids[$i]}")
  echo "$((SECONDS - start)) $((i + 1)) ${r:-dead}" >>"$dir/rss.txt"
done

echo "== kzgkit soak: $minutes min, $nodes node(s) ($threads thread(s) each)$([ -n "$direct" ] && echo ", direct" || echo " behind nginx"), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "== loadgen (exit $lg_rc)"
cat "$dir/loadgen.out"
[ "$lg_rc" -eq 0 ] || { say "loadgen exited $lg_rc"; failed=1; }

echo "== resident memory per node (MiB; sampled every 10 s)"
# The 1-minute mark: the first sample at or after 60 s (the first sample if the run is shorter).
if ! awk -v limit=10 -v N="$nodes" '
  $3 == "dead" { dead[$2] = 1; next }
  {
    n = $2; kib = $3
    if (!(n in first)) first[n] = kib
    if (!(n in mark) && $1 >= 60) mark[n] = kib
    if (kib > max[n]) max[n] = kib
    last[n] = kib; samples[n]++
  }
  END {
    printf "%-5s %8s %8s %8s %8s %9s %s\n", "node", "first", "at 1 min", "max", "last", "1min->end", "samples"
    bad = 0
    for (n = 1; n <= N; n++) {
      if (!(n in mark)) mark[n] = first[n]
      g = mark[n] ? 100 * (last[n] - mark[n]) / mark[n] : 0
      printf "%-5s %8.1f %8.1f %8.1f %8.1f %+8.1f%% %d%s\n", n, first[n] / 1024, mark[n] / 1024,
             max[n] / 1024, last[n] / 1024, g, samples[n], (n in dead) ? "  DIED" : ""
      if (g > limit) { printf "node %s: RSS grew %.1f %% after the first minute (limit %d %%)\n", n, g, limit; bad = 1 }
      if (n in dead) { printf "node %s died during the run\n", n; bad = 1 }
    }
    exit bad
  }' "$dir/rss.txt"; then
  failed=1
fi

if [ -z "$direct" ]; then
  echo "== nginx: answers by HTTP status (and requests it resent to another node)"
  awk '{ c[$2]++ } /upstream=[^ ]*, / { r++ }
       END { for (s in c) printf "%s %d\n", s, c[s]; printf "resent %d\n", r + 0 }' \
    "$dir/cluster/access.log" | sort
  bad_status=$(awk '$2 == 429 || $2 >= 500 { n++ } END { print n + 0 }' "$dir/cluster/access.log")
  [ "$bad_status" -eq 0 ] || { echo "nginx answered 429 or 5xx $bad_status time(s)"; failed=1; }
fi

echo "== errors outside the malformed requests"
if ! perl -MJSON::PP -e '
  local $/; open my $f, "<", $ARGV[0] or die "$ARGV[0]: $!\n"; my $j = decode_json(<$f>);
  my $bad = 0;
  for my $k (qw(wrong failed retried)) {
    if (($j->{$k} // 1) != 0) { print "loadgen: $k = ", $j->{$k} // "missing", "\n"; $bad = 1 }
  }
  my $errs = 0; $errs += $_->{errors} for @{ $j->{timeline} // [] };
  if ($errs) { print "loadgen: $errs transport or HTTP errors in its timeline\n"; $bad = 1 }
  for my $k (sort keys %{ $j->{endpoints} // {} }) {
    my $codes = $j->{endpoints}{$k}{codes} // {};
    for my $c (sort keys %$codes) {
      my $fine = $k eq "malformed" ? ($c >= 400 && $c < 500 && $c != 429) : $c == 200;
      next if $fine;
      print "$k: HTTP $c x $codes->{$c}\n"; $bad = 1;
    }
  }
  print "none\n" unless $bad;
  exit $bad;
' "$dir/loadgen.json"; then
  failed=1
fi

if [ "$failed" -eq 0 ]; then echo "== soak: PASS"; else echo "== soak: FAIL"; fi
exit "$failed"

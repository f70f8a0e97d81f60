#!/usr/bin/env bash
# scripts/cluster-bench.sh [--seconds S] [--out DIR] [--bin KZGKIT] — the scale-out figures
# of docs/SERVICE.md: S seconds (default 30) of `kzgkit loadgen --verify` with 4 connections
# on one fixed mix (every request kind) against four local set-ups (scripts/cluster.sh):
#   direct-1x1  one node, 1 worker thread, no balancer
#   nginx-1x1   the same node behind nginx (deploy/nginx/kzgkit.conf)
#   nginx-2x1   two nodes, 1 worker thread each, behind nginx
#   nginx-1x2   one node with 2 worker threads behind nginx
# and prints two Markdown tables: requests/s, p50 and p99 per request kind for each set-up;
# then totals with the CPU the nodes, nginx's workers and loadgen spent per request and the
# share of the machine's CPU that other processes took meanwhile (a shared machine's
# throughput says little without it; CPU per request stays meaningful).
# DIR (default: a scratch directory, removed afterwards) keeps each run's loadgen JSON and
# output, CPU figures and cluster logs. Environment: KZGKIT, as cluster.sh.
set -uo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cluster="$root/scripts/cluster.sh"
seconds=30
out=""
bin="${KZGKIT:-$root/build/kzgkit}"
mix="commit=4,prove=1,prove-blob=2,verify=2,verify-blob=6,verify-batch=1,cells=1,verify-cells=1,recover=1,malformed=1"
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="${2:-}"; shift 2 ;;
    --out) out="${2:?--out needs a value}"; shift 2 ;;
    --bin) bin="${2:?--bin needs a value}"; shift 2 ;;
    *) sed -n '2,3p' "$0" | sed 's/^# *//' >&2; exit 2 ;;
  esac
done
case "$seconds" in '' | *[!0-9]* | 0*) echo "cluster-bench: --seconds expects a positive integer" >&2; exit 2 ;; esac
[ "$seconds" -le 3600 ] || { echo "cluster-bench: --seconds: at most 3600" >&2; exit 2; }
command -v perl >/dev/null || { echo "cluster-bench: perl is needed for the tables" >&2; exit 2; }
if [ -z "$out" ]; then
  out="$(mktemp -d "${TMPDIR:-/tmp}/kzgkit-cluster-bench.XXXXXX")" || exit 1
  # shellcheck disable=SC2064 # expand now: the path is fixed
  trap "rm -rf '$out'" EXIT
fi
mkdir -p "$out" || exit 1

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# cpu DIR: clock ticks used so far by the nodes, by nginx's workers, and by the whole
# machine (busy time of all CPUs: /proc/stat's first line less idle and iowait).
cpu() {
  local f p nodes=0 lb=0
  for f in "$1"/node-*.pid; do read -r p <"$f" && nodes=$((nodes + $(ticks "$p"))); done
  if [ -r "$1/nginx.pid" ]; then
    for p in $(pgrep -P "$(cat "$1/nginx.pid")"); do lb=$((lb + $(ticks "$p"))); done
  fi
  echo "$nodes $lb $(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat)"
}

# run NAME NODES THREADS [--no-lb]
run() {
  local name="$1" url c0 c1 t0 t1
  # shellcheck disable=SC2086 # ${4:-}: one optional word
  url=$("$cluster" up "$2" --dir "$out/$name" --threads "$3" --bin "$bin" --owner $$ ${4:-} \
    2>"$out/$name.up") || { cat "$out/$name.up" >&2; exit 1; }
  c0=$(cpu "$out/$name")
  t0=${EPOCHREALTIME/,/.}
  # shellcheck disable=SC2086 # the prefix is a command and its arguments
  ${KZGKIT_RUN_PREFIX:-} "$bin" loadgen "$url" --duration "$seconds" --connections 4 \
    --mix "$mix" --verify --seed 14 --json "$out/$name.json" >"$out/$name.txt" 2>&1 \
    || { echo "cluster-bench: $name: loadgen failed:" >&2; tail -n 20 "$out/$name.txt" >&2; }
  t1=${EPOCHREALTIME/,/.}
  c1=$(cpu "$out/$name")
  "$cluster" down --dir "$out/$name" 2>/dev/null
  # nodes' s, nginx's s, the machine's busy s, wall s (loadgen's precomputation included)
  echo "$c0 $c1 $t0 $t1" | awk '{ printf "%.2f %.2f %.2f %.2f\n",
    ($4 - $1) / 100, ($5 - $2) / 100, ($6 - $3) / 100, $8 - $7 }' >"$out/$name.cpu"
  echo "cluster-bench: $name done" >&2
}

echo "cluster-bench: $seconds s per set-up; mix $mix" >&2
run direct-1x1 1 1 --no-lb
run nginx-1x1 1 1
run nginx-2x1 2 1
run nginx-1x2 1 2

perl -MJSON::PP -e '
  my ($dir, @names) = @ARGV;
  my (%j, %c);
  for my $n (@names) {
    local $/; open my $f, "<", "$dir/$n.json" or die "$n.json: $!\n"; $j{$n} = decode_json(<$f>);
    open my $g, "<", "$dir/$n.cpu" or die "$n.cpu: $!\n"; $c{$n} = [split " ", <$g>];
  }
  my $e0 = $j{$names[0]}{endpoints};
  my @kinds = sort { $e0->{$b}{requests} <=> $e0->{$a}{requests} } keys %$e0;
  print "| kind (endpoint) | ", join(" | ", map { "$_ req/s | p50 ms | p99 ms" } @names), " |\n";
  print "|---|", join("|", map { "--:|--:|--:" } @names), "|\n";
  for my $k (@kinds, "all") {
    my @cells;
    for my $n (@names) {
      my $e = $k eq "all" ? $j{$n} : $j{$n}{endpoints}{$k};
      push @cells, sprintf "%.1f | %.1f | %.1f", $e->{requests} / $j{$n}{elapsed_s}, $e->{p50_ms}, $e->{p99_ms};
    }
    my $label = $k eq "all" ? "**all**" : "$k ($e0->{$k}{endpoint})";
    print "| $label | ", join(" | ", @cells), " |\n";
  }
  print "\n| set-up | requests | wrong | failed | req/s | nodes CPU / request | nginx CPU / request |",
        " loadgen CPU (/ request) | other processes took |\n|---|--:|--:|--:|--:|--:|--:|--:|--:|\n";
  for my $n (@names) {
    my ($x, $cc) = ($j{$n}, $c{$n});
    my $r = $x->{requests} || 1;
    # Busy time of the whole machine that neither the nodes, nginx nor loadgen (its run and
    # its precomputation) account for: other processes.
    my $others = $cc->[2] - $cc->[0] - $cc->[1] - $x->{cpu_s} - $x->{precompute_s};
    printf "| %s | %d | %d | %d | %.1f | %.1f ms | %.0f us | %.2f s (%.0f us) | ~%.0f %% of a CPU |\n",
      $n, $x->{requests}, $x->{wrong}, $x->{failed}, $x->{rps}, 1e3 * $cc->[0] / $r,
      1e6 * $cc->[1] / $r, $x->{cpu_s}, 1e6 * $x->{cpu_s} / $r,
      $cc->[3] > 0 ? 100 * ($others > 0 ? $others : 0) / $cc->[3] : 0;
  }
' "$out" direct-1x1 nginx-1x1 nginx-2x1 nginx-1x2

#!/usr/bin/env bash
# test/cli/test_service_cluster.sh KZGKIT — two `kzgkit serve` nodes behind nginx
# (scripts/cluster.sh and deploy/nginx/kzgkit.conf), one of them killed under load.
#
# Brings up 2 nodes (--threads 1) and nginx on free loopback ports, runs
#   kzgkit loadgen URL --duration 20 --connections 4 --verify --retries 3 --json F
# on cheap operations plus malformed requests, and kills node 1 with SIGKILL 8 s after the
# first request. Proves: no wrong answer and no request left failing (each one succeeded,
# or failed cleanly and a retry succeeded: nginx's proxy_next_upstream or loadgen's); both
# nodes served traffic before the kill; nginx saw the dead node (its error log names it);
# throughput recovers: the ok rate from 3 s after the kill to the end is at least 30 % of
# the rate before it, and no second in that span is without an answer; node 2 is still up.
# Prints the figures. Skipped (77) without nginx. Needs bash, awk and perl (JSON::PP, in
# core perl). Prints "N passed, M failed"; exits 1 on any failure.
set -uo pipefail

cli="${1:?usage: test_service_cluster.sh PATH/TO/kzgkit}"
cluster="$(cd "$(dirname "$0")/../.." && pwd)/scripts/cluster.sh"
. "$(dirname "$0")/lib.sh"

nginx_bin="${KZGKIT_NGINX:-}"
[ -n "$nginx_bin" ] || nginx_bin=$(command -v nginx 2>/dev/null) || nginx_bin=/usr/sbin/nginx
if [ ! -x "$nginx_bin" ]; then
  echo "service_cluster: SKIPPED: nginx not found: apt-get install nginx-light" \
       "(or KZGKIT_EXTRA_PKGS=nginx-light scripts/install-deps.sh, or set KZGKIT_NGINX=/path/to/nginx)"
  exit 77
fi
export KZGKIT_NGINX="$nginx_bin"

duration=20    # seconds of load
kill_after=8   # seconds from the first request to the SIGKILL
settle=3       # seconds after the kill that recovery may take
mix="commit=2,prove-blob=1,verify-blob=3,verify=3,malformed=1"

cli_test_init service-cluster
dir="$tmp/cluster"
loadgen_pid=""
# The cluster goes down whatever happens; the watchdog (--owner) covers a SIGKILL of this
# script, which no trap sees.
# shellcheck disable=SC2064 # expand now: the paths are fixed
trap "[ -n \"\$loadgen_pid\" ] && kill \$loadgen_pid 2>/dev/null; '$cluster' down --dir '$dir' >/dev/null 2>&1; rm -rf '$tmp'" EXIT

# ---- up -----------------------------------------------------------------------------------
if ! url=$("$cluster" up 2 --dir "$dir" --threads 1 --bin "$cli" --owner $$ 2>"$tmp/up.err"); then
  cat "$tmp/up.err"
  bad "cluster.sh up 2 failed"
  cli_test_finish
fi
ok
port1=$(cat "$dir/node-1.port")
port2=$(cat "$dir/node-2.port")
pid1=$(cat "$dir/node-1.pid")
pid2=$(cat "$dir/node-2.pid")
echo "cluster: $url -> node 1 127.0.0.1:$port1 (pid $pid1), node 2 127.0.0.1:$port2 (pid $pid2)"

# ---- load, and the kill -------------------------------------------------------------------
base=$(wc -l <"$dir/access.log")
# shellcheck disable=SC2086 # the prefix is a command and its arguments
timeout $((duration + 120)) ${KZGKIT_RUN_PREFIX:-} "$cli" loadgen "$url" --duration "$duration" \
  --connections 4 --mix "$mix" --verify --retries 3 --seed 14 --json "$tmp/load.json" \
  >"$tmp/load.out" 2>&1 &
loadgen_pid=$!

# t0: when nginx logged the first request of the run (loadgen first precomputes its answers).
t0=""
for ((i = 0; i < 900; i++)); do
  t0=$(awk -v base="$base" 'NR > base { print $1; exit }' "$dir/access.log")
  [ -n "$t0" ] && break
  kill -0 "$loadgen_pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$t0" ]; then
  bad "no request reached nginx within 90 s: $(tail -n 5 "$tmp/load.out")"
  cli_test_finish
fi
now() { printf '%s' "${EPOCHREALTIME/,/.}"; }
wait_s=$(awk -v t0="$t0" -v now="$(now)" -v k="$kill_after" 'BEGIN { w = t0 + k - now; print (w > 0 ? w : 0) }')
sleep "$wait_s"
kill -KILL "$pid1"
kill_t=$(awk -v t0="$t0" -v now="$(now)" 'BEGIN { printf "%.3f", now - t0 }')
echo "node 1 killed (SIGKILL) at t = $kill_t s"

wait "$loadgen_pid"
rc=$?
loadgen_pid=""
cat "$tmp/load.out"
if [ "$rc" -eq 0 ]; then ok; else bad "loadgen exited $rc (1: a wrong answer or a request still failing)"; fi

# ---- the figures --------------------------------------------------------------------------
if [ ! -s "$tmp/load.json" ]; then
  bad "loadgen wrote no JSON"
  cli_test_finish
fi
# Prints "name value" lines, then "check NAME ok|fail DETAIL" lines for the assertions.
perl -MJSON::PP -e '
  my ($file, $kill_t, $settle, $duration) = @ARGV;
  local $/; open my $f, "<", $file or die "$file: $!"; my $j = decode_json(<$f>);
  my @tl = @{ $j->{timeline} // [] };
  my (@pre, @post);
  for my $s (@tl) {
    my $t = $s->{t};
    push @pre, $s if $t + 1 <= $kill_t;                        # whole seconds before the kill
    push @post, $s if $t >= $kill_t + $settle && $t + 1 <= $duration;  # whole seconds, settled
  }
  my $rate = sub { my $n = 0; $n += $_->{ok} for @_; @_ ? $n / @_ : 0 };
  my ($pre, $post) = ($rate->(@pre), $rate->(@post));
  my $min = undef; for (@post) { $min = $_->{ok} if !defined $min || $_->{ok} < $min }
  my $errs = 0; $errs += $_->{errors} for @tl;
  printf "%s %s\n", $_, $j->{$_} // "missing" for qw(requests ok wrong failed retried rps);
  printf "timeline_errors %d\n", $errs;
  printf "ok_per_s_before_kill %.1f (%d s)\n", $pre, scalar @pre;
  printf "ok_per_s_after_kill %.1f (%d s from t = %.1f)\n", $post, scalar @post, $kill_t + $settle;
  printf "recovery %.0f %%\n", $pre ? 100 * $post / $pre : 0;
  printf "slowest_second_after_kill %s\n", $min // "none";
  my $check = sub { printf "check %s %s %s\n", $_[0], $_[1] ? "ok" : "fail", $_[2] };
  $check->("fields", (grep { !defined $j->{$_} } qw(requests ok wrong failed retried)) == 0,
           "requests, ok, wrong, failed, retried present");
  $check->("wrong", defined $j->{wrong} && $j->{wrong} == 0, "wrong = " . ($j->{wrong} // "?"));
  $check->("failed", defined $j->{failed} && $j->{failed} == 0, "failed = " . ($j->{failed} // "?"));
  $check->("traffic", ($j->{ok} // 0) > 0 && @pre >= 4 && @post >= 4,
           sprintf("%d seconds before the kill, %d after it", scalar @pre, scalar @post));
  $check->("recovery", $pre > 0 && $post >= 0.3 * $pre,
           sprintf("%.1f/s after vs %.1f/s before (need >= 30 %%)", $post, $pre));
  $check->("no_gap", @post && $min > 0, "every second from kill + $settle s has ok answers");
' "$tmp/load.json" "$kill_t" "$settle" "$duration" >"$tmp/figures" 2>&1 || bad "cannot read loadgen's JSON: $(cat "$tmp/figures")"
grep -v '^check ' "$tmp/figures" | sed 's/^/  /'
while read -r _ name verdict detail; do
  if [ "$verdict" = ok ]; then ok; else bad "$name: $detail"; fi
done < <(grep '^check ' "$tmp/figures")

# ---- nginx's view -------------------------------------------------------------------------
t_kill_abs=$(awk -v t0="$t0" -v k="$kill_t" 'BEGIN { printf "%.3f", t0 + k }')
# answered_by: "COUNT PORT" for the node that answered each logged request before the kill
# (the last address of "upstream=A, B status=": nginx lists every node it tried).
served_before=$(awk -v base="$base" -v tk="$t_kill_abs" '
  NR > base && $1 < tk && match($0, /upstream=.* status=/) {
    n = split(substr($0, RSTART + 9, RLENGTH - 17), a, ", ")
    sub(/.*:/, "", a[n]); count[a[n]]++
  }
  END { for (p in count) printf "%s:%d ", p, count[p] }' "$dir/access.log")
echo "  requests answered per node port before the kill (port:count): $served_before"
if [[ " $served_before" == *" $port1:"* && " $served_before" == *" $port2:"* ]]; then ok; else
  bad "least_conn did not spread the load over both nodes before the kill: $served_before"
fi
resent=$(awk -v base="$base" 'NR > base && /upstream=[^ ]*, / { n++ } END { print n + 0 }' "$dir/access.log")
echo "  requests nginx resent to the other node: $resent"
if grep -q "127.0.0.1:$port1" "$dir/error.log"; then ok; else
  bad "nginx's error log never names the killed node 127.0.0.1:$port1: was it under load?"
fi
"$cluster" status --dir "$dir" >"$tmp/status" 2>&1
sed 's/^/  /' "$tmp/status"
if grep -q "^node 2: pid $pid2 .*readyz 200" "$tmp/status"; then ok; else bad "node 2 is not up after the run"; fi
if grep -q "^node 1: not running" "$tmp/status"; then ok; else bad "node 1 survived SIGKILL?"; fi

cli_test_finish

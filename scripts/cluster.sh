#!/usr/bin/env bash
# scripts/cluster.sh — a kzgkit cluster on this machine: N `kzgkit serve` nodes behind a
# private nginx, everything on 127.0.0.1.
#
#   cluster.sh up N [--dir DIR] [--port P] [--threads T] [--bin KZGKIT] [--owner PID]
#                   [--no-lb] [-- SERVE-ARGS...]
#   cluster.sh down [--dir DIR]
#   cluster.sh status [--dir DIR]
#   cluster.sh test N [--threads T] [--bin KZGKIT] [-- SERVE-ARGS...]
#
# up      starts N nodes (serve --listen 127.0.0.1:0 --port-file: each on a free port, T worker
#         threads, default 1, then SERVE-ARGS), waits until every node answers /readyz 200,
#         writes DIR/kzgkit.conf from deploy/nginx/kzgkit.conf (the file a real deployment
#         uses: its "@node" lines become one line per node, "@listen" gets the port,
#         "@max-body" a --max-body from SERVE-ARGS) and DIR/nginx.conf around it, starts nginx
#         on port P (default: a free one), waits for /healthz through it and prints the URL on
#         stdout; progress goes to stderr. When anything fails it stops what it started and
#         exits 1; a DIR that holds a running cluster is refused (exit 2). With --owner PID
#         a detached watchdog brings the cluster down once process PID is gone (checked each
#         second, for at most 6 hours): a test or a soak killed with SIGKILL leaves nothing
#         running behind it. --no-lb starts the nodes only (no nginx) and prints node 1's URL.
# down    nginx gets SIGQUIT (finishes what it is passing on), then the nodes SIGTERM (they
#         drain in-flight requests and exit); whatever still runs 40 s later gets SIGKILL.
#         Logs stay in DIR.
# status  each node (pid, port, /healthz, /readyz) and nginx (pid, URL, /healthz through it);
#         exit 0 when all of them are up, 1 otherwise.
# test    up in a scratch directory, a short verified `kzgkit loadgen` run through nginx,
#         down; exits with loadgen's status.
#
# DIR (default $KZGKIT_CLUSTER_DIR, else ${TMPDIR:-/tmp}/kzgkit-cluster) holds everything:
# node-I.{pid,port,log}, nginx.conf, kzgkit.conf, nginx.pid, nginx.port, url, access.log
# (with each request's upstream address and status), error.log, tmp/. nginx runs as
# `nginx -p DIR -c DIR/nginx.conf`, never the system instance.
# Environment: KZGKIT (the binary when --bin is not given; default build/kzgkit under the
# repository root), KZGKIT_NGINX (default: nginx on PATH, else /usr/sbin/nginx), KZGKIT_RUN_PREFIX
# (put in front of the binary: the emulator in cross builds).
# Needs bash, coreutils and awk; nginx only for up and test. HTTP checks use bash's /dev/tcp.
set -uo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
template="$root/deploy/nginx/kzgkit.conf"
start_timeout=60 # seconds for a node to answer /readyz (the setup loads first)
stop_timeout=40  # seconds for nodes to drain after SIGTERM (serve's --drain-timeout is 30)

say() { echo "cluster: $*" >&2; }
die() { say "$*"; exit 1; }
usage() {
  sed -n '/^#   cluster.sh up/,/^#   cluster.sh test/p' "$0" | sed 's/^# *//' >&2
  exit 2
}

# ---- processes ----------------------------------------------------------------------------

# alive PID: the process exists and is not a zombie (a container's init may never reap it).
alive() {
  [ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

# ours PID WORD: alive, and WORD appears in its command line — a pid file left from an old
# run may name an unrelated process by now, which must never be signalled.
ours() {
  alive "$1" && tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -q -- "$2"
}

# pid_of FILE: the number in FILE, or nothing.
pid_of() {
  local p
  [ -r "$1" ] || return 1
  read -r p <"$1" || true
  case "$p" in '' | *[!0-9]*) return 1 ;; esac
  echo "$p"
}

# http_status PORT PATH: the status code of GET PATH on 127.0.0.1:PORT, "000" when nothing
# answered within 2 s.
http_status() {
  local code
  # shellcheck disable=SC2016 # the inner script expands its own arguments
  code=$(timeout 2 bash -c '
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n" "$2" >&3
    read -r _ code _ <&3 && printf "%s" "$code"' _ "$1" "$2" 2>/dev/null)
  case "$code" in [0-9][0-9][0-9]) echo "$code" ;; *) echo 000 ;; esac
}

find_nginx() {
  nginx_bin="${KZGKIT_NGINX:-}"
  [ -n "$nginx_bin" ] || nginx_bin=$(command -v nginx 2>/dev/null) || nginx_bin=/usr/sbin/nginx
  [ -x "$nginx_bin" ] || die "nginx not found: apt-get install nginx-light (or set KZGKIT_NGINX=/path/to/nginx)"
}

# ---- down ---------------------------------------------------------------------------------

# stop_all DIR: the body of `down`; also the cleanup of a failed `up`.
stop_all() {
  local dir="$1" f p i waiting=() left
  if p=$(pid_of "$dir/watch.pid") && ours "$p" _watch && [ "$p" != "$$" ]; then
    kill -TERM "$p" 2>/dev/null
  fi
  rm -f "$dir/watch.pid"
  if p=$(pid_of "$dir/nginx.pid") && ours "$p" nginx; then
    kill -QUIT "$p" 2>/dev/null
    for ((i = 0; i < 100; i++)); do alive "$p" || break; sleep 0.1; done
    if alive "$p"; then say "nginx ($p) still running after 10 s: SIGKILL"; kill -KILL "$p" 2>/dev/null; fi
    say "nginx ($p) stopped"
  fi
  rm -f "$dir/nginx.pid" "$dir/url"
  for f in "$dir"/node-*.pid; do
    [ -e "$f" ] || continue
    if p=$(pid_of "$f") && ours "$p" serve; then
      kill -TERM "$p" 2>/dev/null && waiting+=("$p")
    fi
  done
  for ((i = 0; i < stop_timeout * 10 && ${#waiting[@]} > 0; i++)); do
    left=()
    for p in "${waiting[@]}"; do alive "$p" && left+=("$p"); done
    waiting=("${left[@]+"${left[@]}"}")
    [ ${#waiting[@]} -gt 0 ] && sleep 0.1
  done
  for p in "${waiting[@]+"${waiting[@]}"}"; do
    say "node ($p) still running after ${stop_timeout} s: SIGKILL"
    kill -KILL "$p" 2>/dev/null
  done
  for f in "$dir"/node-*.pid; do
    [ -e "$f" ] || continue
    p=$(pid_of "$f") && say "node $(basename "$f" .pid | cut -d- -f2) ($p) stopped"
    rm -f "$f"
  done
}

# ---- up -----------------------------------------------------------------------------------

# write_nginx_conf DIR PORT MAX_BODY NODE_PORT...: DIR/kzgkit.conf from the template and
# DIR/nginx.conf, the private instance's main context around it.
write_nginx_conf() {
  local dir="$1" port="$2" max_body="$3"
  shift 3
  awk -v ports="$*" -v listen_port="$port" -v max_body="$max_body" '
    /# @node/ {
      if (!nodes) {
        n = split(ports, p, " ")
        for (i = 1; i <= n; i++) {
          line = $0
          sub(/server[ \t]+[^ \t;]+/, "server 127.0.0.1:" p[i], line)
          sub(/[ \t]*# @node.*$/, "", line)
          print line
        }
      }
      nodes++
      next
    }
    /# @listen/ { sub(/listen[ \t]+[^;]+/, "listen 127.0.0.1:" listen_port); listens++ }
    /# @max-body/ && max_body != "" { sub(/client_max_body_size[ \t]+[^;]+/, "client_max_body_size " max_body) }
    { print }
    END { if (!nodes || listens != 1) exit 1 }
  ' "$template" >"$dir/kzgkit.conf" \
    || die "$template: expected \"# @node\" lines and one \"# @listen\" line"
  cat >"$dir/nginx.conf" <<EOF
# Written by scripts/cluster.sh: a private nginx for a local kzgkit cluster; the balancing
# itself is in kzgkit.conf (from deploy/nginx/kzgkit.conf).
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log notice;
events {
    worker_connections 1024;
}
http {
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    # Which node served each request, after how many attempts ("upstream" lists them all).
    log_format kzgkit '\$msec \$status \$request_method \$uri \$request_length \$bytes_sent '
                      '\$request_time upstream=\$upstream_addr status=\$upstream_status '
                      'time=\$upstream_response_time';
    access_log $dir/access.log kzgkit;
    include $dir/kzgkit.conf;
}
EOF
}

# nginx_run ARGS...: nginx with NGINX removed from its environment: nginx reads that variable
# as listening sockets inherited from an old binary (its live upgrade), and then neither
# daemonizes nor binds its own. Bounded: a start that hangs is killed after 30 s.
nginx_run() { timeout 30 env -u NGINX "$nginx_bin" "$@"; }

# start_nginx DIR PORT: 0 when nginx runs and answers /healthz on PORT; 3 when the port was
# taken (the caller picks another), 1 on any other failure.
start_nginx() {
  local dir="$1" port="$2" i p
  if ! nginx_run -t -q -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" \
    </dev/null >"$dir/nginx-start.log" 2>&1; then
    cat "$dir/nginx-start.log" >&2
    return 1
  fi
  if ! nginx_run -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" \
    </dev/null >"$dir/nginx-start.log" 2>&1; then
    grep -q "Address already in use" "$dir/nginx-start.log" && return 3
    cat "$dir/nginx-start.log" >&2
    return 1
  fi
  for ((i = 0; i < 100; i++)); do
    if p=$(pid_of "$dir/nginx.pid") && [ "$(http_status "$port" /healthz)" = 200 ]; then
      echo "$port" >"$dir/nginx.port"
      say "nginx ($p) on 127.0.0.1:$port"
      return 0
    fi
    sleep 0.1
  done
  say "nginx on port $port did not answer /healthz 200 within 10 s (see $dir/error.log)"
  return 1
}

# port_free PORT: nothing listens on 127.0.0.1:PORT (a connection attempt is refused).
# shellcheck disable=SC2016 # the inner script expands its own argument
port_free() { ! timeout 1 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$1" 2>/dev/null; }

cmd_up() {
  local n="$1" dir="$2" port="$3" threads="$4" bin="$5" owner="$6" no_lb="$7"
  shift 7
  local extra=("$@") max_body="" i a p pids=() ports=() tries rc
  case "$n" in '' | *[!0-9]* | 0) die "up: N must be a positive number of nodes" ;; esac
  [ "$n" -le 64 ] || die "up: at most 64 nodes"
  [ -x "$bin" ] || die "$bin is not an executable (build it, or give --bin / KZGKIT)"
  [ -r "$template" ] || die "$template is missing"
  [ -n "$no_lb" ] || find_nginx
  for ((i = 0; i < ${#extra[@]}; i++)); do
    a="${extra[$i]}"
    case "$a" in
      --max-body) max_body="${extra[$((i + 1))]:-}" ;;
      --max-body=*) max_body="${a#--max-body=}" ;;
    esac
  done

  mkdir -p "$dir/tmp" || die "cannot create $dir"
  dir="$(cd "$dir" && pwd)"
  if p=$(pid_of "$dir/nginx.pid") && ours "$p" nginx; then
    say "$dir already holds a running cluster (nginx $p): cluster.sh down --dir $dir first"
    exit 2
  fi
  for a in "$dir"/node-*.pid; do
    if [ -e "$a" ] && p=$(pid_of "$a") && ours "$p" serve; then
      say "$dir already holds a running node ($p): cluster.sh down --dir $dir first"
      exit 2
    fi
  done
  rm -f "$dir"/node-*.port "$dir"/node-*.log "$dir/access.log" "$dir/error.log" "$dir/watch.log" \
    "$dir/nginx.port" "$dir/no-lb"
  # nginx started as root runs its workers as an unprivileged user, which must be able to
  # reach the temp directories (nginx chowns those itself).
  [ "$(id -u)" -eq 0 ] && chmod 755 "$dir"

  # From here on a failure stops whatever this call has started.
  # shellcheck disable=SC2064 # expand now: the directory is fixed
  trap "say 'up failed: stopping what was started'; stop_all '$dir'" EXIT

  for ((i = 1; i <= n; i++)); do
    # shellcheck disable=SC2086 # the prefix is a command and its arguments
    ${KZGKIT_RUN_PREFIX:-} "$bin" serve --listen 127.0.0.1:0 --port-file "$dir/node-$i.port" \
      --threads "$threads" "${extra[@]+"${extra[@]}"}" \
      </dev/null >"$dir/node-$i.log" 2>&1 &
    pids+=("$!")
    echo "$!" >"$dir/node-$i.pid"
  done
  for ((i = 1; i <= n; i++)); do
    p=""
    for ((a = 0; a < start_timeout * 10; a++)); do
      alive "${pids[$((i - 1))]}" || die "node $i exited: $(tail -n 3 "$dir/node-$i.log")"
      if [ -z "$p" ] && [ -s "$dir/node-$i.port" ]; then
        read -r p <"$dir/node-$i.port" || p=""
        case "$p" in '' | *[!0-9]*) p="" ;; esac
      fi
      [ -n "$p" ] && [ "$(http_status "$p" /readyz)" = 200 ] && break
      sleep 0.1
    done
    if [ -z "$p" ] || [ "$a" -ge $((start_timeout * 10)) ]; then
      die "node $i not ready within ${start_timeout} s: $(tail -n 3 "$dir/node-$i.log")"
    fi
    ports+=("$p")
    say "node $i (${pids[$((i - 1))]}) ready on 127.0.0.1:$p"
  done

  # nginx: the given port, or a random free one; a port taken between the check and nginx's
  # bind is retried with another, a bounded number of times.
  rc=3
  [ -n "$no_lb" ] && { rc=0; p="${ports[0]}"; : >"$dir/no-lb"; }
  for ((tries = 0; tries < 20 && rc == 3; tries++)); do
    p="$port"
    if [ -z "$p" ]; then
      p=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
      port_free "$p" || continue
    fi
    write_nginx_conf "$dir" "$p" "$max_body" "${ports[@]}"
    start_nginx "$dir" "$p"
    rc=$?
    [ -n "$port" ] && [ "$rc" -eq 3 ] && die "port $port is taken"
  done
  [ "$rc" -eq 0 ] || die "nginx did not start"
  echo "http://127.0.0.1:$p" >"$dir/url"
  if [ -n "$owner" ]; then
    setsid "$0" _watch "$owner" --dir "$dir" </dev/null >>"$dir/watch.log" 2>&1 &
    echo "$!" >"$dir/watch.pid"
  fi
  trap - EXIT
  if [ -n "$no_lb" ]; then
    say "up: $n node(s), no balancer; node 1 is http://127.0.0.1:$p (cluster.sh down --dir $dir stops them)"
  else
    say "up: $n node(s) behind http://127.0.0.1:$p (cluster.sh down --dir $dir stops them)"
  fi
  echo "http://127.0.0.1:$p"
}

# ---- the watchdog of --owner ----------------------------------------------------------------

# cmd_watch OWNER DIR: waits (at most 6 hours) until process OWNER is gone, then stops the
# cluster in DIR. SIGTERM (from `down`) ends it without touching the cluster.
cmd_watch() {
  local owner="$1" dir="$2" i
  trap 'exit 0' TERM
  for ((i = 0; i < 6 * 3600; i++)); do
    alive "$owner" || break
    sleep 1
  done
  rm -f "$dir/watch.pid"
  if alive "$owner"; then
    say "watchdog: owner $owner still running after 6 hours: stopping the cluster"
  else
    say "watchdog: owner $owner is gone: stopping the cluster"
  fi
  stop_all "$dir"
}

# ---- status -------------------------------------------------------------------------------

cmd_status() {
  local dir="$1" f p port i all=0
  [ -d "$dir" ] || die "$dir: no cluster there"
  for f in "$dir"/node-*.pid; do
    [ -e "$f" ] || continue
    i=$(basename "$f" .pid | cut -d- -f2)
    port=""
    [ -r "$dir/node-$i.port" ] && read -r port <"$dir/node-$i.port"
    if p=$(pid_of "$f") && ours "$p" serve; then
      echo "node $i: pid $p port ${port:-?} healthz $(http_status "${port:-0}" /healthz) readyz $(http_status "${port:-0}" /readyz)"
      [ "$(http_status "${port:-0}" /readyz)" = 200 ] || all=1
    else
      echo "node $i: not running (pid file says ${p:-nothing})"
      all=1
    fi
  done
  port=""
  [ -r "$dir/nginx.port" ] && read -r port <"$dir/nginx.port"
  if [ -e "$dir/no-lb" ]; then
    echo "nginx: none (up --no-lb)"
  elif p=$(pid_of "$dir/nginx.pid") && ours "$p" nginx; then
    echo "nginx: pid $p url http://127.0.0.1:${port:-?} healthz $(http_status "${port:-0}" /healthz)"
  else
    echo "nginx: not running"
    all=1
  fi
  return "$all"
}

# ---- test ---------------------------------------------------------------------------------

cmd_test() {
  local n="$1" threads="$2" bin="$3" dir url rc
  shift 3
  dir="$(mktemp -d "${TMPDIR:-/tmp}/kzgkit-cluster-test.XXXXXX")" || exit 1
  # shellcheck disable=SC2064 # expand now: the directory is fixed
  trap "stop_all '$dir'; rm -rf '$dir'" EXIT
  url=$("$0" up "$n" --dir "$dir" --threads "$threads" --bin "$bin" --owner $$ -- "$@") \
    || exit 1
  say "test: 200 verified requests through $url"
  # shellcheck disable=SC2086 # the prefix is a command and its arguments
  ${KZGKIT_RUN_PREFIX:-} "$bin" loadgen "$url" --requests 200 --connections 4 --verify \
    --retries 2 --mix commit=2,prove-blob=1,verify-blob=3,verify=3,malformed=1
  rc=$?
  "$0" status --dir "$dir" >&2
  say "test: loadgen exited $rc"
  return "$rc"
}

# ---- command line -------------------------------------------------------------------------

[ $# -ge 1 ] || usage
cmd="$1"
shift
n=""
case "$cmd" in
  up | test)
    [ $# -ge 1 ] || usage
    n="$1"
    shift
    ;;
  down | status) ;;
  _watch)
    n="${1:?}" # the owner's pid
    shift
    ;;
  -h | --help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  *) usage ;;
esac
dir="${KZGKIT_CLUSTER_DIR:-${TMPDIR:-/tmp}/kzgkit-cluster}"
port=""
threads=1
bin="${KZGKIT:-$root/build/kzgkit}"
owner=""
no_lb=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir="${2:?--dir needs a value}"; shift 2 ;;
    --port) port="${2:?--port needs a value}"; shift 2 ;;
    --threads) threads="${2:?--threads needs a value}"; shift 2 ;;
    --bin) bin="${2:?--bin needs a value}"; shift 2 ;;
    --owner) owner="${2:?--owner needs a value}"; shift 2 ;;
    --no-lb) no_lb=1; shift ;;
    --) shift; break ;;
    *) say "unknown argument '$1'"; usage ;;
  esac
done
# A private test cluster stays off the privileged ports (80 is the system nginx's).
case "$port" in "" ) ;; *[!0-9]* | 0*) die "--port expects a port number" ;; esac
[ -z "$port" ] || { [ "$port" -ge 1024 ] && [ "$port" -le 65535 ]; } || die "--port: 1024 to 65535"
case "$threads" in '' | *[!0-9]* | 0) die "--threads expects a positive number" ;; esac
case "$owner" in *[!0-9]*) die "--owner expects a process id" ;; esac

case "$cmd" in
  up) cmd_up "$n" "$dir" "$port" "$threads" "$bin" "$owner" "$no_lb" "$@" ;;
  down)
    [ -d "$dir" ] || die "$dir: no cluster there"
    stop_all "$dir"
    ;;
  status) cmd_status "$dir" ;;
  test) cmd_test "$n" "$threads" "$bin" "$@" ;;
  _watch) cmd_watch "$n" "$dir" ;;
esac

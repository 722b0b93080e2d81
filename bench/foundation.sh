#!/usr/bin/env bash
# Foundation benchmark: time from process start to healthy, then request rates (wrk, 32
# connections) for authenticated GET /catalogs/{name} and for catalog creates, on embedded H2 and,
# when PostgreSQL server binaries are installed, on PostgreSQL. Prints a Markdown table.
#
#   bench/foundation.sh                 # both databases, 20 s per measurement
#   DURATION=60s bench/foundation.sh    # longer runs
#   DATABASES=h2 bench/foundation.sh    # H2 only
#
# Uses free ports unless GATEHOUSE_HTTP_PORT/GATEHOUSE_ADMIN_PORT/PG_PORT are set (the machine is
# shared: fixed ports collide with other people's servers).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
source bench/lib.sh   # bench_result, verdict, free_port, build_jar; this script's own helpers below win

DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
DATABASES=${DATABASES:-"h2 postgres"}
HTTP_PORT=${GATEHOUSE_HTTP_PORT:-$(free_port)}
ADMIN_PORT=${GATEHOUSE_ADMIN_PORT:-$(free_port)}
PG_PORT=${PG_PORT:-$(free_port)}
CLK_TCK=$(getconf CLK_TCK)
KEY="ghk_bench_$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
API="http://localhost:$HTTP_PORT"
WORK=$(mktemp -d -t gatehouse-bench.XXXXXX)
SERVER_PID=""
PG_BIN=""
PG_DATA=""
RESULTS=()
WARMUPS=()

log() { echo "[bench] $*" >&2; }

cleanup() {
  stop_server
  if [[ -n "$PG_DATA" ]]; then as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast stop >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

ensure_tools() {
  if ! command -v wrk >/dev/null; then
    log "installing wrk"
    if [[ $(id -u) -eq 0 ]]; then
      apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
    else
      echo "wrk is missing; install it (apt-get install wrk)" >&2; exit 1
    fi
  fi
  command -v curl >/dev/null || { echo "curl is missing" >&2; exit 1; }
}

now_ms() { date +%s%3N; }

# start_server NAME DB_URL DB_USER: starts the jar in a fresh working dir; sets HEALTHY_MS.
start_server() {
  local dir="$WORK/$1"
  mkdir -p "$dir"
  cp config.yml "$dir/"
  if curl -s -o /dev/null "http://localhost:$ADMIN_PORT/" || curl -s -o /dev/null "$API/"; then
    echo "port $HTTP_PORT or $ADMIN_PORT is taken; set GATEHOUSE_HTTP_PORT/GATEHOUSE_ADMIN_PORT" >&2; exit 1
  fi
  local start
  start=$(now_ms)
  (cd "$dir" && GATEHOUSE_DB_URL="$2" GATEHOUSE_DB_USER="$3" GATEHOUSE_DB_PASSWORD="" \
    GATEHOUSE_BOOTSTRAP_ADMIN_KEY="$KEY" GATEHOUSE_HTTP_PORT="$HTTP_PORT" GATEHOUSE_ADMIN_PORT="$ADMIN_PORT" \
    exec java -jar "$ROOT/target/gatehouse.jar" server config.yml >"$dir/server.log" 2>&1) &
  SERVER_PID=$!
  until curl -sf -o /dev/null "http://localhost:$ADMIN_PORT/healthcheck"; do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "server exited; its log:" >&2; cat "$dir/server.log" >&2; exit 1
    fi
    if (( $(now_ms) - start > 60000 )); then echo "not healthy after 60 s" >&2; exit 1; fi
    sleep 0.02
  done
  HEALTHY_MS=$(( $(now_ms) - start ))
  HEALTHY_CPU_MS=$(( $(cpu_ticks) * 1000 / CLK_TCK ))
}

# CPU time (user + system, in clock ticks) the server has used so far: unlike wall time, it does not
# grow when other processes share the machine.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"; }

stop_server() {
  if [[ -n "$SERVER_PID" ]]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  fi
}

# run_wrk NAME ARGS...: runs wrk, keeps its output, prints "requests/s p50 p99 errors cpu-ms/request".
run_wrk() {
  local name=$1; shift
  local out="$WORK/wrk-$name.txt"
  local before after
  before=$(cpu_ticks)
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Authorization: Bearer $KEY" "$@" >"$out"
  after=$(cpu_ticks)
  cat "$out" >&2
  local rps p50 p99 errors count
  rps=$(awk '/^Requests\/sec/ {printf "%d", $2}' "$out")
  p50=$(awk '$1 == "50%" {print $2}' "$out")
  p99=$(awk '$1 == "99%" {print $2}' "$out")
  # non-2xx answers and socket errors (connect, read, write, timeout) all count
  errors=$(awk '/Non-2xx/ {n += $NF} /Socket errors/ {gsub(/,/, ""); n += $4 + $6 + $8 + $10} END {print n + 0}' "$out")
  count=$(awk '/requests in/ {print $1}' "$out")
  echo "$rps $p50 $p99 $errors $(awk -v t=$((after - before)) -v n="$count" -v hz="$CLK_TCK" 'BEGIN {printf "%.2f", t * 1000 / hz / n}')"
}

# measure LABEL DB_URL DB_USER
measure() {
  local label=$1
  log "$label: first start on an empty database (migrations and bootstrap included)"
  start_server "$label" "$2" "$3"
  local cold="$HEALTHY_MS/$HEALTHY_CPU_MS"
  curl -sf -o /dev/null -X POST "$API/api/2.1/unity-catalog/catalogs" -H "Authorization: Bearer $KEY" \
    -H "Content-Type: application/json" -d '{"name":"bench","comment":"read target"}'
  log "$label: warm-up of GET until its rate is steady"
  local get post
  WARMUPS+=("$label GET: $(warm_up -t"$THREADS" -c"$CONNECTIONS" -H "Authorization: Bearer $KEY" \
    "$API/api/2.1/unity-catalog/catalogs/bench")")
  log "$label: GET /catalogs/bench"
  get=$(run_wrk "$label-get" "$API/api/2.1/unity-catalog/catalogs/bench")
  log "$label: warm-up of POST until its rate is steady"
  # no RUN_ID: each slice names its catalogs after the second it starts in
  WARMUPS+=("$label POST: $(warm_up -t"$THREADS" -c"$CONNECTIONS" \
    -H "Authorization: Bearer $KEY" -s bench/create_catalog.lua "$API")")
  log "$label: POST /catalogs"
  post=$(RUN_ID="$(date +%s)" run_wrk "$label-post" -s bench/create_catalog.lua "$API")
  stop_server
  log "$label: restart on the same database"
  start_server "$label" "$2" "$3"
  local warm="$HEALTHY_MS/$HEALTHY_CPU_MS"
  stop_server
  RESULTS+=("$label $cold $warm $get $post")
}

start_postgres() {
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [[ -z "$PG_BIN" || ! -x "$PG_BIN/initdb" ]]; then
    log "no PostgreSQL server binaries under /usr/lib/postgresql: skipping the PostgreSQL run"
    return 1
  fi
  PG_DATA="$WORK/pgdata"
  mkdir -p "$PG_DATA"
  if [[ $(id -u) -eq 0 ]]; then chown -R postgres "$WORK"; chmod 755 "$WORK"; fi
  as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -A trust >/dev/null
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$WORK/pg.log" -w \
    -o "-p $PG_PORT -k $WORK -c max_connections=100 -c shared_buffers=256MB" start >/dev/null
  as_postgres "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres gatehouse
  log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on port $PG_PORT"
}

# PostgreSQL refuses to run as root: run its tools as the postgres user when we are root.
as_postgres() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

machine() {
  echo "- CPU: $(nproc) × $(lscpu | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2; exit}')"
  echo "- RAM: $(free -g | awk '/^Mem:/ {print $2}') GiB"
  echo "- JDK: $(java -version 2>&1 | head -1)"
  echo "- OS: $(. /etc/os-release && echo "$PRETTY_NAME"), $(uname -r)"
  echo "- load average when the run ended: $(cut -d' ' -f1-3 /proc/loadavg) (anything above 0 is other processes competing for the $(nproc) cores)"
  echo "- wrk: $THREADS threads, $CONNECTIONS connections, $DURATION per measurement, on the same machine, after a warm-up"
  echo "  in ${WARMUP_SLICE:-10s} slices until the rate is steady (req/s of each slice, the cold figures first):"
  local w
  for w in "${WARMUPS[@]}"; do echo "  - $w"; done
}

ensure_tools
build_jar
for db in $DATABASES; do
  case $db in
    h2) measure h2 "jdbc:h2:file:./data/gatehouse" gatehouse ;;
    postgres) if start_postgres; then measure postgres "jdbc:postgresql://127.0.0.1:$PG_PORT/gatehouse" postgres; fi ;;
    *) echo "unknown database: $db" >&2; exit 1 ;;
  esac
done

echo
machine
echo
echo "Start to healthy: wall ms / server CPU ms. Requests: rate, latency p50 and p99, errors, server CPU ms per request."
echo
echo "| database | first start (empty db) | restart | GET /catalogs/{name} req/s | p50 | p99 | errors | CPU ms/req | POST /catalogs req/s | p50 | p99 | errors | CPU ms/req |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for row in "${RESULTS[@]}"; do
  read -r label cold warm grps gp50 gp99 gerr gcpu prps pp50 pp99 perr pcpu <<<"$row"
  echo "| $label | $cold | $warm | $grps | $gp50 | $gp99 | $gerr | $gcpu | $prps | $pp50 | $pp99 | $perr | $pcpu |"
  # For bench/run-all. The start-up target is the issue's for H2; the request-rate target holds for both.
  target=-; v=-
  [[ $label == h2 ]] && target="< 5000 ms" && v=$(verdict "${cold%/*}" '<' 5000)
  bench_result foundation "$label" "first start to healthy (wall)" "${cold%/*}" ms "$target" "$v"
  bench_result foundation "$label" "restart to healthy (wall)" "${warm%/*}" ms - -
  bench_result foundation "$label" "GET /catalogs/{name}" "$grps" req/s ">= 10000 req/s" "$(verdict "$grps" '>=' 10000)"
  bench_result foundation "$label" "GET /catalogs/{name} p99" "$gp99" - - -
  bench_result foundation "$label" "GET /catalogs/{name} server CPU per request" "$gcpu" ms - -
  bench_result foundation "$label" "POST /catalogs" "$prps" req/s - -
done

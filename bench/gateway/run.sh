#!/usr/bin/env bash
# Gateway benchmark (issue 7): in one run on this machine,
#   1. wrk against (a) a fake OpenAI-compatible upstream directly, (b) nginx as a plain reverse proxy
#      to it, (c) Gatehouse's /v1/chat/completions with a non-admin key (authentication, EXECUTE
#      check and usage record all on): requests/s and latency, saturated (64 connections) and
#      unloaded (1 connection), then Gatehouse's RSS and heap;
#   2. 5,000 streaming requests held open for 30 s through Gatehouse (-Xmx1g): errors, completions,
#      peak heap, RSS, platform thread count.
# Prints a Markdown report on stdout (logs on stderr). Everything listens on 127.0.0.1 only.
#
#   bench/gateway/run.sh
#   DURATION=30s STREAMS=2000 HOLD=20 bench/gateway/run.sh
#   PHASES=streams RAMP=60 HOLD=120 bench/gateway/run.sh   # streams only, opened over 60 s, each held 120 s
#   RATE_LIMITS=1 PHASES=throughput bench/gateway/run.sh  # the same calls with rate-limit rules in force
#   KEEP=1 bench/gateway/run.sh        # keep the temp dir (logs, wrk output, GC log)
#   GATEHOUSE_JAVA_OPTS="-XX:FlightRecorderOptions:stackdepth=256" INSPECT=600 ...   # extra JVM flags for Gatehouse
#   INSPECT=600 bench/gateway/run.sh   # set up, then stay up 600 s for profiling by hand
#   BUDGET=1 PHASES=throughput bench/gateway/run.sh   # with a hard global budget on every call
#   PHASES=limits ROUNDS=3 bench/gateway/run.sh   # issue 8: rate limits and a hard budget off vs on, alternating
#   PHASES=baseline bench/gateway/run.sh   # only nginx → fake upstream (bench/run-all's baseline)
#   DB=postgres INSTANCES=2 PHASES=limits bench/gateway/run.sh   # issue 8: two instances on one PostgreSQL 15,
#                                          # the load split over both (limits and budgets shared by them)
# Ports: free ones unless GATEHOUSE_HTTP_PORT, GATEHOUSE_ADMIN_PORT, NGINX_PORT, UPSTREAM_PORT are set.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
source bench/lib.sh   # bench_result, verdict, free_port, build_jar; this script's own helpers below win

JAVA_HOME25=${JAVA_HOME25:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME25/bin/java"
DURATION=${DURATION:-20s}
LATENCY_DURATION=${LATENCY_DURATION:-10s}
PACE=${PACE:-500}                   # paced latency: requests per second on one connection
PACE_SECONDS=${PACE_SECONDS:-20}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
STREAMS=${STREAMS:-5000}
HOLD=${HOLD:-30}
ROUNDS=${ROUNDS:-2}                 # PHASES=limits: off/on pairs
LIMITS_WARMUP=${LIMITS_WARMUP:-10s}
HEAP=${HEAP:-1g}
RAMP=${RAMP:-0}            # seconds over which the streams are opened; 0: all at once
PHASES=${PHASES:-"throughput limits streams"}
DB=${DB:-h2}                      # h2 (each instance's own file) or postgres (a fresh cluster, shared)
INSTANCES=${INSTANCES:-1}         # PHASES=limits: instances on the one database, the load split over them
LIMITS=${LIMITS:-"rules budget"}  # PHASES=limits: what "on" turns on (rules: 2 rate-limit rules; budget: a hard one)
RATE_LIMITS=${RATE_LIMITS:-0}   # 1: rules that cover every bench call (and never refuse one) are in force
HTTP_PORT=${GATEHOUSE_HTTP_PORT:-$(free_port)}
ADMIN_PORT=${GATEHOUSE_ADMIN_PORT:-$(free_port)}
NGINX_PORT=${NGINX_PORT:-$(free_port)}
UPSTREAM_PORT=${UPSTREAM_PORT:-$(free_port)}
ADMIN_KEY="ghk_bench_$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
API="http://127.0.0.1:$HTTP_PORT"
WORK=$(mktemp -d -t gatehouse-gw-bench.XXXXXX)
PIDS=()            # every process this script starts, stopped on exit
GH_PID=""          # the first instance, which the API calls and single-instance phases use
GH_PIDS=()
GATES=()           # every instance's /v1/chat/completions
MASTER_KEY=$(head -c 32 /dev/urandom | base64)   # shared: instances read each other's connection secrets

log() { echo "[bench] $*" >&2; }
die() { echo "[bench] $*" >&2; exit 1; }

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  stop_pg
  if [[ -n "${KEEP:-}" ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM   # so that a killed run still stops what it started

# 5,000 client sockets plus 5,000 sockets from Gatehouse to the upstream, and the proxies' own.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
(( $(ulimit -n) >= 2 * STREAMS + 1000 )) || die "ulimit -n is $(ulimit -n): too low for $STREAMS streams"

apt_install() {
  [[ $(id -u) -eq 0 ]] || die "$1 is missing; install it (apt-get install $1)"
  log "installing $1"
  # nginx's package would start a system nginx on port 80; policy-rc.d (exit 101) forbids that.
  # Only a policy-rc.d we made ourselves is removed afterwards.
  local made=""
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && made=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null 2>&1 \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null; }
  if [[ -n "$made" ]]; then rm -f /usr/sbin/policy-rc.d; fi
}

ensure_tools() {
  command -v wrk >/dev/null || apt_install wrk
  command -v nginx >/dev/null || apt_install nginx-light
  command -v curl >/dev/null || die "curl is missing"
  [[ -x "$JAVA" ]] || die "no JDK 21+ at $JAVA_HOME25 (set JAVA_HOME25)"
}

# wait_port PORT WHAT PID: polls until something answers TCP on PORT (at most 90 s).
wait_port() {
  local i
  for ((i = 0; i < 900; i++)); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    kill -0 "$3" 2>/dev/null || die "$2 exited; see $WORK"
    sleep 0.1
  done
  die "$2 not listening on $1 after 90 s"
}

port_free() {
  if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then die "port $1 is taken; see the port variables in $0"; fi
}

start_upstream() {
  mkdir -p "$WORK/classes"
  "$JAVA_HOME25/bin/javac" -d "$WORK/classes" bench/gateway/FakeUpstream.java bench/gateway/StreamClient.java \
    bench/gateway/LatencyClient.java
  port_free "$UPSTREAM_PORT"
  # -Dsun.net.httpserver.nodelay: without it Nagle and delayed ACKs add ~40 ms to some answers.
  "$JAVA" -Xmx512m -Dsun.net.httpserver.nodelay=true -cp "$WORK/classes" FakeUpstream "$UPSTREAM_PORT" \
    >"$WORK/upstream.log" 2>&1 &
  PIDS+=($!)
  wait_port "$UPSTREAM_PORT" "fake upstream" $!
}

start_nginx() {
  port_free "$NGINX_PORT"
  mkdir -p "$WORK/nginx-body" "$WORK/nginx-proxy"
  sed -e "s#@WORK@#$WORK#g" -e "s#@PORT@#$NGINX_PORT#g" -e "s#@UPSTREAM@#$UPSTREAM_PORT#g" \
    bench/gateway/nginx.conf.in >"$WORK/nginx.conf"
  nginx -p "$WORK" -c "$WORK/nginx.conf" -e "$WORK/nginx-error.log" >"$WORK/nginx.log" 2>&1 &
  PIDS+=($!)
  wait_port "$NGINX_PORT" nginx $!
}

# start_gatehouse HTTP_PORT ADMIN_PORT: one instance (on DB), healthy before it returns.
start_gatehouse() {
  port_free "$1"; port_free "$2"
  local dir="$WORK/gatehouse-$1" pid db=()
  mkdir -p "$dir"
  cp config.yml "$dir/"
  [[ $DB == postgres ]] && db=(GATEHOUSE_DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/gatehouse" GATEHOUSE_DB_USER=gatehouse)
  (cd "$dir" && exec env "${db[@]}" GATEHOUSE_BOOTSTRAP_ADMIN_KEY="$ADMIN_KEY" GATEHOUSE_MASTER_KEY="$MASTER_KEY" \
    GATEHOUSE_HTTP_PORT="$1" GATEHOUSE_ADMIN_PORT="$2" \
    "$JAVA" -Xmx"$HEAP" -Xlog:gc:file="$WORK/gc-$1.log" ${GATEHOUSE_JAVA_OPTS:-} -jar "${GATEHOUSE_JAR:-$ROOT/target/gatehouse.jar}" server config.yml \
    >"$WORK/gatehouse-$1.log" 2>&1) &
  pid=$!
  PIDS+=("$pid")
  GH_PIDS+=("$pid")
  GATES+=("http://127.0.0.1:$1/v1/chat/completions")
  [[ -z $GH_PID ]] && GH_PID=$pid
  local i
  for ((i = 0; i < 900; i++)); do
    curl -sf -o /dev/null "http://127.0.0.1:$2/healthcheck" && return 0
    kill -0 "$pid" 2>/dev/null || { tail -50 "$WORK/gatehouse-$1.log" >&2; die "Gatehouse exited"; }
    sleep 0.1
  done
  die "Gatehouse not healthy after 90 s"
}

# api KEY METHOD PATH BODY: one API call that must succeed; prints the answer.
api() {
  local out code
  out=$(curl -s -w '\n%{http_code}' -X "$2" "$API$3" -H "Authorization: Bearer $1" \
    -H "Content-Type: application/json" -d "$4")
  code=${out##*$'\n'}
  (( code < 300 )) || die "$2 $3 answered $code: ${out%$'\n'*}"
  echo "${out%$'\n'*}"
}

# setup: catalog ai, schema llm; connections to the fake upstream (fast, and holding streams open);
# models assistant and holder with a READY version 1 and alias champion; user bench_caller with
# USE_CATALOG, USE_SCHEMA and EXECUTE on both models only (not an admin), and its own key.
setup() {
  local a="$ADMIN_KEY" uc=/api/2.1/unity-catalog
  api "$a" POST "$uc/catalogs" '{"name":"ai"}' >/dev/null
  api "$a" POST "$uc/schemas" '{"name":"llm","catalog_name":"ai"}' >/dev/null
  api "$a" POST "$uc/connections" "{\"name\":\"fake\",\"connection_type\":\"OPENAI_COMPATIBLE\",\"options\":{\"base_url\":\"http://127.0.0.1:$UPSTREAM_PORT/v1\",\"max_retries\":\"0\"}}" >/dev/null
  api "$a" POST "$uc/connections" "{\"name\":\"fake_hold\",\"connection_type\":\"OPENAI_COMPATIBLE\",\"options\":{\"base_url\":\"http://127.0.0.1:$UPSTREAM_PORT/hold/$HOLD/v1\",\"max_retries\":\"0\"}}" >/dev/null
  # The fake model has no list price, and unpriced models are refused: price it (1 and 2 USD per 1M).
  api "$a" PUT /api/1.0/gatehouse/pricing '[{"connection_name":"fake","upstream_model":"*","input_per_million_usd":"1","output_per_million_usd":"2"},{"connection_name":"fake_hold","upstream_model":"*","input_per_million_usd":"1","output_per_million_usd":"2"}]' >/dev/null
  if [[ -n "${BUDGET:-}" ]]; then
    # BUDGET=1: every call also reserves and settles against a hard global budget far from full:
    # the cost of a hard budget on the hot path (one contended row for every call).
    api "$a" POST /api/1.0/gatehouse/budgets '{"scope_type":"global","amount_usd":"1000000000","period":"month","hard":true}' >/dev/null
  fi
  local model conn
  for model in assistant holder; do
    conn=fake; [[ $model == holder ]] && conn=fake_hold
    api "$a" POST "$uc/models" "{\"name\":\"$model\",\"catalog_name\":\"ai\",\"schema_name\":\"llm\"}" >/dev/null
    api "$a" POST "$uc/models/versions" "{\"catalog_name\":\"ai\",\"schema_name\":\"llm\",\"model_name\":\"$model\",\"source\":\"bench://fake-model\",\"serving\":{\"connection_name\":\"$conn\",\"upstream_model\":\"fake-model\",\"task\":\"chat\"}}" >/dev/null
    api "$a" PATCH "$uc/models/ai.llm.$model/versions/1/finalize" "{\"full_name\":\"ai.llm.$model\",\"version\":1}" >/dev/null
    api "$a" PUT "$uc/models/ai.llm.$model/aliases/champion" '{"version_num":1}' >/dev/null
  done
  api "$a" POST /api/1.0/unity-control/scim2/Users '{"userName":"bench_caller","displayName":"Bench caller"}' >/dev/null
  USER_KEY=$(api "$a" POST /api/1.0/gatehouse/api-keys '{"name":"bench","principal":"bench_caller"}' \
    | sed -E 's/.*"key":"([^"]+)".*/\1/')
  api "$a" PATCH "$uc/permissions/catalog/ai" '{"changes":[{"principal":"bench_caller","add":["USE_CATALOG"]}]}' >/dev/null
  api "$a" PATCH "$uc/permissions/schema/ai.llm" '{"changes":[{"principal":"bench_caller","add":["USE_SCHEMA"]}]}' >/dev/null
  for model in assistant holder; do
    api "$a" PATCH "$uc/permissions/registered_model/ai.llm.$model" '{"changes":[{"principal":"bench_caller","add":["EXECUTE"]}]}' >/dev/null
  done
  if [[ $RATE_LIMITS == 1 ]]; then
    # Three buckets per call, none ever empty: the caller's requests and tokens, and everyone's requests.
    api "$a" POST /api/1.0/gatehouse/rate-limits '{"scope_type":"principal","scope_name":"bench_caller","limits":[{"kind":"requests","per":"minute","limit":1000000000},{"kind":"tokens","per":"minute","limit":60000000000}]}' >/dev/null
    api "$a" POST /api/1.0/gatehouse/rate-limits '{"scope_type":"global","limits":[{"kind":"requests","per":"day","limit":1000000000}]}' >/dev/null
    log "rate limits on: a principal rule (requests, tokens) and a global rule (requests)"
  fi
  # The caller must be refused where it holds no grant: proof that its calls take the real check.
  api "$a" POST "$uc/models" '{"name":"forbidden","catalog_name":"ai","schema_name":"llm"}' >/dev/null
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' "$API/v1/chat/completions" -H "Authorization: Bearer $USER_KEY" \
    -H "Content-Type: application/json" -d '{"model":"ai.llm.forbidden","messages":[{"role":"user","content":"x"}]}')
  [[ $code == 403 || $code == 404 ]] || die "a call without EXECUTE answered $code, not 403/404"
  log "a call without EXECUTE is refused ($code); one with it answers:"
  api "$USER_KEY" POST /v1/chat/completions '{"model":"ai.llm.assistant@champion","messages":[{"role":"user","content":"hi"}]}' >&2
  echo >&2
  api "$USER_KEY" POST /v1/chat/completions '{"model":"ai.llm.assistant@champion","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}' >&2
}

# run_wrk NAME URL KEY CONNECTIONS DURATION: prints "requests/s p50 p99 errors" (errors: non-2xx and
# socket errors of any kind).
run_wrk() {
  local out="$WORK/wrk-$1.txt" threads=$THREADS
  (( $4 < threads )) && threads=$4
  KEY="$3" MODEL="ai.llm.assistant@champion" wrk -t"$threads" -c"$4" -d"$5" --latency \
    -s bench/gateway/chat.lua "$2" >"$out"
  cat "$out" >&2
  local rps p50 p99 errors
  rps=$(awk '/^Requests\/sec/ {printf "%d", $2}' "$out")
  p50=$(awk '$1 == "50%" {print $2}' "$out")
  p99=$(awk '$1 == "99%" {print $2}' "$out")
  errors=$(awk '/Non-2xx/ {n += $NF} /Socket errors/ {gsub(/,/, ""); n += $4 + $6 + $8 + $10} END {print n + 0}' "$out")
  echo "$rps $p50 $p99 $errors"
}

# to_ms 1.23ms|456.00us|1.20s -> milliseconds
to_ms() {
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}

# Gatehouse's CPU time so far in clock ticks, every instance's: unlike wall time, it does not grow
# when other processes share the machine.
cpu_ticks() {
  local pid sum=0
  for pid in "${GH_PIDS[@]}"; do sum=$((sum + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done
  echo "$sum"
}

rss_mib() { awk '/^VmRSS/ {printf "%d", $2 / 1024}' "/proc/$GH_PID/status"; }
hwm_mib() { awk '/^VmHWM/ {printf "%d", $2 / 1024}' "/proc/$GH_PID/status"; }
threads_now() { awk '/^Threads/ {print $2}' "/proc/$GH_PID/status"; }
heap_used_mib() {
  "$JAVA_HOME25/bin/jcmd" "$GH_PID" GC.heap_info 2>/dev/null | grep -oE 'used [0-9]+K' | head -1 | awk '{printf "%d", $2 / 1024}'
}

throughput() {
  local direct="http://127.0.0.1:$UPSTREAM_PORT/v1/chat/completions"
  local proxied="http://127.0.0.1:$NGINX_PORT/v1/chat/completions"
  local gate="$API/v1/chat/completions"
  log "warm-up of each target until its rate is steady"
  W_DIRECT=$(KEY="" warm_up -t"$THREADS" -c"$CONNECTIONS" -s bench/gateway/chat.lua "$direct")
  W_NGINX=$(KEY="" warm_up -t"$THREADS" -c"$CONNECTIONS" -s bench/gateway/chat.lua "$proxied")
  W_GATE=$(KEY="$USER_KEY" MODEL="ai.llm.assistant@champion" warm_up -t"$THREADS" -c"$CONNECTIONS" \
    -s bench/gateway/chat.lua "$gate")
  log "saturated: $CONNECTIONS connections, $DURATION"
  R_DIRECT=$(run_wrk direct "$direct" "" "$CONNECTIONS" "$DURATION")
  R_NGINX=$(run_wrk nginx "$proxied" "" "$CONNECTIONS" "$DURATION")
  local before after
  before=$(cpu_ticks)
  R_GATE=$(run_wrk gatehouse "$gate" "$USER_KEY" "$CONNECTIONS" "$DURATION")
  after=$(cpu_ticks)
  GH_CPU_MS=$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v f="$WORK/wrk-gatehouse.txt" 'BEGIN {
    while ((getline l < f) > 0) if (l ~ /requests in/) { split(l, a, " "); n = a[1] }
    printf "%.2f", n ? t * 1000 / hz / n : 0 }')
  log "unloaded: 1 connection, $LATENCY_DURATION"
  L_DIRECT=$(run_wrk direct-1 "$direct" "" 1 "$LATENCY_DURATION")
  L_NGINX=$(run_wrk nginx-1 "$proxied" "" 1 "$LATENCY_DURATION")
  L_GATE=$(run_wrk gatehouse-1 "$gate" "$USER_KEY" 1 "$LATENCY_DURATION")
  log "paced: $PACE requests/s on 1 connection for $PACE_SECONDS s"
  P_DIRECT=$(paced "$UPSTREAM_PORT" - fake-model)
  P_NGINX=$(paced "$NGINX_PORT" - fake-model)
  P_GATE=$(paced "$HTTP_PORT" "$USER_KEY" ai.llm.assistant@champion)
  AFTER_RSS=$(rss_mib)
  AFTER_HEAP=$(heap_used_mib)
  AFTER_THREADS=$(threads_now)
}

# paced PORT KEY MODEL: LatencyClient's line (n, errors, p50_ms, p99_ms, p999_ms, max_ms) at PACE req/s.
paced() { "$JAVA" -Xmx64m -cp "$WORK/classes" LatencyClient "$1" "$2" "$3" "$PACE" "$PACE_SECONDS"; }
# field NAME LINE: the value of NAME=... in a LatencyClient line
field() { sed -E "s/.*(^| )$1=([^ ]+).*/\2/" <<<"$2"; }

# The reference bench/run-all divides request rates by: nginx as a plain reverse proxy to the fake upstream.
baseline() {
  local proxied="http://127.0.0.1:$NGINX_PORT/v1/chat/completions" r
  log "nginx baseline: warm-up until the rate is steady, then $CONNECTIONS connections for $DURATION"
  KEY="" warm_up -t"$THREADS" -c"$CONNECTIONS" -s bench/gateway/chat.lua "$proxied" >/dev/null
  r=$(run_wrk nginx "$proxied" "" "$CONNECTIONS" "$DURATION")
  echo "nginx → fake upstream, $CONNECTIONS connections, $DURATION: req/s p50 p99 errors = $r"
  bench_result gateway - "nginx → fake upstream (baseline)" "${r%% *}" req/s - -
}

streams() {
  log "opening $STREAMS streams over $RAMP s, each held for $HOLD s"
  local samples="$WORK/samples.txt" i
  : >"$samples"
  # Samples every 2 s while the client runs (bounded: it stops after HOLD + 90 s at the latest).
  (
    for ((i = 0; i < (HOLD + 120) / 2; i++)); do
      echo "$(date +%s) heap=$(heap_used_mib) rss=$(rss_mib) threads=$(threads_now)" >>"$samples"
      sleep 2
    done
  ) &
  local sampler=$!
  PIDS+=("$sampler")
  # A thread dump halfway through shows whether the held streams sit on virtual threads.
  ( sleep $(( RAMP + (HOLD - RAMP) / 2 )); "$JAVA_HOME25/bin/jcmd" "$GH_PID" Thread.dump_to_file -format=text "$WORK/threads.txt" >/dev/null 2>&1 ) &
  PIDS+=($!)
  STREAM_RESULT=$("$JAVA" -Xmx512m -cp "$WORK/classes" StreamClient "$HTTP_PORT" "$USER_KEY" \
    ai.llm.holder@champion "$STREAMS" "$((HOLD + 60))" "$RAMP")
  kill "$sampler" 2>/dev/null || true
  cat "$samples" >&2
  PEAK_HEAP=$(grep -oE 'heap=[0-9]+' "$samples" | cut -d= -f2 | sort -n | tail -1)
  PEAK_RSS=$(grep -oE 'rss=[0-9]+' "$samples" | cut -d= -f2 | sort -n | tail -1)
  PEAK_THREADS=$(grep -oE 'threads=[0-9]+' "$samples" | cut -d= -f2 | sort -n | tail -1)
  # The GC log's largest heap occupancy before a collection catches peaks between two samples.
  GC_PEAK=$(grep -oE '[0-9]+M->[0-9]+M' "$WORK/gc-$HTTP_PORT.log" | cut -dM -f1 | sort -n | tail -1)
  VIRTUAL=$(grep -c 'virtual' "$WORK/threads.txt" 2>/dev/null || echo 0)
  HWM=$(hwm_mib)
}

machine() {
  echo "- CPU: $(nproc) × $(lscpu | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2; exit}') (load generator, proxies and server share these cores)"
  echo "- RAM: $(free -g | awk '/^Mem:/ {print $2}') GiB"
  echo "- Gatehouse JDK: $("$JAVA" -version 2>&1 | head -1); system JDK: $(java -version 2>&1 | head -1)"
  echo "- OS: $(. /etc/os-release && echo "$PRETTY_NAME"), $(uname -r)"
  echo "- $(nginx -v 2>&1), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
  echo "- load average before / after the run: $LOAD_BEFORE / $(cut -d' ' -f1-3 /proc/loadavg)"
}

report() {
  read -r d_rps d_p50 d_p99 d_err <<<"$R_DIRECT"
  read -r n_rps n_p50 n_p99 n_err <<<"$R_NGINX"
  read -r g_rps g_p50 g_p99 g_err <<<"$R_GATE"
  read -r _ ld_p50 ld_p99 ld_err <<<"$L_DIRECT"
  read -r _ ln_p50 ln_p99 ln_err <<<"$L_NGINX"
  read -r lg_rps lg_p50 lg_p99 lg_err <<<"$L_GATE"
  local ratio
  ratio=$(awk -v g="$g_rps" -v n="$n_rps" 'BEGIN {printf "%.3f", (n > 0 ? g / n : 0)}')
  added() { awk -v a="$(to_ms "$1")" -v b="$(to_ms "$2")" 'BEGIN {printf "%.2f ms", a - b}'; }
  echo "## Result ($(date -u +%Y-%m-%d))"
  echo
  machine
  echo
  echo "Command: \`RATE_LIMITS=$RATE_LIMITS bench/gateway/run.sh\` (DURATION=$DURATION, $CONNECTIONS connections, $THREADS wrk threads; unloaded: 1 connection, $LATENCY_DURATION)"
  echo
  echo "Each target was first loaded in ${WARMUP_SLICE:-10s} slices until its rate was steady (req/s per slice,"
  echo "the cold figures first): upstream $W_DIRECT; nginx $W_NGINX; Gatehouse $W_GATE."
  echo
  echo "| target | req/s ($CONNECTIONS conns) | p50 | p99 | errors | p50 (1 conn) | p99 (1 conn) | errors (1 conn) |"
  echo "|---|---|---|---|---|---|---|---|"
  echo "| (a) fake upstream directly | $d_rps | $d_p50 | $d_p99 | $d_err | $ld_p50 | $ld_p99 | $ld_err |"
  echo "| (b) nginx → upstream | $n_rps | $n_p50 | $n_p99 | $n_err | $ln_p50 | $ln_p99 | $ln_err |"
  echo "| (c) Gatehouse → upstream | $g_rps | $g_p50 | $g_p99 | $g_err | $lg_p50 | $lg_p99 | $lg_err |"
  echo
  echo "- Gatehouse / nginx throughput: **$ratio** (target ≥ 0.25)"
  echo "- added latency of Gatehouse vs direct, 1 connection: p50 **$(added "$lg_p50" "$ld_p50")**, p99 **$(added "$lg_p99" "$ld_p99")** (target p99 < 5 ms); at $CONNECTIONS connections: p50 $(added "$g_p50" "$d_p50"), p99 $(added "$g_p99" "$d_p99")"
  if [[ -n ${P_GATE:-} ]]; then
    echo
    echo "Paced: $PACE requests a second on one keep-alive connection for $PACE_SECONDS s ([\`LatencyClient\`](LatencyClient.java)), each timed from when it was due:"
    echo
    echo "| target | p50 | p99 | p99.9 | max | errors |"
    echo "|---|---|---|---|---|---|"
    local t line
    for t in "(a) fake upstream directly|$P_DIRECT" "(b) nginx → upstream|$P_NGINX" "(c) Gatehouse → upstream|$P_GATE"; do
      line=${t#*|}
      echo "| ${t%%|*} | $(field p50_ms "$line") ms | $(field p99_ms "$line") ms | $(field p999_ms "$line") ms | $(field max_ms "$line") ms | $(field errors "$line") |"
    done
    PACED_ADDED_P99=$(awk -v a="$(field p99_ms "$P_GATE")" -v b="$(field p99_ms "$P_DIRECT")" 'BEGIN {printf "%.2f", a - b}')
    echo
    echo "- added latency of Gatehouse vs direct at $PACE req/s: p50 **$(awk -v a="$(field p50_ms "$P_GATE")" -v b="$(field p50_ms "$P_DIRECT")" 'BEGIN {printf "%.2f", a - b}') ms**, p99 **$PACED_ADDED_P99 ms** (target p99 < 5 ms)"
  fi
  echo "- Gatehouse CPU per request in the saturated run: $GH_CPU_MS ms (user + system, from /proc)"
  echo "- Gatehouse after the throughput runs: RSS $AFTER_RSS MiB, heap used $AFTER_HEAP MiB (-Xmx$HEAP), $AFTER_THREADS platform threads"
  [[ -n "${H2_FILE_MIB:-}" ]] && echo "- H2 database file at the end of the run: $H2_FILE_MIB MiB (every call writes a usage record)"
  echo
  echo "Open streams ($STREAMS opened over $RAMP s, each held $HOLD s by the upstream, through Gatehouse with -Xmx$HEAP):"
  echo
  echo "- client: \`$(echo "$STREAM_RESULT" | head -1)\`"
  echo "$STREAM_RESULT" | tail -n +2 | sed 's/^/  - /'
  echo "- peak heap used: $PEAK_HEAP MiB sampled by jcmd GC.heap_info every 2 s; ${GC_PEAK:-?} MiB largest before a GC in the GC log"
  echo "- peak RSS sampled: $PEAK_RSS MiB (VmHWM over the whole run: $HWM MiB); platform threads at most $PEAK_THREADS"
  echo "- virtual threads in a thread dump halfway through the hold: $VIRTUAL"
  if [[ " $PHASES " == *" limits "* ]]; then
    echo
    echo "On: $LIMITS (rules: 2 rate-limit rules, 3 buckets per call; budget: a hard global budget, alerts at 50/80/100%). Off vs on, alternating, on $INSTANCES instance(s) on $DB ($CONNECTIONS connections in all, $DURATION each after $LIMITS_WARMUP of warm-up):"
    echo
    echo "| round | off: req/s | off: CPU ms/request | on: req/s | on: CPU ms/request |"
    echo "|---|---|---|---|---|"
    local row
    for row in "${LIMIT_ROWS[@]}"; do
      read -r i off_rps off_cpu on_rps on_cpu <<<"$row"
      echo "| $i | $off_rps | $off_cpu | $on_rps | $on_cpu |"
    done
    local cost cpu_extra
    cost=$(printf '%s\n' "${LIMIT_ROWS[@]}" | awk '{off += $2; on += $4} END {printf "%.1f", (off > 0 ? 100 * (1 - on / off) : 0)}')
    cpu_extra=$(printf '%s\n' "${LIMIT_ROWS[@]}" | awk '{off += $3; on += $5} END {printf "%.1f", (off > 0 ? 100 * (on / off - 1) : 0)}')
    local where="$DB" goal="< 15%" v what="limits and budgets"
    [[ $LIMITS == rules ]] && what="rate limits"
    [[ $LIMITS == budget ]] && what="a hard budget"
    echo
    echo "- throughput cost of $what: **$cost %** (1 - sum on / sum off; target on H2 < 15%); CPU per request +$cpu_extra %"
    v=$(verdict "$cost" '<' 15)
    (( INSTANCES > 1 )) && where="$DB, $INSTANCES instances"
    [[ $DB != h2 || $what != "limits and budgets" ]] && { goal=-; v=-; }   # the issue's target is on H2; PostgreSQL is measured beside it
    bench_result gateway "$where" "$what on vs off: throughput cost, $ROUNDS alternating rounds" "$cost" % "$goal" "$v"
    bench_result gateway "$where" "$what on vs off: extra CPU per request" "$cpu_extra" % - -
  fi
  # For bench/run-all (the server runs on its default database, H2).
  if [[ " $PHASES " == *" throughput "* ]]; then
    bench_result gateway h2 "fake upstream directly" "$d_rps" req/s - -
    bench_result gateway h2 "nginx → fake upstream" "$n_rps" req/s - -
    bench_result gateway h2 "Gatehouse /v1/chat/completions ($CONNECTIONS connections)" "$g_rps" req/s - -
    bench_result gateway h2 "Gatehouse / nginx throughput, same run" "$ratio" × ">= 0.25" "$(verdict "$ratio" '>=' 0.25)"
    local added_p99
    added_p99=$(awk -v a="$(to_ms "$lg_p99")" -v b="$(to_ms "$ld_p99")" 'BEGIN {printf "%.2f", a - b}')
    bench_result gateway h2 "added p99 vs upstream directly, 1 connection" "$added_p99" ms "< 5 ms" \
        "$(verdict "$added_p99" '<' 5)"
    bench_result gateway h2 "added p99 vs upstream directly, $PACE req/s paced" "$PACED_ADDED_P99" ms "< 5 ms" \
        "$(verdict "$PACED_ADDED_P99" '<' 5)"
  fi
  if [[ " $PHASES " == *" streams "* ]]; then
    local ok errors v=missed
    ok=$(grep -oE '^ok=[0-9]+' <<<"$STREAM_RESULT" | cut -d= -f2)
    errors=$(grep -oE 'errors=[0-9]+' <<<"$STREAM_RESULT" | head -1 | cut -d= -f2)
    [[ $ok == "$STREAMS" && $errors == 0 && ${PEAK_HEAP:-0} -lt 1024 ]] && v=met
    (( STREAMS < 5000 )) && v=quick
    bench_result gateway h2 "open streams completed of $STREAMS (opened over ${RAMP} s, held ${HOLD} s)" "${ok:--}" \
        streams "5000, 0 errors, heap < 1 GiB" "$v"
    bench_result gateway h2 "open streams: errors" "${errors:--}" - - -
    bench_result gateway h2 "open streams: peak heap used (sampled)" "$PEAK_HEAP" MiB - -
  fi
}

# limits (issue 8): the same calls with rate limits and a hard budget off and on, in ROUNDS alternating
# pairs on the one server (made and deleted through the API between runs), so that both sides share
# the machine's conditions; Gatehouse's CPU per request is read around each run.
LIMIT_PATHS=()
limits_on() {
  local a="$ADMIN_KEY" id
  id_of() { grep -oE '"id":"[^"]+"' | head -1 | cut -d'"' -f4; }
  if [[ " $LIMITS " == *" rules "* ]]; then
    id=$(api "$a" POST /api/1.0/gatehouse/rate-limits '{"scope_type":"principal","scope_name":"bench_caller","limits":[{"kind":"requests","per":"minute","limit":1000000000},{"kind":"tokens","per":"minute","limit":60000000000}]}' | id_of)
    LIMIT_PATHS+=("rate-limits/$id")
    id=$(api "$a" POST /api/1.0/gatehouse/rate-limits '{"scope_type":"global","limits":[{"kind":"requests","per":"day","limit":1000000000}]}' | id_of)
    LIMIT_PATHS+=("rate-limits/$id")
  fi
  if [[ " $LIMITS " == *" budget "* ]]; then
    id=$(api "$a" POST /api/1.0/gatehouse/budgets '{"scope_type":"global","amount_usd":"1000000000","period":"month","hard":true,"alert_thresholds":[50,80,100]}' | id_of)
    LIMIT_PATHS+=("budgets/$id")
  fi
  sleep 3   # rule and budget caches refresh within 1 and 2 s
}
limits_off() {
  local p
  for p in "${LIMIT_PATHS[@]}"; do api "$ADMIN_KEY" DELETE "/api/1.0/gatehouse/$p" "" >/dev/null; done
  LIMIT_PATHS=()
  sleep 3
}
# limit_run NAME: warm-up, then a measured run, the connections split over the instances; prints
# "requests/s cpu-ms-per-request" (requests/s and requests summed over the instances).
limit_run() {
  local before after gate i=0 per=$((CONNECTIONS / ${#GATES[@]})) waits=()
  for gate in "${GATES[@]}"; do
    KEY="$USER_KEY" MODEL="ai.llm.assistant@champion" wrk -t"$THREADS" -c"$per" -d"$LIMITS_WARMUP" \
      -s bench/gateway/chat.lua "$gate" >/dev/null &
    waits+=($!)
  done
  wait "${waits[@]}"
  waits=()
  before=$(cpu_ticks)
  for gate in "${GATES[@]}"; do
    run_wrk "$1-$i" "$gate" "$USER_KEY" "$per" "$DURATION" >/dev/null &
    waits+=($!)
    i=$((i + 1))
  done
  wait "${waits[@]}"
  after=$(cpu_ticks)
  cat "$WORK"/wrk-"$1"-*.txt | awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" '
    /^Requests\/sec/ {r += $2} /requests in/ {n += $1}
    END {printf "%d %.3f\n", r, n ? t * 1000 / hz / n : 0}'
}
limits() {
  [[ $RATE_LIMITS == 1 || -n "${BUDGET:-}" ]] && die "PHASES=limits makes its own rules and budget: unset RATE_LIMITS and BUDGET"
  local i off on
  LIMIT_ROWS=()
  # Both paths warmed before the first measured round, or its "off" side runs on a cold JIT. The "on"
  # side until its rate is steady, as every target of the throughput phase: after one fixed 30 s run
  # the JIT was still compiling the limits' paths (16 to 27% of the CPU samples, 65 to 125 s into the
  # load), and that CPU counted against the measured "on" runs.
  log "limits warm-up: on until steady, then off (not measured)"
  limits_on
  local gate
  for gate in "${GATES[@]}"; do
    log "limits warm-up, on, $gate: $(KEY="$USER_KEY" MODEL="ai.llm.assistant@champion" warm_up -t"$THREADS" \
      -c"$CONNECTIONS" -s bench/gateway/chat.lua "$gate") req/s per slice"
  done
  limit_run "limits-warm-on" >/dev/null
  limits_off
  limit_run "limits-warm-off" >/dev/null
  for ((i = 1; i <= ROUNDS; i++)); do
    log "limits round $i of $ROUNDS: off"
    off=$(limit_run "limits-off-$i")
    limits_on
    log "limits round $i of $ROUNDS: on (2 rate-limit rules, 3 buckets; a hard global budget with alerts)"
    on=$(limit_run "limits-on-$i")
    limits_off
    LIMIT_ROWS+=("$i $off $on")
  done
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
ensure_tools
build_jar
start_upstream
start_nginx
if [[ $PHASES == baseline ]]; then
  baseline
  exit 0
fi
if [[ $DB == postgres ]]; then
  have_pg || die "no PostgreSQL at $PG_BIN (set PG_BIN)"
  chmod 755 "$WORK"   # the cluster beneath runs as the postgres user
  start_pg "$WORK/pg"
  pg_createdb gatehouse
fi
(( INSTANCES == 1 )) || [[ $PHASES == limits && $DB == postgres ]] || die "INSTANCES > 1 needs DB=postgres and PHASES=limits"
start_gatehouse "$HTTP_PORT" "$ADMIN_PORT"
for ((n = 2; n <= INSTANCES; n++)); do start_gatehouse "$(free_port)" "$(free_port)"; done
grep -iE 'virtual|Started' "$WORK/gatehouse-$HTTP_PORT.log" | head -5 >&2 || true
setup
if [[ -n "${INSPECT:-}" ]]; then
  # For profiling by hand: everything stays up for INSPECT seconds, keys in $WORK/keys.
  echo "ADMIN_KEY=$ADMIN_KEY USER_KEY=$USER_KEY GH_PID=$GH_PID" >"$WORK/keys"
  log "up for $INSPECT s; keys in $WORK/keys"
  sleep "$INSPECT" & wait $!   # in the background, so that a signal is not held up by sleep
  exit 0
fi
R_DIRECT="- - - -"; R_NGINX=$R_DIRECT; R_GATE=$R_DIRECT; L_DIRECT=$R_DIRECT; L_NGINX=$R_DIRECT; L_GATE=$R_DIRECT
GH_CPU_MS=-; AFTER_RSS=-; AFTER_HEAP=-; AFTER_THREADS=-; STREAM_RESULT="(not run)"; W_DIRECT=-; W_NGINX=-; W_GATE=-
PEAK_HEAP=-; PEAK_RSS=-; PEAK_THREADS=-; GC_PEAK=-; VIRTUAL=-; HWM=-
[[ " $PHASES " == *" throughput "* ]] && throughput
[[ " $PHASES " == *" limits "* ]] && limits
[[ " $PHASES " == *" streams "* ]] && streams
# On H2 the database file's size shows whether its housekeeping keeps up (db/H2Housekeeping).
H2_FILE_MIB=$(du -m "$WORK/gatehouse-$HTTP_PORT/data/gatehouse.mv.db" 2>/dev/null | cut -f1)
report | tee "$WORK/report.md"

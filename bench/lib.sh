# Shared helpers for the bench/ scripts: build the jar, run the real server, run a throwaway
# PostgreSQL 15 from the system binaries. Source it; it expects ROOT (the repository) to be set.

BENCH_KEY=${BENCH_KEY:-ghk_bench-admin-key-0123456789abcdefghijklmnop}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# Rebuilds only when a source is newer than the jar: the benchmark must measure the code checked out.
build_jar() {
  if [[ ! -f $ROOT/target/gatehouse.jar ]] \
      || [[ -n $(find "$ROOT/src/main" "$ROOT/migrations" "$ROOT/openapi" "$ROOT/pom.xml" -newer "$ROOT/target/gatehouse.jar" -print -quit) ]]; then
    log "building target/gatehouse.jar"
    (cd "$ROOT" && mvn -B -q -o -DskipTests package) >/dev/null
  fi
}

# test_classpath: prints the class path of the benchmark mains (see bench_classpath).
test_classpath() {
  bench_classpath >&2
  echo "$CP"
}

# bench_classpath: the jar (build_jar), the test classes compiled and the test class path written, each
# only when a source is newer (a Maven run costs minutes on a loaded machine); sets CP for the in-JVM
# benchmark mains of src/test/java/dev/gatehouse/bench.
bench_classpath() {
  local cp_file=$ROOT/target/bench.classpath
  build_jar
  if [[ ! -f $cp_file ]] || [[ -n $(find "$ROOT/src/test" "$ROOT/src/main" "$ROOT/pom.xml" -newer "$cp_file" -print -quit) ]]; then
    log "compiling the benchmarks and writing their class path"
    (cd "$ROOT" && mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile="$cp_file" \
        -Dmdep.includeScope=test) >/dev/null
    touch "$cp_file"
  fi
  CP="$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$cp_file")"
}

# warm_up WRK_ARGS... (all but -d): load until the server runs at its steady rate, and print the
# rate of each warm-up slice ("r1 r2 ..."): the cold figures. The JIT compiles the request path (Jetty,
# Jersey, Jackson, the database driver) only while it runs, and on 2 cores shared with wrk and the
# database it gets little CPU: GET /catalogs/{name} on PostgreSQL under JDK 17 ran at 9,383 req/s after
# 10 s of load, 13,423 after 20 s and 24,907 after 40 s. The compiler threads get CPU only when the
# load leaves some, so progress comes in steps: an audited create on PostgreSQL ran 569, 1,015, 1,047
# in its first three slices, and 1,819 after two minutes. Slices of WARMUP_SLICE (10 s) therefore run
# for at least WARMUP_MIN_SLICES (6), then until two slices in a row are each no more than 5% faster
# than the one before (at most WARMUP_MAX_SLICES, 12). WARMUP_SLICE=15s WARMUP_MIN_SLICES=1
# WARMUP_MAX_SLICES=1 is a fixed 15 s warm-up.
warm_up() {
  local rates=() prev=0 steady=0 rate i
  for ((i = 1; i <= ${WARMUP_MAX_SLICES:-12}; i++)); do
    rate=$(wrk -d"${WARMUP_SLICE:-10s}" "$@" | awk '/^Requests\/sec/ {printf "%d", $2}')
    rates+=("${rate:-0}")
    if (( i >= 2 && ${rate:-0} * 100 <= prev * 105 )); then
      steady=$((steady + 1))
    else
      steady=0
    fi
    if (( i >= ${WARMUP_MIN_SLICES:-6} && steady >= 2 )); then
      break
    fi
    prev=${rate:-0}
  done
  echo "${rates[*]}"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# start_server DIR DB_URL AUDIT_ENABLED [JAVA_OPTS...]: the real jar (SERVER_JAR, default
# target/gatehouse.jar) in DIR (so ./data is new),
# on free ports; sets SERVER_PID, HTTP_PORT, ADMIN_PORT; waits until the API answers BENCH_KEY, or with
# SERVER_READY=health (a database seeded behind the server's back has no bootstrapped admin) until the
# admin port's health check passes.
start_server() {
  local dir=$1 url=$2 audit=$3
  shift 3
  HTTP_PORT=$(free_port)
  ADMIN_PORT=$(free_port)
  mkdir -p "$dir"
  (cd "$dir" && exec env GATEHOUSE_BOOTSTRAP_ADMIN_KEY="$BENCH_KEY" GATEHOUSE_DB_URL="$url" \
      GATEHOUSE_DB_USER="${BENCH_DB_USER:-gatehouse}" GATEHOUSE_AUDIT_ENABLED="$audit" \
      GATEHOUSE_HTTP_PORT="$HTTP_PORT" GATEHOUSE_ADMIN_PORT="$ADMIN_PORT" \
      java "$@" -jar "${SERVER_JAR:-$ROOT/target/gatehouse.jar}" server "$ROOT/config.yml" >"$dir/server.log" 2>&1) &
  SERVER_PID=$!
  local i
  for ((i = 0; i < 600; i++)); do
    if [[ ${SERVER_READY:-api} == health ]]; then
      curl -sf -o /dev/null "http://127.0.0.1:$ADMIN_PORT/healthcheck" && return 0
    elif curl -sf -o /dev/null -H "Authorization: Bearer $BENCH_KEY" \
        "http://127.0.0.1:$HTTP_PORT/api/2.1/unity-catalog/catalogs?max_results=1"; then
      return 0
    fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      log "server exited; its log:"; tail -40 "$dir/server.log" >&2; return 1
    fi
    sleep 0.5
  done
  log "server did not answer in 300 s"; tail -40 "$dir/server.log" >&2
  return 1
}

stop_server() {
  if [[ -n ${SERVER_PID:-} ]]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
  fi
}

# initdb refuses to run as root; the cluster then belongs to the 'postgres' user.
as_pg_user() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

have_pg() { [[ -x $PG_BIN/initdb && -x $PG_BIN/pg_ctl ]]; }

# start_pg DIR: a new cluster in DIR on a free loopback port (fsync and the rest at their defaults,
# as in production); sets PG_PORT and PG_DIR.
start_pg() {
  PG_DIR=$1
  PG_PORT=$(free_port)
  mkdir -p "$PG_DIR"
  [[ $(id -u) -eq 0 ]] && chown postgres "$PG_DIR"
  as_pg_user "$PG_BIN/initdb" -D "$PG_DIR/data" -U gatehouse --auth=trust -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1
  as_pg_user "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/pg.log" -w \
      -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$PG_DIR -c max_connections=200" start >/dev/null
}

pg_createdb() {
  as_pg_user "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U gatehouse "$1"
}

stop_pg() {
  if [[ -n ${PG_DIR:-} && -d $PG_DIR/data ]]; then
    as_pg_user "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
    PG_DIR=
  fi
}

machine() {
  printf 'nproc=%s cpu="%s" ram=%s load="%s" jdk="%s"\n' "$(nproc)" \
      "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" \
      "$(free -h | awk '/^Mem:/ {print $2}')" "$(cut -d' ' -f1-3 /proc/loadavg)" \
      "$(java -version 2>&1 | head -1)"
}

# bench_result BENCHMARK DATABASE FIGURE VALUE UNIT TARGET VERDICT: one machine-readable line (TSV) for
# bench/run-all, appended to the file named by BENCH_RESULTS when it is set; nothing otherwise, so the
# scripts print only their human-readable report when run alone. TARGET is as the issue states it
# (e.g. "< 1 ms", ">= 10000 req/s"), or "-" where the issue sets none; VERDICT is met, missed or "-".
bench_result() {
  [[ -n ${BENCH_RESULTS:-} ]] || return 0
  local f out=()
  for f in "$@"; do out+=("${f//$'\t'/ }"); done
  (IFS=$'\t'; printf '%s\n' "${out[*]}") >>"$BENCH_RESULTS"
}

# verdict VALUE OP LIMIT: "met" when VALUE OP LIMIT holds (OP one of < <= > >=), else "missed";
# "-" when VALUE is not a number (the figure was not measured).
verdict() {
  awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN {
    if (v !~ /^-?[0-9.]+([eE][-+]?[0-9]+)?$/) { print "-"; exit }
    v += 0; t += 0
    ok = (op == "<" && v < t) || (op == "<=" && v <= t) || (op == ">" && v > t) || (op == ">=" && v >= t)
    print ok ? "met" : "missed" }'
}

# bench_workdir PREFIX: sets WORK to a new temporary folder; on exit the server and the PostgreSQL
# cluster this script started are stopped and the folder is removed.
bench_workdir() {
  WORK=$(mktemp -d "/tmp/$1.XXXXXX")
  trap bench_cleanup EXIT
}

bench_cleanup() {
  stop_server
  stop_pg
  rm -rf "$WORK"
}

#!/usr/bin/env bash
# Crash safety (issue 9): load against the catalog and the gateway, the server killed with SIGKILL
# mid-load and restarted on the same database, then checks that every request that was
# acknowledged (2xx; a stream: its [DONE]) left its change, its audit event and its usage record,
# that the audit chain verifies, and that a hard global budget (small enough to run out mid-load)
# was never exceeded and kept no lease after the sweeper (lease timeout 5 s, sweep every 2 s here).
# On H2 (file) and PostgreSQL 15.
# Usage: bench/crash.sh   (env: DBS="h2 postgres" THREADS=8 SECONDS_TOTAL=40 KILL_AFTER=12 KILLS=2)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/bench/lib.sh"

DBS=${DBS:-h2 postgres}
THREADS=${THREADS:-8}
SECONDS_TOTAL=${SECONDS_TOTAL:-40}
KILL_AFTER=${KILL_AFTER:-12}
KILLS=${KILLS:-2}
MODEL=demo.llm.assistant
BUDGET_USD=${BUDGET_USD:-0.005}
JAVA_OPTS=(-Xmx1g -Ddw.budgets.sweepInterval=2s -Ddw.budgets.leaseTimeout=5s)

WORK=$(mktemp -d /tmp/gatehouse-crash.XXXXXX)
chmod 755 "$WORK" # the PostgreSQL cluster beneath runs as the postgres user
cleanup() {
  stop_server
  stop_pg
  rm -rf "$WORK"
}
trap cleanup EXIT

build_jar
(cd "$ROOT" && mvn -B -q -o test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/crash.classpath) >/dev/null
CP="$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$ROOT/target/crash.classpath")"

# crash_run DB URL: one load run with KILLS kills; prints the check's verdict line.
crash_run() {
  local db=$1 url=$2 dir="$WORK/$1" ack="$WORK/$1.ack" load_pid kills=0
  start_server "$dir" "$url" true "${JAVA_OPTS[@]}"
  echo "http://127.0.0.1:$HTTP_PORT" >"$WORK/url"
  curl -sf -X POST "http://127.0.0.1:$HTTP_PORT/api/1.0/gatehouse/budgets" -H "Authorization: Bearer $BENCH_KEY" \
      -H "Content-Type: application/json" \
      -d "{\"scope_type\":\"global\",\"amount_usd\":\"$BUDGET_USD\",\"period\":\"total\",\"hard\":true}" >/dev/null
  java -cp "$CP" dev.gatehouse.bench.CrashLoad "$WORK/url" "$BENCH_KEY" "$MODEL" "$ack" "$THREADS" "$SECONDS_TOTAL" \
      >"$WORK/$db.load" 2>&1 &
  load_pid=$!
  while ((kills < KILLS)); do
    sleep "$KILL_AFTER"
    log "$db: SIGKILL to the server ($(wc -l <"$ack") acknowledged so far)"
    kill -9 "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
    kills=$((kills + 1))
    start_server "$dir" "$url" true "${JAVA_OPTS[@]}"
    echo "http://127.0.0.1:$HTTP_PORT" >"$WORK/url"
    log "$db: restarted"
  done
  wait "$load_pid"
  sleep 12 # the sweeper gives back the leases of the killed instances (timeout 5 s, sweep every 2 s)
  stop_server
  log "$db: load: $(cat "$WORK/$db.load")"
  local jdbc=$url
  [[ $db == h2 ]] && jdbc="jdbc:h2:file:$dir/data/gatehouse;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE"
  java -cp "$CP" dev.gatehouse.bench.CrashCheck "$ack" "$jdbc" gatehouse "" | tail -20
  (cd "$dir" && GATEHOUSE_DB_URL="$url" java -jar "$ROOT/target/gatehouse.jar" audit verify "$ROOT/config.yml" 2>&1 \
      | grep -E '^(ok|BROKEN)' || echo "audit verify failed")
}

machine
for db in $DBS; do
  case $db in
    h2) crash_run h2 "jdbc:h2:file:./data/gatehouse" ;;
    postgres)
      if ! have_pg; then log "no PostgreSQL binaries under $PG_BIN: skipped"; continue; fi
      start_pg "$WORK/pg"
      pg_createdb crash
      crash_run postgres "jdbc:postgresql://127.0.0.1:$PG_PORT/crash"
      stop_pg ;;
  esac
done

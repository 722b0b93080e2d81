#!/usr/bin/env bash
# The audit log at 1,000,000 events, on H2 and on PostgreSQL 15 (a throwaway cluster, bench/lib.sh):
#  1. AuditQueryBench (src/test/java/dev/gatehouse/bench) seeds the events with real chained hashes and
#     times filtered first pages (AuditLog.page, newest first, 100 rows) for each kind of filter;
#  2. the real server (java -Xmx256m -jar target/gatehouse.jar) is then started over the same database
#     to time GET /api/1.0/gatehouse/audit/verify, filtered pages over HTTP, and a JSON-lines export of
#     every event while its heap is sampled from the admin port's /metrics.
# Usage: bench/audit-query.sh   (env: EVENTS=1000000 RUNS=60 WARMUP=15 HTTP_RUNS=50 DBS="h2 postgres"
#                                EXPLAIN=1 to print each filter's query plan, SERVER_HEAP=256m)
# Fewer EVENTS than 1,000,000 is not the issue's size: such figures are marked and not valid against the target.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/bench/lib.sh"

EVENTS=${EVENTS:-1000000}
RUNS=${RUNS:-60}
WARMUP=${WARMUP:-15}
HTTP_RUNS=${HTTP_RUNS:-50}
DBS=${DBS:-h2 postgres}
SERVER_HEAP=${SERVER_HEAP:-256m}

bench_workdir gatehouse-audit-query

bench_classpath
BENCH_ARGS=(--events "$EVENTS" --runs "$RUNS" --warmup "$WARMUP")
[[ -n ${EXPLAIN:-} ]] && BENCH_ARGS+=(--explain)

api() { curl -sS --fail -H "Authorization: Bearer $BENCH_KEY" "http://127.0.0.1:$HTTP_PORT$1"; }

# p50/p95 (nearest rank) of the numbers on stdin, in ms.
percentiles() {
  sort -n | awk '{ v[NR] = $1 } END {
    p50 = v[int(NR * 0.50 + 0.999)]; p95 = v[int(NR * 0.95 + 0.999)];
    printf "p50 %6.1f ms  p95 %6.1f ms  max %6.1f ms  (%d runs)", p50, p95, v[NR], NR }'
}

# HTTP figures against the server started over the seeded database.
server_phase() {
  local label=$1 out
  echo "## $label: real server, -Xmx$SERVER_HEAP"
  out=$(curl -sS --fail -o "$WORK/verify.json" -w '%{time_total}' -H "Authorization: Bearer $BENCH_KEY" \
      "http://127.0.0.1:$HTTP_PORT/api/1.0/gatehouse/audit/verify")
  printf 'verify: %.1f s  %s\n' "$out" "$(jq -c '{ok, events_checked, last_seq}' "$WORK/verify.json")"
  result "$label" "GET /audit/verify (whole chain)" "$(printf %.1f "$out")" s - -

  # One curl process per filter kind, reusing its connection: the figures are the server's, not fork's.
  local kind query i services=(catalog models access identity gateway lineage)
  for kind in actor service+status=4xx; do
    : >"$WORK/urls"
    for ((i = 0; i < HTTP_RUNS + 10; i++)); do
      if [[ $kind == actor ]]; then
        query="actor=user$(printf %04d $((RANDOM % 1000 / 10 * 10)))@example.com"
      else
        query="service=${services[RANDOM % 6]}&status=4xx"
      fi
      printf 'url = "http://127.0.0.1:%s/api/1.0/gatehouse/audit/events?%s&max_results=100"\noutput = "/dev/null"\n' \
          "$HTTP_PORT" "$query" >>"$WORK/urls"
    done
    curl -sS --fail -H "Authorization: Bearer $BENCH_KEY" -w '%{time_total}\n' --config "$WORK/urls" \
        | tail -n +11 | awk '{ print $1 * 1000 }' >"$WORK/times"
    printf 'GET /audit/events %-20s %s\n' "$kind" "$(percentiles <"$WORK/times")"
    p95=$(sort -n "$WORK/times" | awk '{ v[NR] = $1 } END { printf "%.1f", v[int(NR * 0.95 + 0.999)] }')
    result "$label" "GET /audit/events p95, $kind (HTTP, first page of 100)" "$p95" ms "< 100 ms" "$(verdict "$p95" '<' 100)"
  done

  # Heap sampled once a second while every event is exported; the server has only -Xmx$SERVER_HEAP.
  (while :; do
     curl -s "http://127.0.0.1:$ADMIN_PORT/metrics" \
       | jq -r '[.gauges["jvm.memory.heap.used"].value, .gauges["jvm.memory.heap.committed"].value] | @tsv'
     sleep 1
   done) >"$WORK/heap.tsv" 2>/dev/null &
  local sampler=$!
  local t0 t1 lines
  t0=$(date +%s.%N)
  lines=$(api "/api/1.0/gatehouse/audit/export?format=jsonl" | wc -l)
  t1=$(date +%s.%N)
  kill "$sampler"; wait "$sampler" 2>/dev/null || true
  awk -v n="$lines" -v a="$t0" -v b="$t1" 'BEGIN { printf "export jsonl: %d lines in %.1f s (%.0f events/s)\n", n, b - a, n / (b - a) }'
  result "$label" "export jsonl" "$(awk -v n="$lines" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / (b - a) }')" events/s - -
  result "$label" "heap used during export, max (limit $SERVER_HEAP)" \
      "$(awk '$1 > m { m = $1 } END { printf "%.0f", m / 1048576 }' "$WORK/heap.tsv")" MiB - -
  awk -v heap="$SERVER_HEAP" '{ used[NR] = $1 / 1048576; if ($1 > max) max = $1; if ($2 > cmax) cmax = $2 }
    END { printf "heap during export (%d samples): max used %.0f MiB, max committed %.0f MiB, limit %s;", NR, max / 1048576, cmax / 1048576, heap;
          printf " used by quarter:"; for (q = 1; q <= 4; q++) { m = 0; for (i = int((q - 1) * NR / 4) + 1; i <= int(q * NR / 4); i++) if (used[i] > m) m = used[i]; printf " %.0f", m }; printf " MiB\n" }' "$WORK/heap.tsv"
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "the server died during the export"; tail -20 "$SERVER_DIR/server.log"; return 1
  fi
  grep -i -m3 'OutOfMemoryError' "$SERVER_DIR/server.log" || true
}

# result DB FIGURE VALUE UNIT TARGET VERDICT: bench_result, with runs below the issue's size marked.
result() {
  local db=$1 figure=$2
  shift 2
  if ((EVENTS < 1000000)); then
    figure="$figure [$EVENTS events]"
    [[ $4 != - ]] && set -- "$1" "$2" "$3" "quick"
  fi
  bench_result audit-query "$db" "$figure" "$@"
}

# The in-process table of AuditQueryBench: "filter (28 chars) p50 p95 max rows cpu-p50 cpu-p95".
inprocess_results() {
  local db=$1 name p95
  awk '/^filter +p50 ms/ { on = 1; next } on && NF >= 7 { n = substr($0, 1, 28); sub(/ +$/, "", n); split(substr($0, 29), f, " "); print n "\t" f[2] }' \
    "$WORK/bench-$db.out" | while IFS=$'\t' read -r name p95; do
      result "$db" "page p95, $name (in-process, first page of 100)" "$p95" ms "< 100 ms" "$(verdict "$p95" '<' 100)"
    done
}

echo "# bench/audit-query.sh $(date -u +%FT%TZ) events=$EVENTS runs=$RUNS warmup=$WARMUP"
echo "# $(machine)"
for db in $DBS; do
  echo
  SERVER_DIR=$WORK/$db-server
  if [[ $db == h2 ]]; then
    # A file database (the server's default), so that the server can open it after the seeding JVM ends.
    java -cp "$CP" dev.gatehouse.bench.AuditQueryBench "${BENCH_ARGS[@]}" --url "jdbc:h2:file:$SERVER_DIR/data/gatehouse" \
        | tee "$WORK/bench-$db.out"
    start_server "$SERVER_DIR" "jdbc:h2:file:./data/gatehouse" true "-Xmx$SERVER_HEAP"
  elif [[ $db == postgres ]]; then
    if ! have_pg; then
      echo "postgres: skipped, no PostgreSQL 15 server binaries in $PG_BIN"
      continue
    fi
    # A throwaway cluster of the system's PostgreSQL 15 (bench/lib.sh), as audit.sh uses, in its own
    # folder: the postgres user cannot enter $WORK.
    start_pg "$(mktemp -d /tmp/gatehouse-audit-query-pg.XXXXXX)"
    pg_createdb audit
    echo "# $("$PG_BIN/postgres" --version), port $PG_PORT, default settings"
    url="jdbc:postgresql://127.0.0.1:$PG_PORT/audit"
    java -Dgatehouse.bench.db.user=gatehouse -cp "$CP" dev.gatehouse.bench.AuditQueryBench "${BENCH_ARGS[@]}" \
        --url "$url" | tee "$WORK/bench-$db.out"
    start_server "$SERVER_DIR" "$url" true "-Xmx$SERVER_HEAP"
  else
    echo "unknown database $db (h2 or postgres)" >&2; exit 1
  fi
  inprocess_results "$db"
  server_phase "$db"
  stop_server
  [[ $db == postgres ]] && stop_pg
done

#!/usr/bin/env bash
# The access-control benchmark of issue 4 (see bench/README-access.md): seeds 100,000 securables,
# 10,000 users, 1,000 nested groups and 1,000,000 grants, then, for each database:
#  1. AccessBenchmark (src/test/java/dev/gatehouse/bench) times permission checks and the visible-only
#     listing in-process, calling AccessControl directly: the uncached figures (the server's read
#     caches live only inside a running server);
#  2. the real server (java -jar target/gatehouse.jar) is started over the same database and
#     AccessHttpBench times GET /tables/{name} as random users with their own keys: each pair once
#     (check not yet cached) and again (check from the read cache), as a real caller sees it.
# H2 is a file database; PostgreSQL is a throwaway cluster of the system's PostgreSQL 15 (bench/lib.sh),
# default settings.
# Usage: bench/access.sh [h2|postgres]...   (default: both). Extra JVM flags for AccessBenchmark via
# BENCH_JAVA_OPTS, e.g. BENCH_JAVA_OPTS=-Dbench.small=true for a quick run of the same code on a small
# data set (not the issue's sizes: not valid against its targets), -Dbench.explain=true for query plans.
# H2_DATABASE=mem: on H2, the in-process part only, on an in-memory database (seeding the full data set
# into an H2 file took more than 10 minutes on a loaded 2-core machine; in memory it is much faster),
# and no HTTP part on H2 (a server cannot open another JVM's in-memory database).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/bench/lib.sh"

WORK=$(mktemp -d /tmp/gatehouse-access-bench.XXXXXX)
cleanup() {
  stop_server
  stop_pg
  rm -rf "$WORK"
}
trap cleanup EXIT

bench_classpath

# Figures of one database, from the RESULT lines of both mains, with the issue's targets.
emit() {
  local db=$1 figure value unit target v
  while IFS=$'\t' read -r _ figure value unit; do
    target=-; v=-
    case $figure in
      "check p99"*|"requireRead p99"*) target="< 1 ms"; v=$(verdict "$value" '<' 1) ;;
      "listing page p95"*"user sees half") target="< 100 ms"; v=$(verdict "$value" '<' 100) ;;
    esac
    [[ $BENCH_JAVA_OPTS == *bench.small=true* ]] && figure="$figure [small data set]"
    [[ $db == h2 && ${H2_DATABASE:-file} == mem ]] && figure="$figure [H2 in memory]"
    bench_result access "$db" "$figure" "$value" "$unit" "$target" "$v"
  done < <(grep -h '^RESULT' "$WORK/$db-inprocess.out" "$WORK/$db-http.out")
}

BENCH_JAVA_OPTS=${BENCH_JAVA_OPTS:-}
dbs=("$@")
if [ ${#dbs[@]} -eq 0 ]; then
  dbs=(h2 postgres)
fi
echo "# bench/access.sh $(date -u +%FT%TZ) ${BENCH_JAVA_OPTS}"
echo "# $(machine)"
for db in "${dbs[@]}"; do
  echo
  echo "== $db"
  case $db in
    h2)
      url="jdbc:h2:file:$WORK/h2-server/data/gatehouse"
      # The seeding JVM gets a 2 GB page cache (H2's default is 64 MB): with the default, inserting the
      # million grants into a file database spent minutes re-reading index pages from the file. The
      # server opens the same file with its configuration's URL, default cache.
      bench_url="$url;CACHE_SIZE=2097152"
      ;;
    postgres)
      if ! have_pg; then
        echo "postgres: skipped, no PostgreSQL 15 server binaries in $PG_BIN"
        continue
      fi
      # Its own folder: the postgres user cannot enter $WORK (mode 700, root's).
      start_pg "$(mktemp -d /tmp/gatehouse-access-pg.XXXXXX)"
      pg_createdb access
      echo "# $("$PG_BIN/postgres" --version), port $PG_PORT, default settings"
      url="jdbc:postgresql://127.0.0.1:$PG_PORT/access"
      bench_url=$url
      ;;
    *) echo "unknown database $db (h2 or postgres)" >&2; exit 1 ;;
  esac
  if [[ $db == h2 && ${H2_DATABASE:-file} == mem ]]; then
    # shellcheck disable=SC2086 # BENCH_JAVA_OPTS is a list of flags
    java -Xms4g -Xmx4g ${BENCH_JAVA_OPTS} -cp "$CP" dev.gatehouse.bench.AccessBenchmark | tee "$WORK/$db-inprocess.out"
    echo "## h2: no HTTP part (H2_DATABASE=mem: the data set lived in the benchmark's JVM)"
    : >"$WORK/$db-http.out"
    emit "$db"
    continue
  fi
  # shellcheck disable=SC2086 # BENCH_JAVA_OPTS is a list of flags
  java -Xms4g -Xmx4g -Dbench.url="$bench_url" -Dbench.user=gatehouse -Dbench.httpSample="$WORK/$db-sample.tsv" \
      ${BENCH_JAVA_OPTS} -cp "$CP" dev.gatehouse.bench.AccessBenchmark | tee "$WORK/$db-inprocess.out"
  # No admin key: the seeded database has principals, so the server bootstraps none; the keys are the users'.
  SERVER_READY=health start_server "$WORK/$db-server" "$url" true -Xmx1g
  echo "## $db: real server (-Xmx1g), one connection; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  java -cp "$CP" dev.gatehouse.bench.AccessHttpBench "http://127.0.0.1:$HTTP_PORT" "$WORK/$db-sample.tsv" \
      | tee "$WORK/$db-http.out"
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  stop_server
  [[ $db == postgres ]] && stop_pg
  emit "$db"
done

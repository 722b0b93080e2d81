#!/usr/bin/env bash
# Catalog-assets benchmark: lists 10,000 tables of one schema page by page (1,000 a page) and
# searches 100,000 securables, on H2 (file) and on PostgreSQL. Seeds through the services in-process
# (AssetsSeeder), then starts the server and times over HTTP (AssetsBench).
# Usage: bench/catalog-assets.sh [h2|postgres]...   (default: both)
# PostgreSQL: the server binaries of /usr/lib/postgresql/<n>/bin (or PG_BIN), initdb'd into a temp
# folder on a free port, with fsync off (the benchmark measures reads, not durability).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -eq 0 ]; then DBS=(h2 postgres); else DBS=("$@"); fi
KEY="ghk_bench-admin-key-0123456789abcdefghijklmnop"
TMP="$(mktemp -d /tmp/gatehouse-bench.XXXXXX)"
SERVER_PID=""
PG_DATA=""
PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  [ -n "$PG_DATA" ] && as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$TMP"
}
trap cleanup EXIT

echo "## Machine"
echo "- nproc: $(nproc); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "- RAM: $(free -g | awk '/Mem:/ {print $2}') GiB; JDK: $(java -version 2>&1 | head -1)"
echo "- commit: $(git rev-parse --short HEAD)"

mvn -B -o -q package -DskipTests >/dev/null
mvn -B -o -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$TMP/cp.txt" >/dev/null
CP="target/test-classes:target/classes:$(cat "$TMP/cp.txt")"

seed_and_start() { # url user password
  java -cp "$CP" dev.gatehouse.bench.AssetsSeeder "$1" "$2" "$3"
  local port admin
  port=$(free_port); admin=$(free_port)
  GATEHOUSE_DB_URL="$1" GATEHOUSE_DB_USER="$2" GATEHOUSE_DB_PASSWORD="$3" GATEHOUSE_HTTP_PORT=$port \
    GATEHOUSE_ADMIN_PORT=$admin GATEHOUSE_BOOTSTRAP_ADMIN_KEY="$KEY" \
    java -Xmx2g -jar target/gatehouse.jar server config.yml >"$TMP/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 120); do
    curl -fs "http://localhost:$admin/healthcheck" >/dev/null 2>&1 && break
    curl -s -o /dev/null "http://localhost:$port/" && break
    sleep 0.5
  done
  BASE="http://localhost:$port"
}

stop_server() {
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
}

for db in "${DBS[@]}"; do
  echo; echo "## $db"
  case "$db" in
    h2)
      seed_and_start "jdbc:h2:file:$TMP/h2/gatehouse" gatehouse "" ;;
    postgres)
      [ -x "$PG_BIN/initdb" ] || { echo "no PostgreSQL server binaries (set PG_BIN)"; exit 1; }
      PG_DATA="$TMP/pg"; mkdir -p "$PG_DATA"; chmod 700 "$PG_DATA"
      [ "$(id -u)" = 0 ] && chown postgres "$TMP" "$PG_DATA"
      PG_PORT=$(free_port)
      as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
      as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/log" -w \
        -o "-p $PG_PORT -k $PG_DATA -c fsync=off -c synchronous_commit=off -c shared_buffers=256MB" start >/dev/null
      "$PG_BIN/createdb" -h localhost -p "$PG_PORT" -U postgres gatehouse
      echo "- $("$PG_BIN/postgres" --version)"
      seed_and_start "jdbc:postgresql://localhost:$PG_PORT/gatehouse" postgres "" ;;
    *) echo "unknown database $db"; exit 1 ;;
  esac
  echo "- load average before timing: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "| what | n | p50 ms | p95 ms | max ms |"
  echo "| --- | --- | --- | --- | --- |"
  java -cp "$CP" dev.gatehouse.bench.AssetsBench "$BASE" "$KEY"
  echo "- load average after timing: $(cut -d' ' -f1-3 /proc/loadavg)"
  stop_server
  if [ "$db" = postgres ]; then as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast stop >/dev/null; PG_DATA=""; fi
done

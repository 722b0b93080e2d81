#!/usr/bin/env bash
# Catalog-assets benchmark: lists 10,000 tables of one schema page by page (1,000 a page) and
# searches 100,000 securables, on H2 (file) and on PostgreSQL. Seeds through the services in-process
# (AssetsSeeder), then starts the server and times over HTTP (AssetsBench).
# Usage: bench/catalog-assets.sh [h2|postgres]...   (default: both)
# ASSETS_PER_SCHEMA=N (default 1000) seeds 90 x N securables beside the 10,000-table schema instead of
# 90,000: a quick run of the harness, not the issue's size (its figures are marked and not judged).
# PostgreSQL: the server binaries of /usr/lib/postgresql/<n>/bin (or PG_BIN), initdb'd into a temp
# folder on a free port, with fsync off (the benchmark measures reads, not durability).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
source bench/lib.sh
if [ $# -eq 0 ]; then DBS=(h2 postgres); else DBS=("$@"); fi
KEY="ghk_bench-admin-key-0123456789abcdefghijklmnop"
TMP="$(mktemp -d /tmp/gatehouse-bench.XXXXXX)"
SERVER_PID=""
PG_DATA=""
PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
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

# The jar and the test classes, rebuilt only when a source is newer (bench/lib.sh).
bench_classpath

ASSETS_PER_SCHEMA=${ASSETS_PER_SCHEMA:-1000}
seed_and_start() { # url user password
  java -Dbench.assetsPerSchema="$ASSETS_PER_SCHEMA" -cp "$CP" dev.gatehouse.bench.AssetsSeeder "$1" "$2" "$3"
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
  java -cp "$CP" dev.gatehouse.bench.AssetsBench "$BASE" "$KEY" | tee "$TMP/$db.out"
  # For bench/run-all: each row's p95, with the issue's targets (a page < 50 ms, a search < 100 ms).
  while IFS='|' read -r _ what _ _ p95 _; do
    what=$(sed "s/^ *//; s/ *$//" <<<"$what"); p95=${p95// /}
    case $what in
      "list one 1,000-table page") target="< 50 ms"; v=$(verdict "$p95" '<' 50) ;;
      search*) target="< 100 ms"; v=$(verdict "$p95" '<' 100) ;;
      *) target=-; v=- ;;
    esac
    if ((ASSETS_PER_SCHEMA != 1000)); then
      what="$what [$((90 * ASSETS_PER_SCHEMA + 10000)) securables]"; [[ $v != - ]] && v=quick
    fi
    bench_result catalog-assets "$db" "$what, p95" "$p95" ms "$target" "$v"
  done < <(grep '^| [a-z]' "$TMP/$db.out")
  echo "- load average after timing: $(cut -d' ' -f1-3 /proc/loadavg)"
  stop_server
  if [ "$db" = postgres ]; then as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast stop >/dev/null; PG_DATA=""; fi
done

#!/usr/bin/env bash
# Catalog mutation throughput with the audit log on and off, on H2 and on PostgreSQL 15.
# Each run is a fresh real server (java -jar target/gatehouse.jar) over a fresh database, a wrk
# warm-up, then a measured wrk run of POST /api/2.1/unity-catalog/catalogs with a unique name per
# request. Only 200s count; other statuses and socket errors are printed beside them.
# Usage: bench/audit.sh            (env: DURATION=20s CONNECTIONS=32 THREADS=2 ROUNDS=3 DBS="h2 postgres")
# To compare builds under the same conditions, JARS="old.jar new.jar" measures each jar in every round.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/bench/lib.sh"

DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-3}
DBS=${DBS:-h2 postgres}
JAVA_OPTS=${JAVA_OPTS:--Xmx1g}
JARS=${JARS:-}
# Audited creates on PostgreSQL were still getting faster after 90 s of load (the JIT compiles with
# what CPU the load leaves it, and kept compiling for minutes): at least two minutes of warm-up.
export WARMUP_MIN_SLICES=${WARMUP_MIN_SLICES:-12}
export WARMUP_MAX_SLICES=${WARMUP_MAX_SLICES:-18}

WORK=$(mktemp -d /tmp/gatehouse-audit-bench.XXXXXX)
cleanup() {
  stop_server
  stop_pg
  rm -rf "$WORK"
}
trap cleanup EXIT

if ! command -v wrk >/dev/null; then
  log "installing wrk"
  apt-get install -y wrk >/dev/null
fi
if [[ -z $JARS ]]; then
  build_jar
  JARS=$ROOT/target/gatehouse.jar
fi

declare -A OK_SUM SEC_SUM RATIOS
LAST_ON=
RUN=0

# measure DB AUDIT JAR: one fresh server and database, warm-up, then the measured run.
measure() {
  local db=$1 audit=$2 jar=$3 url dir key
  key=$db-$audit-$(basename "$jar")
  RUN=$((RUN + 1))
  dir=$WORK/run$RUN-$db-audit-$audit
  if [[ $db == h2 ]]; then
    url=jdbc:h2:file:./data/gatehouse
  else
    pg_createdb "bench$RUN"
    url="jdbc:postgresql://127.0.0.1:$PG_PORT/bench$RUN"
  fi
  # shellcheck disable=SC2086
  SERVER_JAR=$jar start_server "$dir" "$url" "$audit" $JAVA_OPTS
  local target="http://127.0.0.1:$HTTP_PORT"
  local warmup
  warmup=$(warm_up -t"$THREADS" -c"$CONNECTIONS" --timeout 10s -s "$ROOT/bench/audit_create_catalog.lua" "$target" \
      -- "$BENCH_KEY" "w$RUN")
  local out line
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s --latency -s "$ROOT/bench/audit_create_catalog.lua" "$target" \
      -- "$BENCH_KEY" "m$RUN")
  line=$(grep '^RESULT' <<<"$out")
  stop_server
  local ok seconds
  ok=$(sed -E 's/.* ok=([0-9]+).*/\1/' <<<"$line")
  seconds=$(sed -E 's/.* seconds=([0-9.]+).*/\1/' <<<"$line")
  OK_SUM[$key]=$(( ${OK_SUM[$key]:-0} + ok ))
  SEC_SUM[$key]=$(awk -v a="${SEC_SUM[$key]:-0}" -v b="$seconds" 'BEGIN {print a + b}')
  # Each off run follows its on run: their ratio compares two minutes of the same machine.
  if [[ $audit == true ]]; then
    LAST_ON=$(awk -v o="$ok" -v s="$seconds" 'BEGIN { print o / s }')
  else
    RATIOS[$db-$(basename "$jar")]+="$(awk -v on="$LAST_ON" -v o="$ok" -v s="$seconds" 'BEGIN { printf "%.2f", on / (o / s) }') "
  fi
  printf '%-8s %-22s audit=%-5s round=%s %s load=%s warm-up=%s\n' "$db" "$(basename "$jar")" "$audit" "$round" \
      "${line#RESULT }" "$(cut -d' ' -f1 /proc/loadavg)" "${warmup// /,}"
}

echo "# bench/audit.sh $(date -u +%FT%TZ) duration=$DURATION warm-up=until-steady connections=$CONNECTIONS threads=$THREADS rounds=$ROUNDS"
echo "# $(machine)"
for db in $DBS; do
  if [[ $db == postgres ]]; then
    if ! have_pg; then
      echo "postgres: skipped, no PostgreSQL 15 server binaries in $PG_BIN"
      continue
    fi
    start_pg "$(mktemp -d /tmp/gatehouse-audit-pg.XXXXXX)"
    echo "# postgres: $("$PG_BIN/postgres" --version), port $PG_PORT, default settings (fsync on)"
  fi
  # On and off alternate so that a change in the machine's load hits both alike.
  for ((round = 1; round <= ROUNDS; round++)); do
    for jar in $JARS; do
      measure "$db" true "$jar"
      measure "$db" false "$jar"
    done
  done
  [[ $db == postgres ]] && stop_pg
done

echo
printf '%-8s %-22s %12s %12s %8s %11s   %s\n' db jar "on (ok/s)" "off (ok/s)" "on/off" "audit cost" \
    "on/off per round (median)"
for db in $DBS; do
  for jar in $JARS; do
    on=$db-true-$(basename "$jar")
    off=$db-false-$(basename "$jar")
    [[ -z ${OK_SUM[$on]:-} ]] && continue
    awk -v db="$db" -v jar="$(basename "$jar")" -v okon="${OK_SUM[$on]}" -v son="${SEC_SUM[$on]}" \
        -v okoff="${OK_SUM[$off]}" -v soff="${SEC_SUM[$off]}" -v ratios="${RATIOS[$db-$(basename "$jar")]}" 'BEGIN {
      on = okon / son; off = okoff / soff;
      n = split(ratios, r, " "); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (r[j] < r[i]) { t = r[i]; r[i] = r[j]; r[j] = t }
      median = n % 2 ? r[(n + 1) / 2] : (r[n / 2] + r[n / 2 + 1]) / 2;
      printf "%-8s %-22s %12.1f %12.1f %8.2f %10.1f%%   %s(%.2f)\n", db, jar, on, off, on / off, (1 - on / off) * 100, ratios, median }'
    # For bench/run-all: the rates and the cost of audit, from the totals (the median of the rounds'
    # ratios is printed above beside it).
    read -r rate_on rate_off cost < <(awk -v okon="${OK_SUM[$on]}" -v son="${SEC_SUM[$on]}" \
        -v okoff="${OK_SUM[$off]}" -v soff="${SEC_SUM[$off]}" \
        'BEGIN { on = okon / son; off = okoff / soff; printf "%.1f %.1f %.1f\n", on, off, (1 - on / off) * 100 }')
    suffix=
    [[ $(wc -w <<<"$JARS") -gt 1 ]] && suffix=" ($(basename "$jar"))"
    bench_result audit "$db" "POST /catalogs, audit on$suffix" "$rate_on" req/s - -
    bench_result audit "$db" "POST /catalogs, audit off$suffix" "$rate_off" req/s - -
    bench_result audit "$db" "audit cost (1 - on/off)$suffix" "$cost" % "< 25%" "$(verdict "$cost" '<' 25)"
  done
done

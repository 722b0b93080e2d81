#!/usr/bin/env bash
# What rate limits add to a gateway call (see bench/README.md): the guard's admit + settle, timed
# alone with no rule and with three buckets, on embedded H2 (buckets in memory) and embedded
# PostgreSQL (buckets in the database). Nothing to install.
# Usage: bench/rate-limits.sh [h2|postgres]...   (default: both). -Dbench.calls=N, -Dbench.threads=N
# via BENCH_JAVA_OPTS.
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B -q -o -DskipTests test-compile
cp_file=target/rate-limit-bench.classpath
mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null
classpath="target/test-classes:target/classes:$(cat "$cp_file")"

dbs=("$@")
if [ ${#dbs[@]} -eq 0 ]; then
  dbs=(h2 postgres)
fi
for db in "${dbs[@]}"; do
  echo "== $db"
  # shellcheck disable=SC2086 # BENCH_JAVA_OPTS is a list of flags
  java -Dgatehouse.test.db="$db" ${BENCH_JAVA_OPTS:-} -cp "$classpath" dev.gatehouse.bench.RateLimitBenchmark 2>&1 \
    | grep -vE 'INFO|DEBUG|WARN'
done

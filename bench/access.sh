#!/usr/bin/env bash
# The access-control benchmark of issue 4 (see bench/README-access.md): seeds 100,000 securables,
# 10,000 users, 1,000 nested groups and 1,000,000 grants, then times permission checks and a
# visible-only listing, once on embedded H2 and once on embedded PostgreSQL. Nothing to install.
# Usage: bench/access.sh [h2|postgres]...   (default: both). Extra JVM flags via BENCH_JAVA_OPTS,
# e.g. BENCH_JAVA_OPTS=-Dbench.small=true for a quick run of the same code on a small data set.
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B -q -o -DskipTests test-compile
cp_file=target/access-bench.classpath
mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null
classpath="target/test-classes:target/classes:$(cat "$cp_file")"

dbs=("$@")
if [ ${#dbs[@]} -eq 0 ]; then
  dbs=(h2 postgres)
fi
for db in "${dbs[@]}"; do
  echo "== $db"
  # shellcheck disable=SC2086 # BENCH_JAVA_OPTS is a list of flags
  java -Xms4g -Xmx4g -Dgatehouse.test.db="$db" ${BENCH_JAVA_OPTS:-} \
    -cp "$classpath" dev.gatehouse.bench.AccessBenchmark
done

#!/usr/bin/env bash
# The lineage benchmark of issue 6 (see bench/README-lineage.md): seeds a layered graph of 200,000
# nodes and 1,000,000 edges, then times upstream and downstream graph queries at depth 10, once on H2
# (a file) and once on embedded PostgreSQL. Nothing to install.
# Usage: bench/lineage.sh [h2|postgres]...   (default: both). Extra JVM flags via BENCH_JAVA_OPTS,
# e.g. BENCH_JAVA_OPTS="-Dbench.small=true" for a quick run of the same code on 20,000 nodes, or
# -Dbench.explain=true for the executed plan of one walk.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
# shellcheck source=bench/lib.sh
source bench/lib.sh
classpath=$(test_classpath)

dbs=("$@")
if [ ${#dbs[@]} -eq 0 ]; then
  dbs=(h2 postgres)
fi
echo "machine: $(machine) commit=$(git rev-parse --short HEAD)"
for db in "${dbs[@]}"; do
  echo "== $db"
  # shellcheck disable=SC2086 # BENCH_JAVA_OPTS is a list of flags
  java -Xms2g -Xmx2g -Dgatehouse.test.db="$db" ${BENCH_JAVA_OPTS:-} \
    -cp "$classpath" dev.gatehouse.bench.LineageBenchmark
done

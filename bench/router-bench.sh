#!/usr/bin/env bash
# Router benchmarks (prints figures):
#  1. routing decision latency p50/p99 per router, embedding of an unseen prompt included;
#  2. training time of sw / clf / best / mf on N synthetic votes (default 100,000) over real prompts;
#  3. the overhead router-service adds to an upstream call (local upstream, embedded PostgreSQL).
#   bench/router-bench.sh [votes] [overhead-calls]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VOTES="${1:-100000}"
CALLS="${2:-2000}"
DATA="$ROOT/../shared/data"
mvn -B -q -pl router-core install -DskipTests 1>&2
[ -f router-service/target/quarkus-app/quarkus-run.jar ] || mvn -B -q -pl router-service package -DskipTests 1>&2
[ -f cli/target/colosseum-cli.jar ] || mvn -B -q -pl cli package -DskipTests 1>&2
TMP="$(mktemp -d)"
mvn -B -q -pl router-core dependency:build-classpath -Dmdep.outputFile="$TMP/cp.txt" 1>&2
CP="router-core/target/classes:$(cat "$TMP/cp.txt")"

echo "== decision latency and training time"
java -Xmx6g -cp "$CP" dev.colosseum.router.core.bench.RouterBench "$DATA" "$VOTES"

echo
echo "== proxy overhead"
PORT=55499
java -cp cli/target/colosseum-cli.jar dev.colosseum.cli.Main db-serve --data "$TMP/pg" --port "$PORT" \
  --ready-file "$TMP/ready" > "$TMP/db.log" 2>&1 &
DB_PID=$!
trap 'kill "$DB_PID" 2>/dev/null || true; wait "$DB_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do [ -f "$TMP/ready" ] && break; sleep 0.5; done
[ -f "$TMP/ready" ] || { echo "embedded PostgreSQL did not start"; cat "$TMP/db.log"; exit 1; }
java -cp "$CP" dev.colosseum.router.core.bench.ProxyOverheadBench \
  router-service/target/quarkus-app/quarkus-run.jar \
  "postgresql://127.0.0.1:$PORT/colosseum" "jdbc:postgresql://127.0.0.1:$PORT/colosseum" "$CALLS"

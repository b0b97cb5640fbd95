#!/usr/bin/env bash
# Router benchmarks (print figures, each with the machine's load average):
#   latency  routing decision latency p50/p99 per router, embedding of a never-seen prompt included, the embedding
#            alone on 2 and 1 ONNX Runtime threads, and the benchmark prompts' length distribution  (~1-2 min)
#   train    training time of sw / clf / best / mf on N synthetic votes (default 100,000) over real prompts  (~3-5 min)
#   proxy    the overhead router-service adds to an upstream call (local upstream, embedded PostgreSQL,
#            router-service started with dev.colosseum.embedded.ServiceProcess)  (~1-2 min)
#   all      the three in turn
#
#   bench/router-bench.sh [latency|train|proxy|all] [votes] [overhead-calls] [latency-prompts]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
MODE="${1:-all}"
VOTES="${2:-100000}"
CALLS="${3:-2000}"
QUERIES="${4:-400}"
DATA="$ROOT/../shared/data"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
mvn -B -q -pl router-core install -DskipTests 1>&2
mvn -B -q -pl router-core dependency:build-classpath -Dmdep.outputFile="$TMP/cp.txt" 1>&2
CP="router-core/target/classes:$(cat "$TMP/cp.txt")"

case "$MODE" in
  latency|train|all) ;;
  proxy) ;;
  *) echo "usage: bench/router-bench.sh [latency|train|proxy|all] [votes] [overhead-calls] [latency-prompts]" >&2; exit 2 ;;
esac

if [ "$MODE" = latency ] || [ "$MODE" = train ] || [ "$MODE" = all ]; then
  echo "== router-core: $( [ "$MODE" = all ] && echo "decision latency and training time" || echo "$MODE")"
  java -Xmx6g -cp "$CP" dev.colosseum.router.core.bench.RouterBench "$DATA" "$VOTES" "$QUERIES" \
    "$( [ "$MODE" = all ] && echo all || echo "$MODE")"
fi

if [ "$MODE" = proxy ] || [ "$MODE" = all ]; then
  echo
  echo "== proxy overhead"
  [ -d embedded-db/target/classes/dev ] || mvn -B -q -pl embedded-db install -DskipTests 1>&2
  [ -f router-service/target/quarkus-app/quarkus-run.jar ] || mvn -B -q -pl router-service package -DskipTests 1>&2
  mvn -B -q -pl embedded-db dependency:build-classpath -Dmdep.outputFile="$TMP/db-cp.txt" 1>&2
  DB_CP="embedded-db/target/classes:$(cat "$TMP/db-cp.txt")"
  # compiled on its own against embedded-db, so the bench module's other dependencies need not be built
  javac -d "$TMP/classes" -cp "$DB_CP" bench/src/main/java/dev/colosseum/bench/router/*.java
  java -cp "$TMP/classes:$DB_CP" dev.colosseum.bench.router.ProxyOverheadBench \
    router-service/target/quarkus-app/quarkus-run.jar "$CALLS"
fi

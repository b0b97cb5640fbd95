#!/usr/bin/env bash
# Durable vote ingest benchmark: embedded PostgreSQL + the built vote-service jar on loopback.
# Prints the raw single-row INSERT rate, ingest throughput, p50/p99 latency, their ratio, CPU per request of
# vote-service / PostgreSQL / load client, votes per commit, the machine load average and an exact count check.
#   bench/vote-ingest.sh [--seconds 60] [--clients 16] [--raw-seconds 15] [--max-votes 2000000]
#                        [--daily-cap N] [--jfr service.jfr] [--service-opts "-Dcolosseum.vote.ingest.writers=4"]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
MAIN=dev.colosseum.bench.vote.VoteIngestBench
mvn -B -q -pl arena-stats,embedded-db install -DskipTests 1>&2
mvn -B -q -pl vote-service package -DskipTests 1>&2
if mvn -B -q -pl bench package -DskipTests 1>&2; then
  CP="bench/target/colosseum-bench.jar"
else
  # the bench module may depend on modules that are not built yet: compile just this bench
  echo "[vote-ingest.sh] bench module did not build; compiling the vote bench against embedded-db alone" >&2
  OUT="$(mktemp -d)"
  mvn -B -q -pl embedded-db dependency:build-classpath -Dmdep.outputFile="$OUT/cp.txt" 1>&2
  DEPS="embedded-db/target/classes:$(cat "$OUT/cp.txt")"
  javac -d "$OUT/classes" -cp "$DEPS" bench/src/main/java/dev/colosseum/bench/vote/*.java
  CP="$OUT/classes:$DEPS"
fi
exec java -Xmx1g -cp "$CP" "$MAIN" "$@"

#!/usr/bin/env bash
# Time for a vote to appear in the overall leaderboard (p50/p99), with real processes on loopback:
# embedded PostgreSQL, vote-service and ranking-service jars (default follower settings).
#   bench/ranking-latency.sh [votes=1000] [warmup=200]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
mvn -B -q -pl arena-stats,embedded-db install -DskipTests 1>&2
mvn -B -q -pl vote-service package -DskipTests 1>&2
mvn -B -q -pl ranking-service install -DskipTests 1>&2
mvn -B -q -pl bench package -DskipTests 1>&2
exec java -Xmx512m -cp bench/target/colosseum-bench.jar dev.colosseum.bench.ranking.VoteLatencyBench "$@"

#!/usr/bin/env bash
# ranking-service's live path at scale: 1M stored votes over 100 models, refit latency after one new vote
# (leaderboard with sandwich CIs and online Elo, warm start) and heap held per 1M votes.
#   bench/ranking-refit.sh [votes=1000000] [models=100] [refits=20] [styleRefits=5]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
mvn -B -q -pl arena-stats,ranking-service install -DskipTests 1>&2
mvn -B -q -pl bench package -DskipTests 1>&2
exec java -Xmx2g -cp bench/target/colosseum-bench.jar dev.colosseum.bench.ranking.RefitBench "$@"

#!/usr/bin/env bash
# Matchmaking simulation with a known truth: uniform vs FastChat weights vs active sampling, the same
# simulated voters; prints the votes each needs until the mean 95% CI half-width <= target Elo.
#   bench/ranking-sim.sh [models=20] [target=20] [batch=200] [repetitions=5] [spread=2.0] [seed=1] [ties=data]
#     [policies=uniform,fastchat,active-eq9,active,active-ties]
#   ties: none | constant[:c] | davidson[:nu] | rao-kupper[:kappa] | data (Rao-Kupper fitted on the real votes)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
mvn -B -q -pl arena-stats,ranking-service install -DskipTests 1>&2
mvn -B -q -pl bench package -DskipTests 1>&2
exec java -Xmx1g -cp bench/target/colosseum-bench.jar dev.colosseum.bench.ranking.SamplingSimulation "$@"

#!/usr/bin/env bash
# Tie rate against the rating gap on the real arena votes: constant, Davidson, Rao-Kupper and a
# logistic-in-|gap| tie model fitted by maximum likelihood; observed vs fitted tie rate per |gap| bin.
#   bench/ranking-ties.sh [vote files...]   (default: the two real files in ../shared/data/arena)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
mvn -B -q -pl arena-stats,ranking-service install -DskipTests 1>&2
mvn -B -q -pl bench package -DskipTests 1>&2
exec java -Xmx1g -cp bench/target/colosseum-bench.jar dev.colosseum.bench.ranking.TieAnalysis "$@"

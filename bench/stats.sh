#!/usr/bin/env bash
# Statistics benchmark: 1,000,000 synthetic votes over 100 models (load, BT + sandwich, bootstrap,
# style control, style bootstrap, peak heap). Runs with a 1 GB heap cap to show it fits.
#   bench/stats.sh [votes] [models] [rounds] [repeat]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
mvn -B -q -pl arena-stats install -DskipTests 1>&2
mvn -B -q -pl bench package -DskipTests 1>&2
exec java -Xmx1g ${STATS_BENCH_JAVA_OPTS:-} -cp bench/target/colosseum-bench.jar dev.colosseum.bench.stats.StatsBench "$@"

#!/usr/bin/env bash
# Statistics benchmark: 1,000,000 synthetic votes over 100 models (load, BT + sandwich, bootstrap,
# style control, style bootstrap, peak heap). Runs with a 1 GB heap cap to show it fits.
#   bench/stats.sh [votes] [models] [rounds] [repeat]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
MAIN=dev.colosseum.bench.stats.StatsBench
mvn -B -q -pl arena-stats install -DskipTests 1>&2
if mvn -B -q -pl bench package -DskipTests 1>&2; then
  CP="bench/target/colosseum-bench.jar"
else
  # the bench module may depend on modules that are not built yet: compile just the stats bench
  echo "[stats.sh] bench module did not build; compiling the stats bench against arena-stats alone" >&2
  OUT="$(mktemp -d)"
  mvn -B -q -pl arena-stats dependency:build-classpath -Dmdep.outputFile="$OUT/cp.txt" 1>&2
  DEPS="arena-stats/target/classes:$(cat "$OUT/cp.txt")"
  javac -d "$OUT/classes" -cp "$DEPS" bench/src/main/java/dev/colosseum/bench/stats/*.java
  CP="$OUT/classes:$DEPS"
fi
exec java -Xmx1g ${STATS_BENCH_JAVA_OPTS:-} -cp "$CP" "$MAIN" "$@"

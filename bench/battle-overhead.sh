#!/usr/bin/env bash
# Streaming overhead of battle-service over calling the simulated provider directly (p50/p99 time-to-first-token
# and per-token lateness at 1, 50 and 200 concurrent battles) and heap per open battle. Prints figures.
#   bench/battle-overhead.sh [--levels 1,50,200] [--rounds 2] [--open-battles 2000]
#                            [--tokens-per-second 50] [--ttft-ms 100] [--mean-tokens 80]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [ ! -f battle-service/target/quarkus-app/quarkus-run.jar ] || [ ! -f bench/target/colosseum-bench.jar ]; then
  mvn -B -q install -DskipTests -pl battle-service,bench -am
fi
exec java -Xmx1g -cp bench/target/colosseum-bench.jar dev.colosseum.bench.battle.StreamingOverheadBench "$@"

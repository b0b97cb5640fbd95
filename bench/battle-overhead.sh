#!/usr/bin/env bash
# Streaming overhead of battle-service over calling the simulated provider directly: p50/p99 time-to-first-token,
# per-token gap and absolute token lateness at 1, 50 and 200 concurrent battles, for three paths fed the same plans
# (direct in-process replay, a minimal loopback SSE server read by the same client = the client's own cost, and
# battle-service started from its built jar through ServiceProcess); battle-service's and the client's CPU time per
# token (from /proc, independent of machine load); heap per open battle. The load average is printed with each level.
# The service first gets a warm-up (4,000 starts, 260 streamed battles) and the bench waits for the JIT compilers to
# go quiet: the figures are a running service's, the first cold battle is printed on its own.
# The service runs with the launcher's JVM options for it (-Xmx768m -XX:+UseZGC) unless --service-jvm says otherwise.
# About 5 minutes with the defaults.
#   bench/battle-overhead.sh [--levels 1,50,200] [--rounds 6] [--open-battles 1000] [--jar PATH]
#                            [--tokens-per-second 50] [--ttft-ms 100] [--mean-tokens 80] [--service-jvm "OPTIONS"]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [ ! -f battle-service/target/quarkus-app/quarkus-run.jar ] || [ ! -f bench/target/colosseum-bench.jar ]; then
  mvn -B -q install -DskipTests -pl battle-service,bench -am
fi
# the client runs ZGC too: its own collection pauses would show up as late tokens on every path
exec java -Xmx1g -XX:+UseZGC -cp bench/target/colosseum-bench.jar dev.colosseum.bench.battle.StreamingOverheadBench "$@"

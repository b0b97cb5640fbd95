package dev.colosseum.vote;

import java.util.Map;

/** Result (or progress) of an import. */
public record ImportSummary(String source, String state, long read, long stored, long skipped,
                            Map<String, Long> skippedReasons, int historicalModelsRegistered) {
}

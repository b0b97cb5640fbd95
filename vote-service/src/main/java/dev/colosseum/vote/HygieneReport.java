package dev.colosseum.vote;

/** What one hygiene pass decided. */
public record HygieneReport(long votesScanned, long votersTested, long anomalousVoters, long votesExcludedAnomalous,
                            long distinctPrompts, long promptCap, long votesExcludedDuplicate) {
}

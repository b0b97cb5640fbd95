package dev.colosseum.vote;

/** What one hygiene pass decided; {@code votesLifted} counts rules a pass took back from votes. */
public record HygieneReport(long votesScanned, long votersTested, long anomalousVoters, long votesExcludedAnomalous,
                            long distinctPrompts, long promptCap, long votesExcludedDuplicate, long votesLifted) {
}

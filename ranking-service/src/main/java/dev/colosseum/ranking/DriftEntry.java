package dev.colosseum.ranking;

/**
 * Drift of one model: its rating fitted on the recent window and on the earlier votes, opponents' ratings
 * held at their full-data values; {@code z = (recent − before) / sqrt(V_recent + V_before)}.
 */
public record DriftEntry(String model, double ratingBefore, double ratingRecent, double delta, double z,
                         long votesBefore, long votesRecent, boolean significant) {
}

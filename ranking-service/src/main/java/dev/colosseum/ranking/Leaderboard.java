package dev.colosseum.ranking;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A leaderboard of one category under one set of controls. */
public record Leaderboard(
        String category,
        boolean styleControl,
        List<String> covariates,
        String ci,
        List<LeaderboardEntry> models,
        Map<String, Coefficient> styleCoefficients,
        long nVotes,
        Long nVotesCovariates,
        Instant updatedAt,
        Instant computedAt) {
}

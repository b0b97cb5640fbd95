package dev.colosseum.ranking.service;

import java.util.List;

/**
 * A validated leaderboard request.
 *
 * @param category   store key of the category
 * @param covariates covariates controlled for (the four style features when style control is on, plus extras)
 * @param minVotes   models with this many votes or fewer are hidden
 */
public record LeaderboardQuery(String category, boolean styleControl, List<String> covariates, CiMethod ci, int rounds,
                               long seed, String anchorModel, Double anchorRating, boolean includeDeprecated,
                               boolean includePrivate, int minVotes) {
    public boolean controlled() {
        return !covariates.isEmpty();
    }
}

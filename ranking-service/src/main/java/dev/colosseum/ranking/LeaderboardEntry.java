package dev.colosseum.ranking;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One row of a leaderboard. Ratings are on the Elo scale (1000 + θ·400/ln10). */
@Schema(description = "A model's rating with its confidence interval and rank (UB rule over the shown models)")
public record LeaderboardEntry(
        String model,
        double rating,
        double ciLow,
        double ciHigh,
        @Schema(description = "1 + number of shown models whose lower bound exceeds this model's upper bound; "
                + "without style control the plain BT rank, with style control the rank of the plain BT fit")
        int rank,
        @Schema(description = "present with style_control=true: the rank under style (covariate) control, "
                + "by which the rows are sorted") Integer rankStyleControl,
        @Schema(description = "counted votes of this model in the category") long votes,
        @Schema(description = "legacy online Elo (K=4, time order) over the same votes") double eloOnline,
        String organization,
        String license,
        Boolean deprecated,
        String visibility) {
}

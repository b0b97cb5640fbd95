package dev.colosseum.stats;

import java.util.List;
import java.util.Map;

/**
 * Options of {@link Ranker#rank}. Start from {@link #defaults()} and use the withers.
 *
 * @param ci                 interval method
 * @param rounds             bootstrap rounds
 * @param seed               bootstrap seed
 * @param threads            bootstrap worker threads
 * @param styleControl       fit the contextual model with {@code covariates}
 * @param covariates         style covariates (default: the four standard ones)
 * @param stylePenalty       penalty convention for style control (default arena-rank's)
 * @param anchorModel        model whose rating is fixed (null for none)
 * @param anchorRating       its rating
 * @param excludeTies        drop tie votes before fitting
 * @param minBattles         hide models with fewer battles (ranks recomputed without them)
 * @param level              confidence level (0.95)
 * @param bonferroni         number of simultaneous tests k: the level becomes 1 - alpha/k
 * @param inversePropensity  weight votes by 1 / max(n_pair, 50)
 * @param warmStart          previous strengths (log-odds) by model name, to speed refits; may be null
 */
public record RankOptions(
        CiMethod ci,
        int rounds,
        long seed,
        int threads,
        boolean styleControl,
        List<PairTable.Covariate> covariates,
        BradleyTerry.Penalty stylePenalty,
        String anchorModel,
        double anchorRating,
        boolean excludeTies,
        int minBattles,
        double level,
        int bonferroni,
        boolean inversePropensity,
        Map<String, Double> warmStart) {

    /** Interval methods. */
    public enum CiMethod { SANDWICH, BOOTSTRAP, SIMULTANEOUS, NONE }

    public static RankOptions defaults() {
        return new RankOptions(CiMethod.SANDWICH, 100, 42L, Bootstrap.defaultThreads(), false,
                PairTable.standardCovariates(), BradleyTerry.Penalty.ARENA_RANK, null, 0.0, false, 0, 0.95, 1,
                false, null);
    }

    public RankOptions withCi(CiMethod v) {
        return new RankOptions(v, rounds, seed, threads, styleControl, covariates, stylePenalty, anchorModel,
                anchorRating, excludeTies, minBattles, level, bonferroni, inversePropensity, warmStart);
    }

    public RankOptions withRounds(int v) {
        return new RankOptions(ci, v, seed, threads, styleControl, covariates, stylePenalty, anchorModel,
                anchorRating, excludeTies, minBattles, level, bonferroni, inversePropensity, warmStart);
    }

    public RankOptions withSeed(long v) {
        return new RankOptions(ci, rounds, v, threads, styleControl, covariates, stylePenalty, anchorModel,
                anchorRating, excludeTies, minBattles, level, bonferroni, inversePropensity, warmStart);
    }

    public RankOptions withThreads(int v) {
        return new RankOptions(ci, rounds, seed, v, styleControl, covariates, stylePenalty, anchorModel,
                anchorRating, excludeTies, minBattles, level, bonferroni, inversePropensity, warmStart);
    }

    public RankOptions withStyleControl(boolean v) {
        return new RankOptions(ci, rounds, seed, threads, v, covariates, stylePenalty, anchorModel,
                anchorRating, excludeTies, minBattles, level, bonferroni, inversePropensity, warmStart);
    }

    public RankOptions withCovariates(List<PairTable.Covariate> v) {
        return new RankOptions(ci, rounds, seed, threads, styleControl, v, stylePenalty, anchorModel,
                anchorRating, excludeTies, minBattles, level, bonferroni, inversePropensity, warmStart);
    }

    public RankOptions withStylePenalty(BradleyTerry.Penalty v) {
        return new RankOptions(ci, rounds, seed, threads, styleControl, covariates, v, anchorModel,
                anchorRating, excludeTies, minBattles, level, bonferroni, inversePropensity, warmStart);
    }

    public RankOptions withAnchor(String model, double rating) {
        return new RankOptions(ci, rounds, seed, threads, styleControl, covariates, stylePenalty, model,
                rating, excludeTies, minBattles, level, bonferroni, inversePropensity, warmStart);
    }

    public RankOptions withExcludeTies(boolean v) {
        return new RankOptions(ci, rounds, seed, threads, styleControl, covariates, stylePenalty, anchorModel,
                anchorRating, v, minBattles, level, bonferroni, inversePropensity, warmStart);
    }

    public RankOptions withMinBattles(int v) {
        return new RankOptions(ci, rounds, seed, threads, styleControl, covariates, stylePenalty, anchorModel,
                anchorRating, excludeTies, v, level, bonferroni, inversePropensity, warmStart);
    }

    public RankOptions withLevel(double v) {
        return new RankOptions(ci, rounds, seed, threads, styleControl, covariates, stylePenalty, anchorModel,
                anchorRating, excludeTies, minBattles, v, bonferroni, inversePropensity, warmStart);
    }

    public RankOptions withBonferroni(int k) {
        return new RankOptions(ci, rounds, seed, threads, styleControl, covariates, stylePenalty, anchorModel,
                anchorRating, excludeTies, minBattles, level, k, inversePropensity, warmStart);
    }

    public RankOptions withInversePropensity(boolean v) {
        return new RankOptions(ci, rounds, seed, threads, styleControl, covariates, stylePenalty, anchorModel,
                anchorRating, excludeTies, minBattles, level, bonferroni, v, warmStart);
    }

    public RankOptions withWarmStart(Map<String, Double> v) {
        return new RankOptions(ci, rounds, seed, threads, styleControl, covariates, stylePenalty, anchorModel,
                anchorRating, excludeTies, minBattles, level, bonferroni, inversePropensity, v);
    }
}

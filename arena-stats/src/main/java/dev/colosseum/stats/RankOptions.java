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
 * @param solver             optimiser of the plain-BT point fit (default {@link Solver#NEWTON})
 * @param anchorCi           how an anchor moves the intervals (default {@link AnchorCi#RELATIVE})
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
        Map<String, Double> warmStart,
        Solver solver,
        AnchorCi anchorCi) {

    /** Interval methods. */
    public enum CiMethod { SANDWICH, BOOTSTRAP, SIMULTANEOUS, NONE }

    /**
     * Optimiser of the point fit of plain BT.
     *
     * <ul>
     *   <li>{@link #NEWTON}: Newton's method to the exact maximum-likelihood estimate (default).</li>
     *   <li>{@link #FASTCHAT_LBFGS}: replays FastChat's own L-BFGS path and stopping rule
     *       ({@link BradleyTerry.Optimizer#FASTCHAT_LBFGS}) for number-for-number parity with its
     *       published leaderboards; it stops slightly short of the optimum (up to ~0.5 Elo on models
     *       with few votes). It starts from zero like FastChat, so {@code warmStart} is ignored.</li>
     * </ul>
     * Style control is always fitted with Newton (FastChat's L-BFGS path covers plain BT only), and
     * bootstrap replicates are always Newton refits, see {@link Ranker#rank}.
     */
    public enum Solver { NEWTON, FASTCHAT_LBFGS }

    /**
     * How an anchor ({@link #withAnchor}) affects the sandwich, simultaneous and bootstrap intervals.
     *
     * <ul>
     *   <li>{@link #RELATIVE} (default): intervals of theta_i - theta_anchor (sandwich variance
     *       V_ii + V_aa - 2 V_ia; bootstrap replicates re-anchored, as FastChat's bootstrap does), so
     *       the anchor's own interval is the single point of its rating.</li>
     *   <li>{@link #SHIFTED}: the unanchored intervals moved by the same constant as the ratings
     *       (sandwich variance V_ii of the sum-zero fit), as arena-rank's sandwich intervals are
     *       restated on FastChat's anchored scale ({@code bt_sandwich_arena_rank_restated}).</li>
     * </ul>
     */
    public enum AnchorCi { RELATIVE, SHIFTED }

    public RankOptions {
        solver = solver == null ? Solver.NEWTON : solver;
        anchorCi = anchorCi == null ? AnchorCi.RELATIVE : anchorCi;
    }

    /** The options without solver and anchor-interval choice (Newton, relative anchor intervals). */
    public RankOptions(CiMethod ci, int rounds, long seed, int threads, boolean styleControl,
                       List<PairTable.Covariate> covariates, BradleyTerry.Penalty stylePenalty, String anchorModel,
                       double anchorRating, boolean excludeTies, int minBattles, double level, int bonferroni,
                       boolean inversePropensity, Map<String, Double> warmStart) {
        this(ci, rounds, seed, threads, styleControl, covariates, stylePenalty, anchorModel, anchorRating,
                excludeTies, minBattles, level, bonferroni, inversePropensity, warmStart, Solver.NEWTON,
                AnchorCi.RELATIVE);
    }

    public static RankOptions defaults() {
        return new RankOptions(CiMethod.SANDWICH, 100, 42L, Bootstrap.defaultThreads(), false,
                PairTable.standardCovariates(), BradleyTerry.Penalty.ARENA_RANK, null, 0.0, false, 0, 0.95, 1,
                false, null, Solver.NEWTON, AnchorCi.RELATIVE);
    }

    public RankOptions withCi(CiMethod v) {
        return new RankOptions(v, rounds, seed, threads, styleControl, covariates, stylePenalty, anchorModel,
                anchorRating, excludeTies, minBattles, level, bonferroni, inversePropensity, warmStart, solver,
                anchorCi);
    }

    public RankOptions withRounds(int v) {
        return new RankOptions(ci, v, seed, threads, styleControl, covariates, stylePenalty, anchorModel,
                anchorRating, excludeTies, minBattles, level, bonferroni, inversePropensity, warmStart, solver,
                anchorCi);
    }

    public RankOptions withSeed(long v) {
        return new RankOptions(ci, rounds, v, threads, styleControl, covariates, stylePenalty, anchorModel,
                anchorRating, excludeTies, minBattles, level, bonferroni, inversePropensity, warmStart, solver,
                anchorCi);
    }

    public RankOptions withThreads(int v) {
        return new RankOptions(ci, rounds, seed, v, styleControl, covariates, stylePenalty, anchorModel,
                anchorRating, excludeTies, minBattles, level, bonferroni, inversePropensity, warmStart, solver,
                anchorCi);
    }

    public RankOptions withStyleControl(boolean v) {
        return new RankOptions(ci, rounds, seed, threads, v, covariates, stylePenalty, anchorModel,
                anchorRating, excludeTies, minBattles, level, bonferroni, inversePropensity, warmStart, solver,
                anchorCi);
    }

    public RankOptions withCovariates(List<PairTable.Covariate> v) {
        return new RankOptions(ci, rounds, seed, threads, styleControl, v, stylePenalty, anchorModel,
                anchorRating, excludeTies, minBattles, level, bonferroni, inversePropensity, warmStart, solver,
                anchorCi);
    }

    public RankOptions withStylePenalty(BradleyTerry.Penalty v) {
        return new RankOptions(ci, rounds, seed, threads, styleControl, covariates, v, anchorModel,
                anchorRating, excludeTies, minBattles, level, bonferroni, inversePropensity, warmStart, solver,
                anchorCi);
    }

    public RankOptions withAnchor(String model, double rating) {
        return new RankOptions(ci, rounds, seed, threads, styleControl, covariates, stylePenalty, model,
                rating, excludeTies, minBattles, level, bonferroni, inversePropensity, warmStart, solver,
                anchorCi);
    }

    public RankOptions withExcludeTies(boolean v) {
        return new RankOptions(ci, rounds, seed, threads, styleControl, covariates, stylePenalty, anchorModel,
                anchorRating, v, minBattles, level, bonferroni, inversePropensity, warmStart, solver, anchorCi);
    }

    public RankOptions withMinBattles(int v) {
        return new RankOptions(ci, rounds, seed, threads, styleControl, covariates, stylePenalty, anchorModel,
                anchorRating, excludeTies, v, level, bonferroni, inversePropensity, warmStart, solver,
                anchorCi);
    }

    public RankOptions withLevel(double v) {
        return new RankOptions(ci, rounds, seed, threads, styleControl, covariates, stylePenalty, anchorModel,
                anchorRating, excludeTies, minBattles, v, bonferroni, inversePropensity, warmStart, solver,
                anchorCi);
    }

    public RankOptions withBonferroni(int k) {
        return new RankOptions(ci, rounds, seed, threads, styleControl, covariates, stylePenalty, anchorModel,
                anchorRating, excludeTies, minBattles, level, k, inversePropensity, warmStart, solver,
                anchorCi);
    }

    public RankOptions withInversePropensity(boolean v) {
        return new RankOptions(ci, rounds, seed, threads, styleControl, covariates, stylePenalty, anchorModel,
                anchorRating, excludeTies, minBattles, level, bonferroni, v, warmStart, solver, anchorCi);
    }

    public RankOptions withWarmStart(Map<String, Double> v) {
        return new RankOptions(ci, rounds, seed, threads, styleControl, covariates, stylePenalty, anchorModel,
                anchorRating, excludeTies, minBattles, level, bonferroni, inversePropensity, v, solver,
                anchorCi);
    }

    /** Point-fit optimiser for plain BT (style control always uses Newton); null means NEWTON. */
    public RankOptions withSolver(Solver v) {
        return new RankOptions(ci, rounds, seed, threads, styleControl, covariates, stylePenalty, anchorModel,
                anchorRating, excludeTies, minBattles, level, bonferroni, inversePropensity, warmStart, v,
                anchorCi);
    }

    /** How an anchor moves the intervals (see {@link AnchorCi}); null means RELATIVE. */
    public RankOptions withAnchorCi(AnchorCi v) {
        return new RankOptions(ci, rounds, seed, threads, styleControl, covariates, stylePenalty, anchorModel,
                anchorRating, excludeTies, minBattles, level, bonferroni, inversePropensity, warmStart, solver,
                v);
    }
}

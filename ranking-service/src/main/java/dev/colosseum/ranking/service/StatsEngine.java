package dev.colosseum.ranking.service;

import dev.colosseum.stats.BattleSet;
import dev.colosseum.stats.Bootstrap;
import dev.colosseum.stats.BradleyTerry;
import dev.colosseum.stats.FixedOpponentFit;
import dev.colosseum.stats.Outcome;
import dev.colosseum.stats.Sandwich;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;

import java.util.ArrayList;
import java.util.List;

/** The bridge to arena-stats: builds its tables from the store's snapshots and turns fits into intervals. */
public final class StatsEngine {
    /** Two-sided 95% normal quantile. */
    public static final double Z95 = dev.colosseum.stats.Ranker.normalQuantile(0.05);
    public static final BradleyTerry.Penalty STYLE_PENALTY = BradleyTerry.Penalty.ARENA_RANK;

    private StatsEngine() {
    }

    /** Requested intervals. */
    public record CiSpec(CiMethod method, int rounds, long seed, String anchorModel, double anchorRating) {
    }

    /** Plain BT on the aggregated table of a category; {@code warm} by local model index (or null). */
    public static FitResult fitPlain(PairTable t, CiSpec ci, double[] warm) {
        dev.colosseum.stats.PairTable table = toStats(t);
        return fit(table, t.models(), t.modelVotes(), t.nVotes(), t.version(), List.of(), BradleyTerry.Penalty.NONE, ci, warm);
    }

    /** Contextual BT with the table's covariates (standard style names use the ratio transform). */
    public static FitResult fitCovariates(VoteTable vt, CiSpec ci, double[] warm) {
        BattleSet.Builder builder = BattleSet.builder();
        for (String m : vt.models()) {
            builder.model(m);
        }
        int k = vt.covariates().size();
        for (int i = 0; i < vt.size(); i++) {
            int row = builder.add(vt.a()[i], vt.b()[i], outcome(vt.y()[i]), vt.timeMillis()[i] / 1000.0);
            for (int c = 0; c < k; c++) {
                builder.setFeature(row, vt.covariates().get(c), vt.featuresA()[c][i], true);
                builder.setFeature(row, vt.covariates().get(c), vt.featuresB()[c][i], false);
            }
        }
        List<dev.colosseum.stats.PairTable.Covariate> covs = new ArrayList<>();
        for (String c : vt.covariates()) {
            covs.add(new dev.colosseum.stats.PairTable.Covariate(c, VoteStore.STYLE_FEATURES.contains(c)
                    ? dev.colosseum.stats.PairTable.Transform.RATIO : dev.colosseum.stats.PairTable.Transform.DIFF));
        }
        dev.colosseum.stats.PairTable table = dev.colosseum.stats.PairTable.withStyle(builder.build(), covs, false);
        long[] votes = new long[vt.models().size()];
        for (int i = 0; i < vt.size(); i++) {
            votes[vt.a()[i]]++;
            votes[vt.b()[i]]++;
        }
        return fit(table, vt.models(), votes, vt.size(), vt.version(), vt.covariates(), STYLE_PENALTY, ci, warm);
    }

    private static FitResult fit(dev.colosseum.stats.PairTable table, List<String> models, long[] modelVotes, long n,
                                 long version, List<String> covariates, BradleyTerry.Penalty penalty, CiSpec ci,
                                 double[] warm) {
        int m = models.size();
        int k = covariates.size();
        int p = m + k;
        BradleyTerry.FitOptions options = BradleyTerry.FitOptions.defaults().withPenalty(penalty);
        if (warm != null && warm.length == p) {
            options = options.withWarmStart(warm);
        }
        // stays finite while a model has never lost or never won (few votes): weak rating ridge
        BradleyTerry.PenalisedFit finite = BradleyTerry.fitFinite(table, options);
        BradleyTerry.Fit fit = finite.fit();
        penalty = finite.penalty();
        double[] cov = Sandwich.covariance(table, fit, penalty);
        double[] theta = fit.theta().clone();
        int anchor = ci.anchorModel() == null ? -1 : models.indexOf(ci.anchorModel());
        double shift = 0;
        if (anchor >= 0) {
            shift = (ci.anchorRating() - 1000.0) / BradleyTerry.ELO_PER_LOGIT - theta[anchor];
        }
        double[] low = new double[m];
        double[] high = new double[m];
        double[] gLow = new double[k];
        double[] gHigh = new double[k];
        double[] gamma = fit.gamma().clone();
        if (ci.method() == CiMethod.BOOTSTRAP) {
            double[][] reps = Bootstrap.replicates(table, fit, penalty, ci.rounds(), ci.seed(), Bootstrap.defaultThreads());
            if (anchor >= 0) {
                for (double[] r : reps) {
                    double s = theta[anchor] - r[anchor];
                    for (int i = 0; i < m; i++) {
                        r[i] += s;
                    }
                }
            }
            for (int i = 0; i < p; i++) {
                double lo = Bootstrap.quantile(reps, i, 0.025);
                double hi = Bootstrap.quantile(reps, i, 0.975);
                if (i < m) {
                    low[i] = lo + shift;
                    high[i] = hi + shift;
                } else {
                    gLow[i - m] = lo;
                    gHigh[i - m] = hi;
                }
            }
        } else {
            double q = ci.method() == CiMethod.SIMULTANEOUS && m > 1
                    ? Math.sqrt(new ChiSquaredDistribution(m - 1).inverseCumulativeProbability(0.95)) : Z95;
            for (int i = 0; i < m; i++) {
                double v = cov[i * p + i];
                if (anchor >= 0) {
                    v = v + cov[anchor * p + anchor] - 2 * cov[i * p + anchor];
                }
                double half = q * Math.sqrt(Math.max(v, 0));
                low[i] = theta[i] + shift - half;
                high[i] = theta[i] + shift + half;
            }
            double qg = ci.method() == CiMethod.SIMULTANEOUS && k > 0
                    ? Math.sqrt(new ChiSquaredDistribution(k).inverseCumulativeProbability(0.95)) : Z95;
            for (int c = 0; c < k; c++) {
                double half = qg * Math.sqrt(Math.max(cov[(m + c) * p + m + c], 0));
                gLow[c] = gamma[c] - half;
                gHigh[c] = gamma[c] + half;
            }
        }
        double[] shifted = new double[m];
        for (int i = 0; i < m; i++) {
            shifted[i] = theta[i] + shift;
        }
        return new FitResult(List.copyOf(models), fit.theta(), BradleyTerry.toElo(shifted), BradleyTerry.toElo(low),
                BradleyTerry.toElo(high), cov, List.copyOf(covariates), gamma, gLow, gHigh, modelVotes, n, version,
                fit.iterations());
    }

    private static Outcome outcome(double y) {
        return y == 1.0 ? Outcome.MODEL_A : y == 0.0 ? Outcome.MODEL_B : Outcome.TIE;
    }

    /**
     * arena-stats' aggregated table straight from the store's pair × outcome counts (O(rows), no
     * per-vote expansion; the row order is kept, so bootstrap replicates are reproducible).
     */
    static dev.colosseum.stats.PairTable toStats(PairTable t) {
        return dev.colosseum.stats.PairTable.ofCounts(t.models(), t.a(), t.b(), t.y(), t.count());
    }

    /**
     * Online Elo (arena-stats, K = 4) in the table's order, which is already time order (ties by arrival):
     * the battles are handed over without timestamps so arena-stats keeps that order instead of re-sorting.
     */
    public static double[] onlineElo(VoteTable vt) {
        BattleSet.Builder builder = BattleSet.builder();
        for (String m : vt.models()) {
            builder.model(m);
        }
        for (int i = 0; i < vt.size(); i++) {
            builder.add(vt.a()[i], vt.b()[i], outcome(vt.y()[i]), Double.NaN);
        }
        return dev.colosseum.stats.OnlineElo.ratings(builder.build());
    }

    /** The table as an arena-stats battle set (model ids = the table's indices). */
    public static BattleSet toBattleSet(VoteTable vt) {
        BattleSet.Builder builder = BattleSet.builder();
        for (String m : vt.models()) {
            builder.model(m);
        }
        for (int i = 0; i < vt.size(); i++) {
            builder.add(vt.a()[i], vt.b()[i], outcome(vt.y()[i]), vt.timeMillis()[i] / 1000.0);
        }
        return builder.build();
    }

    /** Rank (UB) of arena-stats: 1 + the number of models whose lower bound exceeds this model's upper bound. */
    public static int[] ranks(double[] low, double[] high) {
        return dev.colosseum.stats.Ranker.ranks(low, high);
    }

    /**
     * arena-stats' matrices: win fraction of row over column among their non-tie battles (either side),
     * non-tie battle counts, and σ(θ_row − θ_col) from the plain fit. Models sorted by rating, best first.
     */
    public static dev.colosseum.ranking.Matrices matrices(String category, VoteTable vt, FitResult fit) {
        BattleSet set = toBattleSet(vt);
        dev.colosseum.stats.Matrices mx = dev.colosseum.stats.Matrices.compute(set, false);
        int m = fit.models().size();
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(fit.ratings()[y], fit.ratings()[x]));
        double[] theta = new double[m];
        List<String> names = new ArrayList<>();
        int[] setIndex = new int[m];
        for (int k = 0; k < m; k++) {
            names.add(fit.models().get(order[k]));
            theta[k] = fit.theta()[order[k]];
            setIndex[k] = set.modelIndex(names.get(k));
        }
        double[][] predicted = dev.colosseum.stats.Matrices.predictedWinProbability(theta);
        Double[][] frac = new Double[m][m];
        long[][] count = new long[m][m];
        Double[][] pred = new Double[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                int si = setIndex[i];
                int sj = setIndex[j];
                double f = si < 0 || sj < 0 ? Double.NaN : mx.winFraction(si, sj);
                double c = si < 0 || sj < 0 ? 0 : mx.count(si, sj);
                frac[i][j] = Double.isNaN(f) || i == j ? null : f;
                count[i][j] = Double.isNaN(c) ? 0 : (long) c;
                pred[i][j] = Double.isNaN(predicted[i][j]) ? null : predicted[i][j];
            }
        }
        return new dev.colosseum.ranking.Matrices(category, names, frac, count, pred, vt.size());
    }

    /** Plain BT on per-vote rows (aggregated by arena-stats first). */
    public static FitResult fitVotes(VoteTable vt, CiSpec ci, double[] warm) {
        BattleSet.Builder builder = BattleSet.builder();
        for (String m : vt.models()) {
            builder.model(m);
        }
        for (int i = 0; i < vt.size(); i++) {
            builder.add(vt.a()[i], vt.b()[i], outcome(vt.y()[i]), vt.timeMillis()[i] / 1000.0);
        }
        long[] votes = new long[vt.models().size()];
        for (int i = 0; i < vt.size(); i++) {
            votes[vt.a()[i]]++;
            votes[vt.b()[i]]++;
        }
        dev.colosseum.stats.PairTable table = dev.colosseum.stats.PairTable.aggregate(builder.build());
        return fit(table, vt.models(), votes, vt.size(), vt.version(), List.of(), BradleyTerry.Penalty.NONE, ci, warm);
    }

    /**
     * One model's strength on the votes of {@code vt} with every opponent held fixed at
     * {@code opponents} (log-odds by the table's model index) and its sandwich variance: arena-stats'
     * {@link FixedOpponentFit} on the table's rows.
     */
    public static FixedOpponentFit.Result fitWithFixedOpponents(VoteTable vt, int m, double[] opponents, double start) {
        double[] ones = new double[vt.size()];
        java.util.Arrays.fill(ones, 1.0);
        dev.colosseum.stats.PairTable t = dev.colosseum.stats.PairTable.ofCounts(vt.models(),
                java.util.Arrays.copyOf(vt.a(), vt.size()), java.util.Arrays.copyOf(vt.b(), vt.size()),
                java.util.Arrays.copyOf(vt.y(), vt.size()), ones);
        return FixedOpponentFit.fit(t, m, opponents, start);
    }
}

package dev.colosseum.stats;

import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one high-level entry point: battles in, leaderboard out. Steps: optional tie removal,
 * data preparation ({@link PairTable}), Newton fit ({@link BradleyTerry}; when the likelihood has
 * no finite maximum, e.g. a model that never lost, the fit is redone with a weak rating ridge, see
 * {@link BradleyTerry.Penalty#NONE_RIDGE}), intervals (sandwich,
 * bootstrap or simultaneous), optional anchor, online Elo, hiding of models with too few battles
 * and the rank (UB) rule among the visible models.
 *
 * <p>Solver ({@link RankOptions#solver()}): with {@link RankOptions.Solver#FASTCHAT_LBFGS} and
 * plain BT, the point estimate (ratings, anchor shift, and the sandwich and simultaneous intervals,
 * which are evaluated at it) comes from FastChat's L-BFGS path, started from zero (any warm start is
 * ignored) and kept as FastChat returns it, with no ridge refit. The Newton fit is still computed:
 * it decides the penalty convention (plain or weak rating ridge) of the intervals, and bootstrap
 * replicates are chord-Newton refits warm-started from it, so bootstrap intervals are the same for
 * both solvers. Style control is always fitted with Newton (FastChat's L-BFGS replay covers plain BT
 * only), whatever the solver option says.
 *
 * <p>Anchor ({@link RankOptions#anchorCi()}): RELATIVE intervals are those of theta_i - theta_anchor
 * (bootstrap replicates re-anchored one by one); SHIFTED intervals are the unanchored ones moved by
 * the same constant as the ratings.
 */
public final class Ranker {
    private Ranker() {
    }

    /** Ranks a battle set (callers pass only the battles that should count, e.g. anonymous ones). */
    public static RankResult rank(BattleSet battles, RankOptions o) {
        BattleSet set = o.excludeTies() ? battles.filter(i -> !battles.outcome(i).isTie()) : battles;
        if (set.size() == 0) {
            throw new IllegalArgumentException("no battles to rank");
        }
        int m = set.modelCount();
        int anchor = -1;
        if (o.anchorModel() != null) {
            anchor = set.modelIndex(o.anchorModel());
            if (anchor < 0) {
                throw new IllegalArgumentException("anchor model '" + o.anchorModel() + "' has no battles");
            }
        }
        PairTable table = o.styleControl()
                ? PairTable.withStyle(set, o.covariates(), o.inversePropensity())
                : PairTable.aggregate(set, o.inversePropensity());
        BradleyTerry.Penalty penalty = o.styleControl() ? o.stylePenalty() : BradleyTerry.Penalty.NONE;
        int f = table.featureCount();
        int p = m + f;
        double[] start = null;
        if (o.warmStart() != null && !o.warmStart().isEmpty()) {
            start = new double[p];
            for (int i = 0; i < m; i++) {
                Double v = o.warmStart().get(set.models().get(i));
                start[i] = v == null ? 0.0 : v;
            }
        }
        // no finite maximum (a model never lost or never won): FastChat's weak rating ridge is added
        BradleyTerry.PenalisedFit finite = BradleyTerry.fitFinite(table,
                new BradleyTerry.FitOptions(penalty, start, 1e-10, 100));
        BradleyTerry.Fit fit = finite.fit();
        penalty = finite.penalty();
        // bootstrap replicates start from the exact optimum whatever the point-fit solver
        BradleyTerry.Fit newton = fit;
        if (o.solver() == RankOptions.Solver.FASTCHAT_LBFGS && !o.styleControl()) {
            fit = BradleyTerry.fit(table, BradleyTerry.FitOptions.defaults()
                    .withOptimizer(BradleyTerry.Optimizer.FASTCHAT_LBFGS));
        }
        boolean relative = o.anchorCi() == RankOptions.AnchorCi.RELATIVE;
        double scale = BradleyTerry.ELO_PER_LOGIT;
        double[] rating = fit.ratings();
        double shift = anchor >= 0 ? o.anchorRating() - rating[anchor] : 0.0;
        for (int i = 0; i < m; i++) {
            rating[i] += shift;
        }
        double alpha = (1.0 - o.level()) / Math.max(1, o.bonferroni());
        double[] lo = new double[p];
        double[] hi = new double[p];
        switch (o.ci()) {
            case SANDWICH:
            case SIMULTANEOUS: {
                double[] v = Sandwich.covariance(table, fit, penalty);
                double zm;
                double zg;
                if (o.ci() == RankOptions.CiMethod.SANDWICH) {
                    zm = normalQuantile(alpha);
                    zg = zm;
                } else {
                    zm = Math.sqrt(new ChiSquaredDistribution(Math.max(1, m - 1)).inverseCumulativeProbability(1 - alpha));
                    zg = f == 0 ? 0 : Math.sqrt(new ChiSquaredDistribution(f).inverseCumulativeProbability(1 - alpha));
                }
                for (int i = 0; i < m; i++) {
                    double var = v[i * p + i];
                    if (anchor >= 0 && relative) {
                        var = var + v[anchor * p + anchor] - 2 * v[i * p + anchor];
                    }
                    double half = zm * Math.sqrt(Math.max(0, var)) * scale;
                    lo[i] = rating[i] - half;
                    hi[i] = rating[i] + half;
                }
                for (int k = 0; k < f; k++) {
                    double half = zg * Math.sqrt(Math.max(0, v[(m + k) * p + m + k]));
                    lo[m + k] = fit.gamma()[k] - half;
                    hi[m + k] = fit.gamma()[k] + half;
                }
                break;
            }
            case BOOTSTRAP: {
                double[][] reps = Bootstrap.replicates(table, newton, penalty, o.rounds(), o.seed(), o.threads());
                for (double[] r : reps) {
                    double s = anchor >= 0 && relative ? r[anchor] : 0.0;
                    for (int i = 0; i < m; i++) {
                        r[i] = (r[i] - s) * scale;
                    }
                }
                double base = anchor >= 0 && relative ? o.anchorRating() : 1000.0 + shift;
                for (int j = 0; j < p; j++) {
                    double off = j < m ? base : 0.0;
                    lo[j] = Bootstrap.quantile(reps, j, alpha / 2) + off;
                    hi[j] = Bootstrap.quantile(reps, j, 1 - alpha / 2) + off;
                }
                break;
            }
            default:
                for (int j = 0; j < m; j++) {
                    lo[j] = rating[j];
                    hi[j] = rating[j];
                }
                for (int k = 0; k < f; k++) {
                    lo[m + k] = fit.gamma()[k];
                    hi[m + k] = fit.gamma()[k];
                }
        }
        int[] battlesPer = set.battleCounts();
        double[] elo = OnlineElo.ratings(set);
        List<Integer> visible = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            if (battlesPer[i] >= o.minBattles()) {
                visible.add(i);
            }
        }
        double[] vlo = new double[visible.size()];
        double[] vhi = new double[visible.size()];
        for (int k = 0; k < visible.size(); k++) {
            vlo[k] = lo[visible.get(k)];
            vhi[k] = hi[visible.get(k)];
        }
        int[] ranks = ranks(vlo, vhi);
        List<RankResult.ModelRating> rows = new ArrayList<>();
        for (int k = 0; k < visible.size(); k++) {
            int i = visible.get(k);
            rows.add(new RankResult.ModelRating(set.models().get(i), rating[i], lo[i], hi[i], ranks[k],
                    battlesPer[i], elo[i]));
        }
        rows.sort(Comparator.comparingInt(RankResult.ModelRating::rank)
                .thenComparing(Comparator.comparingDouble(RankResult.ModelRating::rating).reversed())
                .thenComparing(RankResult.ModelRating::model));
        Map<String, RankResult.Coefficient> coefs = null;
        if (o.styleControl()) {
            coefs = new LinkedHashMap<>();
            for (int k = 0; k < f; k++) {
                coefs.put(table.featureNames().get(k),
                        new RankResult.Coefficient(fit.gamma()[k], lo[m + k], hi[m + k]));
            }
        }
        Map<String, Double> theta = new LinkedHashMap<>();
        for (int i = 0; i < m; i++) {
            theta.put(set.models().get(i), fit.theta()[i]);
        }
        return new RankResult(List.copyOf(rows), coefs, set.size(), rows.size(), theta);
    }

    /** Two-sided normal critical value for tail mass alpha (1.959964 for alpha = 0.05). */
    public static double normalQuantile(double alpha) {
        return new NormalDistribution(0, 1).inverseCumulativeProbability(1 - alpha / 2);
    }

    /** Rank (UB): 1 + number of models whose lower bound exceeds this model's upper bound. */
    public static int[] ranks(double[] lo, double[] hi) {
        int n = lo.length;
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            int c = 1;
            for (int j = 0; j < n; j++) {
                if (j != i && lo[j] > hi[i]) {
                    c++;
                }
            }
            r[i] = c;
        }
        return r;
    }
}

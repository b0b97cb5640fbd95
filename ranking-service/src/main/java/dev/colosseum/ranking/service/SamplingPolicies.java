package dev.colosseum.ranking.service;

import dev.colosseum.ranking.PairWeight;
import dev.colosseum.ranking.SamplingWeights;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two matchmaking policies of METHODS.md "Matchmaking" as pure functions (used by the service and by
 * the simulation in bench/).
 */
public final class SamplingPolicies {
    private SamplingPolicies() {
    }

    /** What a policy knows about one candidate model. */
    public record Candidate(String model, double baseWeight, boolean outage, long votes, Double rating) {
    }

    /**
     * FastChat's policy: the first model ∝ w, the rival ∝ w without the first; w = base weight, × boost for
     * models below the vote target, × topKWeight for the top-k by rating, 0 in outage. The unordered pair
     * weight is P(a first, b rival) + P(b first, a rival).
     */
    public static SamplingWeights fastchat(List<Candidate> candidates, long newModelVoteTarget, double boost, int topK,
                                           double topKWeight) {
        List<Candidate> ranked = new ArrayList<>(candidates);
        ranked.removeIf(c -> c.rating() == null);
        ranked.sort((x, y) -> Double.compare(y.rating(), x.rating()));
        java.util.Set<String> top = new java.util.HashSet<>();
        for (int i = 0; i < Math.min(topK, ranked.size()); i++) {
            top.add(ranked.get(i).model());
        }
        Map<String, Double> w = new LinkedHashMap<>();
        for (Candidate c : candidates) {
            double v = c.outage() ? 0.0 : Math.max(0.0, c.baseWeight());
            if (c.votes() < newModelVoteTarget) {
                v *= boost;
            }
            if (top.contains(c.model())) {
                v *= topKWeight;
            }
            w.put(c.model(), v);
        }
        double total = 0;
        for (double v : w.values()) {
            total += v;
        }
        List<String> names = new ArrayList<>(w.keySet());
        List<PairWeight> pairs = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            for (int j = i + 1; j < names.size(); j++) {
                double wa = w.get(names.get(i));
                double wb = w.get(names.get(j));
                double p = 0;
                if (total > 0) {
                    if (total - wa > 0) {
                        p += wa / total * wb / (total - wa);
                    }
                    if (total - wb > 0) {
                        p += wb / total * wa / (total - wb);
                    }
                }
                pairs.add(new PairWeight(names.get(i), names.get(j), p));
            }
        }
        return new SamplingWeights("fastchat", names, pairs, w);
    }

    /**
     * Active sampling (paper eq. 9). Eq. 9 weights a pair by the expected shrink of its interval from one more
     * vote, √(Σ/n) − √(Σ/(n+1)). Here the intervals are the models' rating intervals and the shrink is computed
     * from the current sandwich covariance V of the fit: one more vote on (a, b) adds information
     * q = p̂(1 − p̂) along x = e_a − e_b, so V' = V − q·V x xᵀ V / (1 + q·xᵀ V x) (rank-one update), and the
     * pair's weight is Σ_i (√V_ii − √V'_ii), the summed shrink of all models' standard errors. Pairs with a
     * model the fit does not know yet (no votes) get the largest weight among the known pairs (explore first);
     * with no fit at all every pair weighs 1. Models in outage get weight 0.
     */
    public static SamplingWeights activeEq9(List<Candidate> candidates, FitResult fit) {
        List<String> names = new ArrayList<>();
        for (Candidate c : candidates) {
            names.add(c.model());
        }
        int m = names.size();
        double[] w = new double[m * m];
        boolean[] unknown = new boolean[m * m];
        double maxKnown = 0;
        for (int i = 0; i < m; i++) {
            for (int j = i + 1; j < m; j++) {
                int fi = fit == null ? -1 : fit.indexOf(names.get(i));
                int fj = fit == null ? -1 : fit.indexOf(names.get(j));
                if (fi < 0 || fj < 0) {
                    unknown[i * m + j] = true;
                    continue;
                }
                double p = prob(fit, names.get(i), names.get(j));
                w[i * m + j] = shrink(fit, fi, fj, p * (1 - p));
                maxKnown = Math.max(maxKnown, w[i * m + j]);
            }
        }
        Map<String, Double> modelWeights = new LinkedHashMap<>();
        for (String s : names) {
            modelWeights.put(s, 0.0);
        }
        List<PairWeight> pairs = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            for (int j = i + 1; j < m; j++) {
                double weight = unknown[i * m + j] ? (maxKnown > 0 ? maxKnown : 1.0) : w[i * m + j];
                if (candidates.get(i).outage() || candidates.get(j).outage()) {
                    weight = 0;
                }
                pairs.add(new PairWeight(names.get(i), names.get(j), weight));
                modelWeights.merge(names.get(i), weight, Double::sum);
                modelWeights.merge(names.get(j), weight, Double::sum);
            }
        }
        return new SamplingWeights("active-eq9", names, pairs, modelWeights);
    }

    /** Virtual votes the greedy design allocates per request (see {@link #active}). */
    public static final int DESIGN_VOTES = 200;

    /**
     * Active sampling as a greedy batch design (A-optimal on the standard errors): {@code budget} virtual
     * votes are placed one at a time, each on the pair whose vote shrinks Σ_i SE(θ_i) the most (the same
     * Sherman–Morrison shrink as {@link #activeEq9}, with p̂ from the current ratings), and after each
     * placement the covariance is updated, V ← V − q·(V x)(V x)ᵀ / (1 + q·xᵀ V x), x = e_a − e_b,
     * q = p̂(1 − p̂), so the next virtual vote sees the information already planned. A pair's weight is the
     * number of virtual votes it received (many pairs get 0): drawing pairs ∝ weight follows the design.
     * Unlike eq. 9's proportional rule, mismatched pairs (p̂ near 0 or 1, little information) and
     * already well-measured models are not sampled at all. Measured figures: ranking-service README. Pairs with a model the fit does not know yet get
     * the largest weight (explore first); with no fit every pair weighs 1; models in outage get weight 0.
     */
    public static SamplingWeights active(List<Candidate> candidates, FitResult fit, int budget) {
        return active(candidates, fit, budget, null);
    }

    /**
     * Tie-aware greedy design. The leaderboard's fit counts a tie as half a win, so one vote on (a, b) adds
     * h = p̂(1 − p̂) to the Hessian but only r = E[(y − p̂)²] = h − t/4 to the sandwich's meat, t the pair's tie
     * probability (y ∈ {1, 0, ½} with probabilities w, l, t and p̂ = w + t/2 give E[y²] − p̂² = h − t/4). For a
     * pair on its own the fitted gap then has variance r / (n h²): the information of one vote is q = h² / r,
     * not h. {@code tieRate[i·m + j]} (i < j, candidate order) is the pair's estimated tie probability, NaN
     * or a null array for "unknown" (then q = h as in {@link #active(List, FitResult, int)}).
     */
    public static SamplingWeights active(List<Candidate> candidates, FitResult fit, int budget, double[] tieRate) {
        List<String> names = new ArrayList<>();
        for (Candidate c : candidates) {
            names.add(c.model());
        }
        int m = names.size();
        int[] idx = new int[m];
        boolean anyUnknown = false;
        for (int i = 0; i < m; i++) {
            idx[i] = fit == null ? -1 : fit.indexOf(names.get(i));
            anyUnknown |= idx[i] < 0;
        }
        double[] w = new double[m * m];
        int known = 0;
        for (int i = 0; i < m; i++) {
            if (idx[i] >= 0 && !candidates.get(i).outage()) {
                known++;
            }
        }
        if (fit != null && known >= 2) {
            int p = fit.models().size() + fit.covariates().size();
            double[] cov = fit.covariance();
            // covariance restricted to the candidates the fit knows (others: zero rows, never chosen)
            double[] v = new double[m * m];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    if (idx[i] >= 0 && idx[j] >= 0) {
                        v[i * m + j] = cov[idx[i] * p + idx[j]];
                    }
                }
            }
            double[] q = new double[m * m];
            for (int i = 0; i < m; i++) {
                for (int j = i + 1; j < m; j++) {
                    if (idx[i] >= 0 && idx[j] >= 0 && !candidates.get(i).outage() && !candidates.get(j).outage()) {
                        double pr = 1.0 / (1.0 + Math.exp(-(fit.theta()[idx[i]] - fit.theta()[idx[j]])));
                        double h = pr * (1 - pr);
                        double t = tieRate == null ? Double.NaN : tieRate[i * m + j];
                        // p̂ = w + t/2 with w, l >= 0 bounds t by 2·min(p̂, 1 − p̂)
                        t = Math.min(t, 2 * Math.min(pr, 1 - pr));
                        q[i * m + j] = Double.isNaN(t) ? h : h * h / Math.max(h - t / 4, 1e-3 * h);
                    }
                }
            }
            double[] u = new double[m];
            for (int step = 0; step < budget; step++) {
                int bi = -1;
                int bj = -1;
                double best = 0;
                for (int i = 0; i < m; i++) {
                    for (int j = i + 1; j < m; j++) {
                        double qq = q[i * m + j];
                        if (qq <= 0) {
                            continue;
                        }
                        double g = seShrink(v, m, m, i, j, qq);
                        if (g > best) {
                            best = g;
                            bi = i;
                            bj = j;
                        }
                    }
                }
                if (bi < 0) {
                    break;
                }
                w[bi * m + bj] += 1;
                double qq = q[bi * m + bj];
                double sx = v[bi * m + bi] + v[bj * m + bj] - 2 * v[bi * m + bj];
                for (int k = 0; k < m; k++) {
                    u[k] = v[k * m + bi] - v[k * m + bj];
                }
                double f = qq / (1 + qq * sx);
                for (int k = 0; k < m; k++) {
                    for (int l = 0; l < m; l++) {
                        v[k * m + l] -= f * u[k] * u[l];
                    }
                }
            }
        }
        double maxW = 0;
        for (double x : w) {
            maxW = Math.max(maxW, x);
        }
        Map<String, Double> modelWeights = new LinkedHashMap<>();
        for (String s : names) {
            modelWeights.put(s, 0.0);
        }
        List<PairWeight> pairs = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            for (int j = i + 1; j < m; j++) {
                double weight;
                if (fit == null || known < 2) {
                    weight = 1.0;
                } else if (idx[i] < 0 || idx[j] < 0) {
                    weight = maxW > 0 ? maxW : 1.0;
                } else {
                    weight = w[i * m + j];
                }
                if (candidates.get(i).outage() || candidates.get(j).outage()) {
                    weight = 0;
                }
                pairs.add(new PairWeight(names.get(i), names.get(j), weight));
                modelWeights.merge(names.get(i), weight, Double::sum);
                modelWeights.merge(names.get(j), weight, Double::sum);
            }
        }
        return new SamplingWeights("active", names, pairs, modelWeights);
    }

    /**
     * Tie probability of every candidate pair for {@link #active(List, FitResult, int, double[])}: the pair's
     * own tie fraction shrunk towards the overall one, (ties + k·T/N) / (votes + k) with k = {@value #TIE_PRIOR}
     * votes, so a pair with few votes borrows the overall rate. {@code ties[i·m + j]} and {@code votes[i·m + j]}
     * (i < j) count both orders; NaN when there are no votes at all.
     */
    public static double[] shrunkTieRates(long[] ties, long[] votes, int m) {
        long t = 0;
        long n = 0;
        for (int i = 0; i < m; i++) {
            for (int j = i + 1; j < m; j++) {
                t += ties[i * m + j];
                n += votes[i * m + j];
            }
        }
        double[] rate = new double[m * m];
        java.util.Arrays.fill(rate, Double.NaN);
        if (n == 0) {
            return rate;
        }
        double overall = (double) t / n;
        for (int i = 0; i < m; i++) {
            for (int j = i + 1; j < m; j++) {
                rate[i * m + j] = (ties[i * m + j] + TIE_PRIOR * overall) / (votes[i * m + j] + TIE_PRIOR);
            }
        }
        return rate;
    }

    /** Prior weight, in votes, of the overall tie rate in {@link #shrunkTieRates}. */
    public static final int TIE_PRIOR = 20;

    /** The greedy design with {@link #DESIGN_VOTES} virtual votes. */
    public static SamplingWeights active(List<Candidate> candidates, FitResult fit) {
        return active(candidates, fit, DESIGN_VOTES);
    }

    /**
     * Σ_{k < count} (√V_kk − √V'_kk) for one vote of information q on (a, b), V row-major with the given
     * stride and V' = V − f·u·uᵀ its rank-one update (u = V_·a − V_·b, f = q / (1 + q·s)).
     */
    private static double seShrink(double[] v, int stride, int count, int a, int b, double q) {
        double s = v[a * stride + a] + v[b * stride + b] - 2 * v[a * stride + b];
        double f = q / (1 + q * s);
        double total = 0;
        for (int k = 0; k < count; k++) {
            double uk = v[k * stride + a] - v[k * stride + b];
            double vk = Math.max(v[k * stride + k], 0);
            total += Math.sqrt(vk) - Math.sqrt(Math.max(vk - f * uk * uk, 0));
        }
        return total;
    }

    private static double prob(FitResult fit, String a, String b) {
        int i = fit == null ? -1 : fit.indexOf(a);
        int j = fit == null ? -1 : fit.indexOf(b);
        if (i < 0 || j < 0) {
            return 0.5;
        }
        return 1.0 / (1.0 + Math.exp(-(fit.theta()[i] - fit.theta()[j])));
    }

    /** Σ_i (√V_ii − √V'_ii) with V' the covariance after one more vote of information q on pair (a, b). */
    static double shrink(FitResult fit, int a, int b, double q) {
        return seShrink(fit.covariance(), fit.models().size() + fit.covariates().size(), fit.models().size(), a, b, q);
    }
}

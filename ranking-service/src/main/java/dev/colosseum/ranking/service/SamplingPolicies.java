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
     * Active sampling (paper eq. 9): pair weight ∝ √(Σ/n) − √(Σ/(n+1)), the expected shrink of the pair's
     * interval from one more vote, with n the pair's votes and Σ the pair's per-vote variance from the
     * sandwich meat (mean of (y − p̂)² over the pair's votes under the current fit; p̂(1 − p̂) for a pair
     * without votes, 1/4 when a model is not fitted yet). One pseudo-vote keeps n = 0 finite:
     * n is taken as (votes + 1). Models in outage get weight 0.
     */
    public static SamplingWeights active(List<Candidate> candidates, PairTable table, FitResult fit) {
        List<String> names = new ArrayList<>();
        for (Candidate c : candidates) {
            names.add(c.model());
        }
        int m = names.size();
        Map<String, Integer> idx = new LinkedHashMap<>();
        for (int i = 0; i < m; i++) {
            idx.put(names.get(i), i);
        }
        double[] n = new double[m * m];
        double[] sq = new double[m * m];
        for (int r = 0; r < table.a().length; r++) {
            Integer i = idx.get(table.models().get(table.a()[r]));
            Integer j = idx.get(table.models().get(table.b()[r]));
            if (i == null || j == null) {
                continue;
            }
            int lo = Math.min(i, j);
            int hi = Math.max(i, j);
            double p = prob(fit, names.get(i), names.get(j));
            double e = table.y()[r] - p;
            n[lo * m + hi] += table.count()[r];
            sq[lo * m + hi] += table.count()[r] * e * e;
        }
        Map<String, Double> modelWeights = new LinkedHashMap<>();
        for (String s : names) {
            modelWeights.put(s, 0.0);
        }
        List<PairWeight> pairs = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            for (int j = i + 1; j < m; j++) {
                double w = 0;
                if (!candidates.get(i).outage() && !candidates.get(j).outage()) {
                    double cnt = n[i * m + j];
                    double sigma2;
                    if (cnt > 0) {
                        sigma2 = sq[i * m + j] / cnt;
                    } else {
                        double p = prob(fit, names.get(i), names.get(j));
                        sigma2 = p * (1 - p);
                    }
                    w = Math.sqrt(sigma2 / (cnt + 1)) - Math.sqrt(sigma2 / (cnt + 2));
                }
                pairs.add(new PairWeight(names.get(i), names.get(j), w));
                modelWeights.merge(names.get(i), w, Double::sum);
                modelWeights.merge(names.get(j), w, Double::sum);
            }
        }
        return new SamplingWeights("active", names, pairs, modelWeights);
    }

    private static double prob(FitResult fit, String a, String b) {
        int i = fit == null ? -1 : fit.indexOf(a);
        int j = fit == null ? -1 : fit.indexOf(b);
        if (i < 0 || j < 0) {
            return 0.5;
        }
        return 1.0 / (1.0 + Math.exp(-(fit.theta()[i] - fit.theta()[j])));
    }
}

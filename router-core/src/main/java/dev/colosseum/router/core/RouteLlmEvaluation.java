package dev.colosseum.router.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * RouteLLM's evaluation protocol. Every evaluation prompt gets a score; the 11 thresholds are the deciles
 * (0%, 10%, ..., 100% quantiles, linear interpolation) of the scores; at each threshold a prompt goes to the
 * strong model iff its score ≥ threshold, and the quality is the mean correctness of the model it was routed
 * to. AUC is the trapezoid area of quality over the strong-call fraction; APGR = (AUC − AUC_weak) /
 * (AUC_strong − AUC_weak) with the all-weak / all-strong constant lines integrated over the same range;
 * CPT(x) is the strong-call percentage at which the interpolated curve first reaches
 * weak + x·(strong − weak).
 */
public final class RouteLlmEvaluation {
    /** One point of the quality-vs-strong-calls curve. */
    public record Point(double threshold, double strongPercent, double quality) {
    }

    /** The evaluation of one router on one data set. */
    public record Result(String router, int n, double strongQuality, double weakQuality, List<Point> points,
                         double auc, double apgr, double cpt50, double cpt80, int tiedScoresBroken) {
    }

    private RouteLlmEvaluation() {
    }

    /**
     * @param scores  router score per prompt (higher = more in need of the strong model)
     * @param strongQ quality of the strong model per prompt
     * @param weakQ   quality of the weak model per prompt
     * @param seed    seed for breaking tied scores (the protocol needs distinct scores): scores are replaced by
     *                their ranks with ties in a seeded random order, which keeps every routing decision of
     *                distinct scores; the printed thresholds are the deciles of the raw scores
     */
    public static Result evaluate(String router, double[] scores, double[] strongQ, double[] weakQ, long seed) {
        int n = scores.length;
        if (n < 11 || strongQ.length != n || weakQ.length != n) {
            throw new IllegalArgumentException("need at least 11 prompts with a score and both qualities");
        }
        double[] s = distinct(scores, seed);
        int broken = countTies(scores);
        double[] sorted = s.clone();
        Arrays.sort(sorted);
        double[] raw = scores.clone();
        Arrays.sort(raw);
        double sq = mean(strongQ);
        double wq = mean(weakQ);
        List<Point> pts = new ArrayList<>();
        for (int k = 0; k <= 10; k++) {
            double t = quantile(sorted, k / 10.0);
            int strongCalls = 0;
            double q = 0;
            for (int i = 0; i < n; i++) {
                if (s[i] >= t) {
                    strongCalls++;
                    q += strongQ[i];
                } else {
                    q += weakQ[i];
                }
            }
            pts.add(new Point(quantile(raw, k / 10.0), 100.0 * strongCalls / n, q / n));
        }
        pts.sort((a, b) -> Double.compare(a.strongPercent(), b.strongPercent()));
        double auc = 0;
        double span = 0;
        for (int i = 1; i < pts.size(); i++) {
            double dx = (pts.get(i).strongPercent() - pts.get(i - 1).strongPercent()) / 100.0;
            auc += dx * (pts.get(i).quality() + pts.get(i - 1).quality()) / 2;
            span += dx;
        }
        double aucWeak = wq * span;
        double aucStrong = sq * span;
        double apgr = (auc - aucWeak) / (aucStrong - aucWeak);
        return new Result(router, n, sq, wq, List.copyOf(pts), auc, apgr, cpt(pts, wq, sq, 0.5), cpt(pts, wq, sq, 0.8), broken);
    }

    /** Strong-call percentage needed to reach weak + x·(strong − weak), linearly interpolated; NaN if never. */
    static double cpt(List<Point> pts, double weak, double strong, double x) {
        double target = weak + x * (strong - weak);
        if (pts.get(0).quality() >= target) {
            return pts.get(0).strongPercent();
        }
        for (int i = 1; i < pts.size(); i++) {
            Point a = pts.get(i - 1);
            Point b = pts.get(i);
            if (b.quality() >= target) {
                if (b.quality() == a.quality()) {
                    return b.strongPercent();
                }
                double f = (target - a.quality()) / (b.quality() - a.quality());
                return a.strongPercent() + f * (b.strongPercent() - a.strongPercent());
            }
        }
        return Double.NaN;
    }

    /** Linear-interpolation quantile of sorted values (numpy's default). */
    public static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        double f = pos - lo;
        return sorted[lo] + f * (sorted[hi] - sorted[lo]);
    }

    static int countTies(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        int t = 0;
        for (int i = 1; i < c.length; i++) {
            if (c[i] == c[i - 1]) {
                t++;
            }
        }
        return t;
    }

    /** Breaks ties among equal scores in a seeded random order, keeping the order of distinct scores. */
    static double[] distinct(double[] v, long seed) {
        int n = v.length;
        Integer[] idx = new Integer[n];
        double[] jitter = new double[n];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            idx[i] = i;
            jitter[i] = r.nextDouble();
        }
        Arrays.sort(idx, (a, b) -> {
            int c = Double.compare(v[a], v[b]);
            return c != 0 ? c : Double.compare(jitter[a], jitter[b]);
        });
        double[] out = new double[n];
        for (int rank = 0; rank < n; rank++) {
            out[idx[rank]] = (rank + 0.5) / n;
        }
        return out;
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }
}

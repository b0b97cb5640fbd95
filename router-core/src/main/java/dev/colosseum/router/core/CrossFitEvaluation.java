package dev.colosseum.router.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Scores every evaluation prompt with a router that never saw it: with K folds the evaluation rows are split
 * (at random, or by a grouping column such as the source file) and each fold is scored by a router trained on
 * the other folds plus any extra training comparisons. No label of a scored prompt is used to score it.
 * <p>
 * The K routers' raw scores are not on one scale (each has its own intercept, learned from different prompts),
 * while RouteLLM's protocol ranks all scores together. Each fold's scores are therefore calibrated the way the
 * service picks a threshold: a score becomes its position in the distribution of the same router's scores on a
 * reference set of its own training prompts (at most {@link #REFERENCE_PROMPTS}, a seeded sample), that is, the
 * strong-call fraction a threshold at that score would give on the traffic the router was trained on. The
 * map is strictly increasing, so within a fold nothing changes; only the pooling across folds does. The raw
 * pooled scores are reported beside the calibrated ones. The untrained baselines ({@code random}, {@code length})
 * are one fixed function in every fold, already on one scale, and are not calibrated.
 */
public final class CrossFitEvaluation {
    private CrossFitEvaluation() {
    }

    /** Largest reference set a fold's scores are calibrated on (distinct training prompts, seeded sample). */
    public static final int REFERENCE_PROMPTS = 2000;

    /**
     * Cross-fitted scores: {@code scores} calibrated per fold (see the class comment; equal to {@code raw} when
     * a single router scored everything) and {@code raw}, the routers' own scores pooled as they are.
     */
    public record Scores(double[] scores, double[] raw) {
    }

    /** Fold assignment that puts prompts into folds at random (seeded). */
    public static final String RANDOM = "random";

    /**
     * Fold index per row. {@code foldBy = "random"}: prompts are shuffled (seeded) and dealt into K folds, so
     * each prompt is scored by a router trained on other prompts only. Otherwise rows are grouped by the named
     * column ({@code file} = source file, e.g. the MMLU subject) and whole groups are assigned to folds
     * (largest first into the currently smallest fold), so no group is in its own router's training data.
     */
    public static int[] folds(List<QualityTable.Row> rows, int k, long seed, String foldBy) {
        int[] fold = new int[rows.size()];
        if (RANDOM.equals(foldBy)) {
            int[] perm = new int[rows.size()];
            for (int i = 0; i < perm.length; i++) {
                perm[i] = i;
            }
            SplittableRandom r = new SplittableRandom(seed);
            for (int i = perm.length - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
            for (int i = 0; i < perm.length; i++) {
                fold[perm[i]] = i % k;
            }
            return fold;
        }
        Map<String, Integer> groupSize = new TreeMap<>();
        for (QualityTable.Row r : rows) {
            groupSize.merge(r.attribute(foldBy), 1, Integer::sum);
        }
        if (groupSize.size() < k) {
            throw new IllegalArgumentException("--fold-by " + foldBy + " has " + groupSize.size() + " distinct values, fewer than "
                    + k + " folds");
        }
        List<Map.Entry<String, Integer>> gs = new ArrayList<>(groupSize.entrySet());
        gs.sort((x, y) -> y.getValue() != x.getValue().intValue() ? y.getValue() - x.getValue() : x.getKey().compareTo(y.getKey()));
        long[] load = new long[k];
        Map<String, Integer> assign = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> g : gs) {
            int best = 0;
            for (int f = 1; f < k; f++) {
                if (load[f] < load[best]) {
                    best = f;
                }
            }
            assign.put(g.getKey(), best);
            load[best] += g.getValue();
        }
        for (int i = 0; i < rows.size(); i++) {
            fold[i] = assign.get(rows.get(i).attribute(foldBy));
        }
        return fold;
    }

    /**
     * @param kind    router kind
     * @param eval    evaluation set (its prompts are embedded once)
     * @param strong  strong quality column
     * @param weak    weak quality column
     * @param extra   extra training comparisons (from other prompts), may be empty
     * @param k       folds (≥ 2), or 0/1 to train only on {@code extra}
     * @param foldBy  {@code random} or a column to group folds by (see {@link #folds})
     */
    public static Scores score(String kind, QualityTable eval, String strong, String weak, List<Comparison> extra,
                                 int k, String foldBy, Embedder embedder, long seed, Consumer<String> log) {
        return score(kind, eval, strong, weak, extra, k, foldBy, embedder, seed, log, !baseline(kind));
    }

    /** As above; {@code calibrate} says whether fold scores are calibrated before pooling. */
    static Scores score(String kind, QualityTable eval, String strong, String weak, List<Comparison> extra,
                        int k, String foldBy, Embedder embedder, long seed, Consumer<String> log, boolean calibrate) {
        List<QualityTable.Row> rows = eval.rows();
        int n = rows.size();
        double[] scores = new double[n];
        boolean embed = !baseline(kind);
        List<Comparison> evalComparisons = QualityTable.comparisons(rows, strong, weak);
        TrainingSet all = embed
                ? TrainingSet.build(evalComparisons, embedder, null)
                : new TrainingSet(evalComparisons, new float[n][0], features(evalComparisons));
        TrainingSet extraSet = null;
        if (!extra.isEmpty()) {
            Set<String> evalPrompts = new HashSet<>();
            for (QualityTable.Row r : rows) {
                evalPrompts.add(QualityTable.norm(r.prompt()));
            }
            List<Comparison> clean = new ArrayList<>();
            int dropped = 0;
            for (Comparison c : extra) {
                if (evalPrompts.contains(QualityTable.norm(c.prompt()))) {
                    dropped++;
                } else {
                    clean.add(c);
                }
            }
            if (dropped > 0) {
                log.accept("dropped " + dropped + " training comparisons whose prompt is in the evaluation set");
            }
            extraSet = embed ? TrainingSet.build(clean, embedder, null)
                    : new TrainingSet(clean, new float[clean.size()][0], features(clean));
        }
        if (k < 2) {
            if (extraSet == null) {
                if (embed) {
                    throw new IllegalArgumentException("router '" + kind + "' needs --train data or --folds");
                }
                extraSet = all;
            }
            Router r = RouterTrainer.train(kind, extraSet, null);
            for (int i = 0; i < n; i++) {
                scores[i] = r.score(new Query(rows.get(i).prompt(), all.embeddings[i], all.features[i]), strong, weak);
            }
            return new Scores(scores, scores.clone());
        }
        double[] raw = new double[n];
        int[] fold = folds(rows, k, seed, foldBy);
        for (int f = 0; f < k; f++) {
            List<Integer> train = new ArrayList<>();
            List<Integer> test = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                (fold[i] == f ? test : train).add(i);
            }
            if (test.isEmpty()) {
                continue;
            }
            TrainingSet ts = all.subset(train.stream().mapToInt(Integer::intValue).toArray());
            if (extraSet != null) {
                ts = concat(ts, extraSet);
            }
            long t0 = System.nanoTime();
            Router r = RouterTrainer.train(kind, ts, null);
            double[] reference = calibrate ? referenceScores(r, ts, strong, weak, seed + f) : new double[0];
            for (int i : test) {
                raw[i] = r.score(new Query(rows.get(i).prompt(), all.embeddings[i], all.features[i]), strong, weak);
                scores[i] = calibrate ? calibrate(raw[i], reference) : raw[i];
            }
            log.accept(String.format("fold %d/%d: trained %s on %d comparisons, scored %d prompts (%.1f s)%s", f + 1, k,
                    kind, ts.size(), test.size(), (System.nanoTime() - t0) / 1e9, r instanceof BestRouter br
                            ? "; linear penalty " + br.lambda() + "; trees " + br.trees() + "; blend weights [linear, features, k="
                            + java.util.Arrays.toString(br.neighbourhoodSizes()) + ", trees] = "
                            + java.util.Arrays.toString(java.util.Arrays.stream(br.blendWeights())
                            .mapToObj(x -> String.format(java.util.Locale.ROOT, "%.3f", x)).toArray()) : ""));
        }
        return new Scores(scores, raw);
    }

    /** The untrained baselines: they read only the prompt text, need no embedding and are one function in every fold. */
    private static boolean baseline(String kind) {
        return kind.equals("random") || kind.equals("length");
    }

    /** The router's scores on at most {@link #REFERENCE_PROMPTS} distinct training prompts (seeded sample), sorted. */
    static double[] referenceScores(Router r, TrainingSet ts, String strong, String weak, long seed) {
        Map<String, Integer> firstRow = new LinkedHashMap<>();
        for (int i = 0; i < ts.size(); i++) {
            firstRow.putIfAbsent(ts.comparisons.get(i).prompt(), i);
        }
        int[] distinct = firstRow.values().stream().mapToInt(Integer::intValue).toArray();
        SplittableRandom rnd = new SplittableRandom(seed);
        int m = Math.min(REFERENCE_PROMPTS, distinct.length);
        for (int i = 0; i < m; i++) { // partial Fisher–Yates: the first m are a uniform sample
            int j = i + rnd.nextInt(distinct.length - i);
            int t = distinct[i];
            distinct[i] = distinct[j];
            distinct[j] = t;
        }
        double[] ref = new double[m];
        for (int k = 0; k < m; k++) {
            int i = distinct[k];
            ref[k] = r.score(new Query(ts.comparisons.get(i).prompt(), ts.embeddings[i], ts.features[i]), strong, weak);
        }
        java.util.Arrays.sort(ref);
        return ref;
    }

    /**
     * Position of {@code s} in the sorted reference scores as a fraction in (0, 1), strictly increasing in
     * {@code s}: (j + ½ + linear interpolation to the next reference score) / N between reference scores j and
     * j + 1, and a logistic approach to 0 or 1 outside their range.
     */
    static double calibrate(double s, double[] ref) {
        int n = ref.length;
        if (n == 0) {
            return s;
        }
        double edge = 0.5 / n;
        if (s < ref[0]) {
            return edge * 2 / (1 + Math.exp(ref[0] - s));
        }
        if (s >= ref[n - 1]) {
            return 1 - edge * 2 / (1 + Math.exp(s - ref[n - 1]));
        }
        int lo = 0;
        int hi = n - 1; // invariant: ref[lo] <= s < ref[hi]
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (ref[mid] <= s) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + 0.5 + (s - ref[lo]) / (ref[hi] - ref[lo])) / n;
    }

    static double[][] features(List<Comparison> cs) {
        double[][] f = new double[cs.size()][];
        for (int i = 0; i < f.length; i++) {
            f[i] = PromptFeatures.of(cs.get(i).prompt());
        }
        return f;
    }

    static TrainingSet concat(TrainingSet x, TrainingSet y) {
        List<Comparison> c = new ArrayList<>(x.comparisons);
        c.addAll(y.comparisons);
        float[][] e = new float[c.size()][];
        double[][] f = new double[c.size()][];
        System.arraycopy(x.embeddings, 0, e, 0, x.size());
        System.arraycopy(y.embeddings, 0, e, x.size(), y.size());
        System.arraycopy(x.features, 0, f, 0, x.size());
        System.arraycopy(y.features, 0, f, x.size(), y.size());
        return new TrainingSet(c, e, f);
    }
}

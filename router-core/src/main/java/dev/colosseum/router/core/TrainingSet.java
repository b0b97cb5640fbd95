package dev.colosseum.router.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Comparisons with their prompts embedded and featurised, and the models indexed. Models are ordered by a
 * plain Bradley–Terry fit on all comparisons, strongest first.
 */
public final class TrainingSet {
    public final List<Comparison> comparisons;
    public final float[][] embeddings;
    public final double[][] features;
    public final List<String> models;
    public final int[] a;
    public final int[] b;
    public final double[] y;
    public final double[] w;

    public TrainingSet(List<Comparison> comparisons, float[][] embeddings, double[][] features) {
        this.comparisons = List.copyOf(comparisons);
        this.embeddings = embeddings;
        this.features = features;
        Map<String, Integer> idx = new LinkedHashMap<>();
        for (Comparison c : comparisons) {
            idx.putIfAbsent(c.modelA(), idx.size());
            idx.putIfAbsent(c.modelB(), idx.size());
        }
        int n = comparisons.size();
        int[] ra = new int[n];
        int[] rb = new int[n];
        double[] ry = new double[n];
        double[] rw = new double[n];
        for (int i = 0; i < n; i++) {
            Comparison c = comparisons.get(i);
            ra[i] = idx.get(c.modelA());
            rb[i] = idx.get(c.modelB());
            ry[i] = c.y();
            rw[i] = c.weight();
        }
        double[] weights = new double[n];
        java.util.Arrays.fill(weights, 1.0);
        double[] theta = Bt.fit(idx.size(), ra, rb, ry, rw, 1e-6);
        List<String> names = new ArrayList<>(idx.keySet());
        Integer[] order = new Integer[names.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (p, q) -> Double.compare(theta[q], theta[p]));
        int[] remap = new int[order.length];
        List<String> sorted = new ArrayList<>();
        for (int r = 0; r < order.length; r++) {
            remap[order[r]] = r;
            sorted.add(names.get(order[r]));
        }
        for (int i = 0; i < n; i++) {
            ra[i] = remap[ra[i]];
            rb[i] = remap[rb[i]];
        }
        this.models = List.copyOf(sorted);
        this.a = ra;
        this.b = rb;
        this.y = ry;
        this.w = rw;
    }

    public int size() {
        return comparisons.size();
    }

    public int modelIndex(String m) {
        return models.indexOf(m);
    }

    /** Embeds and featurises the prompts of {@code comparisons}. */
    public static TrainingSet build(List<Comparison> comparisons, Embedder embedder, IntConsumer progress) {
        List<String> prompts = new ArrayList<>(comparisons.size());
        for (Comparison c : comparisons) {
            prompts.add(c.prompt());
        }
        Map<String, float[]> unique = new HashMap<>();
        List<String> distinct = prompts.stream().distinct().toList();
        float[][] vs = embedder.embedAll(distinct, Math.max(1, Runtime.getRuntime().availableProcessors()), progress);
        for (int i = 0; i < distinct.size(); i++) {
            unique.put(distinct.get(i), vs[i]);
        }
        float[][] e = new float[prompts.size()][];
        double[][] f = new double[prompts.size()][];
        Map<String, double[]> feats = new HashMap<>();
        for (int i = 0; i < prompts.size(); i++) {
            e[i] = unique.get(prompts.get(i));
            f[i] = feats.computeIfAbsent(prompts.get(i), PromptFeatures::of);
        }
        return new TrainingSet(comparisons, e, f);
    }

    /** Rows as a subset (shares the vectors). */
    public TrainingSet subset(int[] rows) {
        List<Comparison> c = new ArrayList<>(rows.length);
        float[][] e = new float[rows.length][];
        double[][] f = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            c.add(comparisons.get(rows[i]));
            e[i] = embeddings[rows[i]];
            f[i] = features[rows[i]];
        }
        return new TrainingSet(c, e, f);
    }
}

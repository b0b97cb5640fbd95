package dev.colosseum.router.core;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** Distinct prompt embeddings of a training set and, per comparison, the index of its prompt. */
record PromptIndex(float[][] vectors, int[] ofComparison) {
    /** Deduplicates by vector identity ({@link TrainingSet#build} shares one vector per distinct prompt). */
    static PromptIndex of(float[][] perComparison) {
        Map<float[], Integer> seen = new IdentityHashMap<>();
        List<float[]> uniq = new ArrayList<>();
        int[] idx = new int[perComparison.length];
        for (int i = 0; i < perComparison.length; i++) {
            float[] v = perComparison[i];
            Integer k = seen.get(v);
            if (k == null) {
                k = uniq.size();
                seen.put(v, k);
                uniq.add(v);
            }
            idx[i] = k;
        }
        return new PromptIndex(uniq.toArray(new float[0][]), idx);
    }

    /** Cosine similarity (dot product of normalised vectors) of q to every distinct prompt. */
    double[] similarities(float[] q) {
        double[] s = new double[vectors.length];
        for (int i = 0; i < vectors.length; i++) {
            float[] v = vectors[i];
            double d = 0;
            for (int j = 0; j < v.length; j++) {
                d += v[j] * q[j];
            }
            s[i] = d;
        }
        return s;
    }
}

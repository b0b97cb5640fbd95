package dev.colosseum.router.core;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Distinct prompt embeddings of a training set, stored row-major in one flat float array, and, per comparison,
 * the index of its prompt. Similarities are dot products of normalised vectors (cosine), computed with four
 * independent accumulators so the JIT keeps several multiply-adds in flight.
 */
final class PromptIndex {
    private final float[] flat;
    private final int dim;
    private final int size;
    private final int[] ofComparison;

    PromptIndex(float[][] vectors, int[] ofComparison) {
        this.size = vectors.length;
        this.dim = size == 0 ? 0 : vectors[0].length;
        this.flat = new float[size * dim];
        for (int i = 0; i < size; i++) {
            System.arraycopy(vectors[i], 0, flat, i * dim, dim);
        }
        this.ofComparison = ofComparison;
    }

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

    int size() {
        return size;
    }

    int[] ofComparison() {
        return ofComparison;
    }

    /** The distinct vectors as rows (copies; used for persistence). */
    float[][] vectors() {
        float[][] v = new float[size][];
        for (int i = 0; i < size; i++) {
            v[i] = java.util.Arrays.copyOfRange(flat, i * dim, (i + 1) * dim);
        }
        return v;
    }

    float[] vector(int i) {
        return java.util.Arrays.copyOfRange(flat, i * dim, (i + 1) * dim);
    }

    /** Cosine similarity of q to every distinct prompt, written into {@code out} (length ≥ size). */
    void similarities(float[] q, double[] out) {
        final float[] f = flat;
        final int d = dim;
        final int d4 = d & ~3;
        for (int i = 0, off = 0; i < size; i++, off += d) {
            float s0 = 0;
            float s1 = 0;
            float s2 = 0;
            float s3 = 0;
            int j = 0;
            for (; j < d4; j += 4) {
                s0 += f[off + j] * q[j];
                s1 += f[off + j + 1] * q[j + 1];
                s2 += f[off + j + 2] * q[j + 2];
                s3 += f[off + j + 3] * q[j + 3];
            }
            for (; j < d; j++) {
                s0 += f[off + j] * q[j];
            }
            out[i] = (s0 + s1) + (s2 + s3);
        }
    }

    double[] similarities(float[] q) {
        double[] s = new double[size];
        similarities(q, s);
        return s;
    }
}

package dev.colosseum.router.core;

import smile.math.BFGS;
import smile.math.DifferentiableMultivariateFunction;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Our router, a stacked blend of two kinds of per-prompt Bradley–Terry models over all models:
 * <ul>
 *   <li>linear (as in Prompt-to-Leaderboard): each model m has a coefficient vector β_m over
 *       x_q = [1, embedding, standardised prompt features], logit (β_a − β_b)·x_q, fitted by L-BFGS on soft
 *       labels (ties = ½) with an L2 penalty;</li>
 *   <li>nearest neighbours: for each k in {@link #DEFAULT_KS}, a similarity-weighted Bradley–Terry fit on the
 *       comparisons of the k most similar training prompts ({@link Neighbours}), logit θ_a − θ_b.</li>
 * </ul>
 * The final logit is Σ_c w_c·z_c. The blend weights w are learned inside the training data only (stacking):
 * training prompts are split at random (seeded) into 5 inner folds when there are at most
 * {@link #INNER_FOLD_MAX_COMPARISONS} comparisons, otherwise one held-out 20% of the prompts (at most
 * {@link #MAX_HELD_OUT}); for each held-out part the components are fitted on the rest, and w is the
 * ridge-logistic fit of the held-out outcomes on the held-out component logits. The components are then
 * refitted on all training data. Hyper-parameters (λ, the k values, the fold rule) are fixed a priori.
 */
public final class BestRouter implements Router {
    /** Neighbourhood sizes of the nearest-neighbour components. */
    public static final int[] DEFAULT_KS = {8, 32, 128, 512};
    /** Upper bound on the held-out prompts used to learn the blend weights of a large training set. */
    public static final int MAX_HELD_OUT = 2000;
    /** Training sets up to this many comparisons learn the blend weights by 5-fold inner cross-fitting. */
    public static final int INNER_FOLD_MAX_COMPARISONS = 10_000;

    private final List<String> models;
    private final Standardizer std;
    private final double[][] beta; // M x p
    private final PromptIndex prompts;
    private final int[] a;
    private final int[] b;
    private final double[] y;
    private final int[] ks;
    private final double[] weights; // [linear, k_1, ..., k_K]
    private final Neighbours neighbours;

    BestRouter(List<String> models, Standardizer std, double[][] beta, PromptIndex prompts, int[] a, int[] b, double[] y,
               int[] ks, double[] weights) {
        this.models = List.copyOf(models);
        this.std = std;
        this.beta = beta;
        this.prompts = prompts;
        this.a = a;
        this.b = b;
        this.y = y;
        this.ks = ks;
        this.weights = weights;
        this.neighbours = new Neighbours(prompts, a, b, y, models.size());
    }

    public static BestRouter train(TrainingSet t, double lambda, int maxIter) {
        return train(t, lambda, DEFAULT_KS, maxIter, 17);
    }

    public static BestRouter train(TrainingSet t, double lambda, int[] ks, int maxIter, long seed) {
        Standardizer std = Standardizer.fit(t.features);
        int n = t.size();
        int m = t.models.size();
        double[][] x = new double[n][];
        for (int i = 0; i < n; i++) {
            x[i] = std.design(t.embeddings[i], t.features[i]);
        }
        PromptIndex all = PromptIndex.of(t.embeddings);
        int distinct = all.size();
        int[] ofc = all.ofComparison();
        // stacking folds over distinct prompts (-1 = never held out)
        int[] foldOf = new int[distinct];
        Arrays.fill(foldOf, -1);
        int innerFolds;
        int[] perm = new int[distinct];
        for (int i = 0; i < distinct; i++) {
            perm[i] = i;
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = distinct - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int tmp = perm[i];
            perm[i] = perm[j];
            perm[j] = tmp;
        }
        if (n <= INNER_FOLD_MAX_COMPARISONS) {
            innerFolds = distinct >= 5 * 30 ? 5 : 0;
            for (int i = 0; i < distinct && innerFolds > 0; i++) {
                foldOf[perm[i]] = i % innerFolds;
            }
        } else {
            innerFolds = 1;
            int hold = Math.min(MAX_HELD_OUT, distinct / 5);
            for (int i = 0; i < hold; i++) {
                foldOf[perm[i]] = 0;
            }
        }
        double[] w;
        double[] start = null;
        int p = x[0].length;
        if (innerFolds > 0) {
            int stackRows = 0;
            for (int i = 0; i < n; i++) {
                if (foldOf[ofc[i]] >= 0) {
                    stackRows++;
                }
            }
            double[][] z = new double[stackRows][];
            double[] zy = new double[stackRows];
            double[] zw = new double[stackRows];
            int filled = 0;
            for (int f = 0; f < innerFolds; f++) {
                int nIn = 0;
                for (int i = 0; i < n; i++) {
                    if (foldOf[ofc[i]] != f) {
                        nIn++;
                    }
                }
                int[] in = new int[nIn];
                int[] out = new int[n - nIn];
                for (int i = 0, pi = 0, qi = 0; i < n; i++) {
                    if (foldOf[ofc[i]] == f) {
                        out[qi++] = i;
                    } else {
                        in[pi++] = i;
                    }
                }
                double[] th = fitLinear(x, t, in, m, lambda, maxIter, start);
                start = th;
                float[][] inVectors = new float[in.length][];
                int[] ia = new int[in.length];
                int[] ib = new int[in.length];
                double[] iy = new double[in.length];
                for (int i = 0; i < in.length; i++) {
                    inVectors[i] = t.embeddings[in[i]];
                    ia[i] = t.a[in[i]];
                    ib[i] = t.b[in[i]];
                    iy[i] = t.y[in[i]];
                }
                Neighbours nb = new Neighbours(PromptIndex.of(inVectors), ia, ib, iy, m);
                // comparisons of one prompt share its neighbours' fits
                java.util.Map<Integer, double[][]> cache = new java.util.HashMap<>();
                for (int i : out) {
                    double lin = 0;
                    int oa = t.a[i] * p;
                    int ob = t.b[i] * p;
                    for (int j = 0; j < p; j++) {
                        lin += (th[oa + j] - th[ob + j]) * x[i][j];
                    }
                    double[][] thetas = cache.computeIfAbsent(ofc[i], key -> nb.thetas(t.embeddings[i], ks));
                    double[] zi = new double[1 + ks.length];
                    zi[0] = lin;
                    for (int c = 0; c < ks.length; c++) {
                        zi[1 + c] = thetas[c][t.a[i]] - thetas[c][t.b[i]];
                    }
                    z[filled] = zi;
                    zy[filled] = t.y[i];
                    zw[filled] = t.w[i];
                    filled++;
                }
            }
            w = blend(z, zy, zw);
        } else {
            // too few prompts to hold any out: an even blend of the linear and neighbour logits
            w = new double[1 + ks.length];
            w[0] = 0.5;
            for (int c = 0; c < ks.length; c++) {
                w[1 + c] = 0.5 / ks.length;
            }
        }
        int[] allRows = new int[n];
        for (int i = 0; i < n; i++) {
            allRows[i] = i;
        }
        double[] th = fitLinear(x, t, allRows, m, lambda, maxIter, start);
        double[][] beta = new double[m][p];
        for (int r = 0; r < m; r++) {
            System.arraycopy(th, r * p, beta[r], 0, p);
        }
        return new BestRouter(t.models, std, beta, all, t.a, t.b, t.y, ks.clone(), w);
    }

    /** L-BFGS fit of the linear per-prompt Bradley–Terry coefficients (flattened M × p) on the given rows. */
    static double[] fitLinear(double[][] x, TrainingSet t, int[] rows, int m, double lambda, int maxIter, double[] start) {
        int p = x[0].length;
        double wsum = 0;
        for (int i : rows) {
            wsum += t.w[i];
        }
        final double total = wsum;
        DifferentiableMultivariateFunction f = new DifferentiableMultivariateFunction() {
            @Override
            public double f(double[] th) {
                return g(th, new double[th.length]);
            }

            @Override
            public double g(double[] th, double[] grad) {
                Arrays.fill(grad, 0);
                double loss = 0;
                for (int i : rows) {
                    int ia = t.a[i] * p;
                    int ib = t.b[i] * p;
                    double[] xi = x[i];
                    double z = 0;
                    for (int j = 0; j < p; j++) {
                        z += (th[ia + j] - th[ib + j]) * xi[j];
                    }
                    double pr = Bt.sigmoid(z);
                    double yi = t.y[i];
                    double wi = t.w[i] / total;
                    loss -= wi * (yi * Math.log(Math.max(pr, 1e-15)) + (1 - yi) * Math.log(Math.max(1 - pr, 1e-15)));
                    double r = wi * (pr - yi);
                    for (int j = 0; j < p; j++) {
                        grad[ia + j] += r * xi[j];
                        grad[ib + j] -= r * xi[j];
                    }
                }
                for (int j = 0; j < th.length; j++) {
                    loss += 0.5 * lambda * th[j] * th[j];
                    grad[j] += lambda * th[j];
                }
                return loss;
            }
        };
        double[] th = start != null ? start.clone() : new double[m * p];
        BFGS.minimize(f, 10, th, 1e-6, maxIter);
        return th;
    }

    /**
     * Blend weights: logistic regression without intercept (the logits are antisymmetric in the two models) of the
     * soft outcomes on the component logits, Newton with a small ridge.
     */
    static double[] blend(double[][] z, double[] y, double[] w) {
        int c = z[0].length;
        double[] beta = new double[c];
        double total = 0;
        for (double v : w) {
            total += v;
        }
        double ridge = 1e-3 * total;
        for (int iter = 0; iter < 100; iter++) {
            double[] g = new double[c];
            double[][] h = new double[c][c];
            for (int i = 0; i < z.length; i++) {
                double s = 0;
                for (int j = 0; j < c; j++) {
                    s += beta[j] * z[i][j];
                }
                double pr = Bt.sigmoid(s);
                double r = w[i] * (y[i] - pr);
                double v = w[i] * pr * (1 - pr);
                for (int j = 0; j < c; j++) {
                    g[j] += r * z[i][j];
                    for (int k = 0; k < c; k++) {
                        h[j][k] += v * z[i][j] * z[i][k];
                    }
                }
            }
            for (int j = 0; j < c; j++) {
                g[j] -= ridge * beta[j];
                h[j][j] += ridge;
            }
            double[] step = Bt.solve(h, g);
            double max = 0;
            for (int j = 0; j < c; j++) {
                beta[j] += step[j];
                max = Math.max(max, Math.abs(step[j]));
            }
            if (max < 1e-9) {
                break;
            }
        }
        return beta;
    }

    @Override
    public String kind() {
        return "best";
    }

    @Override
    public List<String> models() {
        return models;
    }

    /** The learned blend weights: [linear, one per neighbourhood size]. */
    public double[] blendWeights() {
        return weights.clone();
    }

    public int[] neighbourhoodSizes() {
        return ks.clone();
    }

    /** Logit of the linear per-prompt Bradley–Terry part. */
    double linearLogit(Query q, int ia, int ib) {
        double[] ba = beta[ia];
        double[] bb = beta[ib];
        float[] e = q.embedding();
        double z = ba[0] - bb[0];
        for (int j = 0; j < e.length; j++) {
            z += (ba[1 + j] - bb[1 + j]) * e[j];
        }
        double[] f = q.features();
        int off = 1 + e.length;
        for (int j = 0; j < f.length; j++) {
            z += (ba[off + j] - bb[off + j]) * ((f[j] - std.mean[j]) / std.sd[j]);
        }
        return z;
    }

    @Override
    public double winProbability(Query q, String ma, String mb) {
        int ia = models.indexOf(ma);
        int ib = models.indexOf(mb);
        if (ia < 0 || ib < 0 || ia == ib) {
            return 0.5;
        }
        double z = weights[0] * linearLogit(q, ia, ib);
        double[][] th = neighbours.thetas(q.embedding(), ks);
        for (int c = 0; c < ks.length; c++) {
            z += weights[1 + c] * (th[c][ia] - th[c][ib]);
        }
        return Bt.sigmoid(z);
    }

    @Override
    public void write(DataOutputStream out) throws IOException {
        Codec.writeStrings(out, models);
        std.write(out);
        Codec.writeMatrix(out, beta);
        Codec.writeMatrix(out, prompts.vectors());
        Codec.writeInts(out, prompts.ofComparison());
        Codec.writeInts(out, a);
        Codec.writeInts(out, b);
        Codec.writeDoubles(out, y);
        Codec.writeInts(out, ks);
        Codec.writeDoubles(out, weights);
    }

    /** Reads format 2 (stacked blend) or format 1 (one neighbourhood size k with a fixed weight). */
    static BestRouter read(DataInputStream in, int format) throws IOException {
        List<String> models = Codec.readStrings(in);
        Standardizer std = Standardizer.read(in);
        double[][] beta = Codec.readDoubleMatrix(in);
        PromptIndex p = new PromptIndex(Codec.readMatrix(in), Codec.readInts(in));
        int[] a = Codec.readInts(in);
        int[] b = Codec.readInts(in);
        double[] y = Codec.readDoubles(in);
        if (format == 1) {
            int k = in.readInt();
            double knnWeight = in.readDouble();
            return new BestRouter(models, std, beta, p, a, b, y, new int[] {k}, new double[] {1 - knnWeight, knnWeight});
        }
        return new BestRouter(models, std, beta, p, a, b, y, Codec.readInts(in), Codec.readDoubles(in));
    }
}

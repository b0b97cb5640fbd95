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
 * Our router, a stacked blend of per-prompt Bradley–Terry models over all models:
 * <ul>
 *   <li>linear (as in Prompt-to-Leaderboard): each model m has a coefficient vector β_m over
 *       x_q = [1, embedding, standardised prompt features], logit (β_a − β_b)·x_q, fitted by L-BFGS on soft
 *       labels (ties = ½) with an L2 penalty λ chosen from {@link #DEFAULT_LAMBDAS} by held-out log loss;</li>
 *   <li>features only: the same on [1, standardised prompt features] with the fixed penalty
 *       {@link #FEATURE_LAMBDA} (few parameters, so it is steadier than the linear part on small data);</li>
 *   <li>nearest neighbours: for each k in {@link #DEFAULT_KS}, a similarity-weighted Bradley–Terry fit on the
 *       comparisons of the k most similar training prompts ({@link Neighbours}), logit θ_a − θ_b;</li>
 *   <li>feature trees ({@link FeatureTrees}, format 4 on): gradient-boosted regression trees on the raw prompt
 *       features predicting the higher-ranked model's soft advantage g, logit ±log((½ + g)/(½ − g)); the number
 *       of trees is chosen from {@link FeatureTrees#TREE_COUNTS} by held-out log loss, like λ.</li>
 * </ul>
 * The final logit is Σ_c w_c·z_c with w ≥ 0. λ and w are learned inside the training data only: training
 * prompts are split at random (seeded) into 5 inner folds when there are at most
 * {@link #INNER_FOLD_MAX_COMPARISONS} comparisons, otherwise one held-out 20% of the prompts (at most
 * {@link #MAX_HELD_OUT}); for each held-out part the components are fitted on the rest (the linear one once per
 * candidate λ); λ is the candidate with the lowest held-out log loss, and w is the non-negative
 * ridge-logistic fit of the held-out outcomes on the held-out component logits. The components are then
 * refitted on all training data. The candidate grid, the k values and the fold rule are fixed a priori.
 */
public final class BestRouter implements Router {
    /** Neighbourhood sizes of the nearest-neighbour components. */
    public static final int[] DEFAULT_KS = {8, 32, 128, 512};
    /** Candidate L2 penalties of the linear component, chosen among by inner cross-fitting. */
    public static final double[] DEFAULT_LAMBDAS = {3e-3, 1e-2, 3e-2};
    /** L2 penalty of the features-only component (a priori: few parameters per model). */
    public static final double FEATURE_LAMBDA = 1e-2;
    /** Upper bound on the held-out prompts used to learn the blend weights of a large training set. */
    public static final int MAX_HELD_OUT = 2000;
    /** Training sets up to this many comparisons learn the blend weights by 5-fold inner cross-fitting. */
    public static final int INNER_FOLD_MAX_COMPARISONS = 10_000;

    private final List<String> models;
    private final Standardizer std;
    private final double[][] beta; // M x (1 + dim + features)
    private final double[][] betaF; // M x (1 + features), or null (format 1 and 2 models)
    private final double lambda;
    private final PromptIndex prompts;
    private final int[] a;
    private final int[] b;
    private final double[] y;
    private final int[] ks;
    private final double[] weights; // [linear, features only, k_1, ..., k_K] and, with trees, [..., trees]
    private final FeatureTrees trees; // null: no tree component (formats 1-3, or too little data)
    private final Neighbours neighbours;

    BestRouter(List<String> models, Standardizer std, double[][] beta, double[][] betaF, double lambda, PromptIndex prompts,
               int[] a, int[] b, double[] y, int[] ks, double[] weights) {
        this(models, std, beta, betaF, lambda, prompts, a, b, y, ks, weights, null);
    }

    BestRouter(List<String> models, Standardizer std, double[][] beta, double[][] betaF, double lambda, PromptIndex prompts,
               int[] a, int[] b, double[] y, int[] ks, double[] weights, FeatureTrees trees) {
        this.models = List.copyOf(models);
        this.std = std;
        this.beta = beta;
        this.betaF = betaF;
        this.lambda = lambda;
        this.prompts = prompts;
        this.a = a;
        this.b = b;
        this.y = y;
        this.ks = ks;
        this.weights = weights;
        this.trees = trees;
        this.neighbours = new Neighbours(prompts, a, b, y, models.size());
    }

    public static BestRouter train(TrainingSet t, int maxIter) {
        return train(t, DEFAULT_LAMBDAS, DEFAULT_KS, maxIter, 17);
    }

    /**
     * @param lambdas candidate L2 penalties of the linear component; with inner folds the one with the lowest
     *                held-out log loss is used, without them the middle one
     */
    public static BestRouter train(TrainingSet t, double[] lambdas, int[] ks, int maxIter, long seed) {
        Standardizer std = Standardizer.fit(t.features);
        int n = t.size();
        int m = t.models.size();
        double[][] x = new double[n][];
        double[][] xf = new double[n][];
        for (int i = 0; i < n; i++) {
            x[i] = std.design(t.embeddings[i], t.features[i]);
            xf[i] = std.design(NO_EMBEDDING, t.features[i]);
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
        int nl = lambdas.length;
        int components = 3 + ks.length; // [linear, features only, k_1..k_K, trees]
        int[] counts = FeatureTrees.TREE_COUNTS;
        int maxTrees = counts[counts.length - 1];
        int trees = 0; // chosen on the inner folds; without them the tree component is left out
        double[] w;
        double lambda = lambdas[nl / 2];
        double[] startLinear = null; // warm start of the final linear fit: the chosen penalty's last inner fit
        double[][] start = new double[nl][];
        double[] startF = null;
        int p = x[0].length;
        int pf = xf[0].length;
        if (innerFolds > 0) {
            int stackRows = 0;
            for (int i = 0; i < n; i++) {
                if (foldOf[ofc[i]] >= 0) {
                    stackRows++;
                }
            }
            double[][] linHeld = new double[nl][stackRows]; // held-out linear logit per candidate penalty
            double[][] treeHeld = new double[counts.length][stackRows]; // held-out tree advantage per tree count
            double[][] z = new double[stackRows][];
            double[] zy = new double[stackRows];
            double[] zw = new double[stackRows];
            int[][] zab = new int[stackRows][];
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
                double[][] th = new double[nl][];
                for (int l = nl - 1; l >= 0; l--) { // strongest penalty first, each warm-starting the next
                    th[l] = fitLinear(x, t, in, m, lambdas[l], maxIter, start[l] != null ? start[l]
                            : l + 1 < nl ? th[l + 1] : null);
                    start[l] = th[l];
                }
                double[] thf = fitLinear(xf, t, in, m, FEATURE_LAMBDA, maxIter, startF);
                startF = thf;
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
                double[][] staged = FeatureTrees.fit(t, in, maxTrees, seed + f).staged(t.features, out, counts);
                for (int c = 0; c < counts.length; c++) {
                    System.arraycopy(staged[c], 0, treeHeld[c], filled, out.length);
                }
                // comparisons of one prompt share its neighbours' fits
                java.util.Map<Integer, double[][]> cache = new java.util.HashMap<>();
                for (int i : out) {
                    for (int l = 0; l < nl; l++) {
                        linHeld[l][filled] = logit(th[l], p, t.a[i], t.b[i], x[i]);
                    }
                    double[][] thetas = cache.computeIfAbsent(ofc[i], key -> nb.thetas(t.embeddings[i], ks));
                    double[] zi = new double[components];
                    zi[1] = logit(thf, pf, t.a[i], t.b[i], xf[i]);
                    for (int c = 0; c < ks.length; c++) {
                        zi[2 + c] = thetas[c][t.a[i]] - thetas[c][t.b[i]];
                    }
                    z[filled] = zi;
                    zy[filled] = t.y[i];
                    zw[filled] = t.w[i];
                    zab[filled] = new int[] {t.a[i], t.b[i]};
                    filled++;
                }
            }
            int bestL = 0;
            double bestLoss = Double.POSITIVE_INFINITY;
            for (int l = 0; l < nl; l++) {
                double loss = logLoss(linHeld[l], zy, zw);
                if (loss < bestLoss) {
                    bestLoss = loss;
                    bestL = l;
                }
            }
            lambda = lambdas[bestL];
            int bestT = 0;
            double bestTreeLoss = Double.POSITIVE_INFINITY;
            double[] treeLogit = new double[stackRows];
            for (int c = 0; c < counts.length; c++) {
                for (int r = 0; r < stackRows; r++) {
                    treeLogit[r] = FeatureTrees.logit(treeHeld[c][r], zab[r][0], zab[r][1]);
                }
                double loss = logLoss(treeLogit, zy, zw);
                if (loss < bestTreeLoss) {
                    bestTreeLoss = loss;
                    bestT = c;
                }
            }
            trees = counts[bestT];
            for (int r = 0; r < stackRows; r++) {
                z[r][0] = linHeld[bestL][r];
                z[r][components - 1] = FeatureTrees.logit(treeHeld[bestT][r], zab[r][0], zab[r][1]);
            }
            w = blend(z, zy, zw);
            startLinear = start[bestL];
        } else {
            // too few prompts to hold any out: an even blend of the linear, feature and neighbour logits
            w = new double[components]; // the tree weight stays 0: no held-out data to fit the number of trees on
            w[0] = 0.4;
            w[1] = 0.2;
            for (int c = 0; c < ks.length; c++) {
                w[2 + c] = 0.4 / ks.length;
            }
        }
        int[] allRows = new int[n];
        for (int i = 0; i < n; i++) {
            allRows[i] = i;
        }
        double[] th = fitLinear(x, t, allRows, m, lambda, maxIter, startLinear);
        double[] thf = fitLinear(xf, t, allRows, m, FEATURE_LAMBDA, maxIter, startF);
        FeatureTrees ft = w[components - 1] > 0 ? FeatureTrees.fit(t, allRows, trees, seed) : null;
        return new BestRouter(t.models, std, unflatten(th, m, p), unflatten(thf, m, pf), lambda, all, t.a, t.b, t.y,
                ks.clone(), w, ft);
    }

    private static final float[] NO_EMBEDDING = new float[0];

    private static double[][] unflatten(double[] th, int m, int p) {
        double[][] beta = new double[m][p];
        for (int r = 0; r < m; r++) {
            System.arraycopy(th, r * p, beta[r], 0, p);
        }
        return beta;
    }

    private static double logit(double[] th, int p, int a, int b, double[] xi) {
        double z = 0;
        int oa = a * p;
        int ob = b * p;
        for (int j = 0; j < p; j++) {
            z += (th[oa + j] - th[ob + j]) * xi[j];
        }
        return z;
    }

    /** Weighted mean log loss of soft outcomes y under logits z. */
    static double logLoss(double[] z, double[] y, double[] w) {
        double loss = 0;
        double total = 0;
        for (int i = 0; i < z.length; i++) {
            double pr = Bt.sigmoid(z[i]);
            loss -= w[i] * (y[i] * Math.log(Math.max(pr, 1e-15)) + (1 - y[i]) * Math.log(Math.max(1 - pr, 1e-15)));
            total += w[i];
        }
        return loss / total;
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
     * soft outcomes on the component logits, with non-negative weights (as in Breiman's stacked regressions: the
     * components are strongly correlated, and unconstrained weights of opposite signs fit noise) and a small
     * ridge; cyclic coordinate Newton steps projected onto w ≥ 0.
     */
    static double[] blend(double[][] z, double[] y, double[] w) {
        int c = z[0].length;
        int n = z.length;
        double[] beta = new double[c];
        double total = 0;
        for (double v : w) {
            total += v;
        }
        double ridge = 1e-3 * total;
        double[] s = new double[n]; // current blended logit per row
        for (int sweep = 0; sweep < 500; sweep++) {
            double max = 0;
            for (int j = 0; j < c; j++) {
                double g = -ridge * beta[j];
                double h = ridge;
                for (int i = 0; i < n; i++) {
                    double pr = Bt.sigmoid(s[i]);
                    g += w[i] * (y[i] - pr) * z[i][j];
                    h += w[i] * pr * (1 - pr) * z[i][j] * z[i][j];
                }
                double next = Math.max(0, beta[j] + g / h);
                double step = next - beta[j];
                if (step != 0) {
                    for (int i = 0; i < n; i++) {
                        s[i] += step * z[i][j];
                    }
                    beta[j] = next;
                }
                max = Math.max(max, Math.abs(step));
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

    /** The number of trees of the tree component, 0 without one. */
    public int trees() {
        return trees == null ? 0 : trees.trees();
    }

    /** The learned blend weights: [linear, features only, one per neighbourhood size, trees (format 4 on)]. */
    public double[] blendWeights() {
        return weights.clone();
    }

    public int[] neighbourhoodSizes() {
        return ks.clone();
    }

    /** The L2 penalty of the linear component (chosen by inner cross-fitting when there were inner folds). */
    public double lambda() {
        return lambda;
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
        for (int j = 0; j < std.size(); j++) {
            z += (ba[off + j] - bb[off + j]) * ((f[j] - std.mean[j]) / std.sd[j]);
        }
        return z;
    }

    /** Logit of the features-only linear part. */
    double featureLogit(Query q, int ia, int ib) {
        if (betaF == null) {
            return 0;
        }
        double[] ba = betaF[ia];
        double[] bb = betaF[ib];
        double[] f = q.features();
        double z = ba[0] - bb[0];
        for (int j = 0; j < std.size(); j++) {
            z += (ba[1 + j] - bb[1 + j]) * ((f[j] - std.mean[j]) / std.sd[j]);
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
        double z = weights[0] * linearLogit(q, ia, ib) + weights[1] * featureLogit(q, ia, ib);
        double[][] th = neighbours.thetas(q.embedding(), ks);
        for (int c = 0; c < ks.length; c++) {
            z += weights[2 + c] * (th[c][ia] - th[c][ib]);
        }
        if (trees != null) {
            z += weights[2 + ks.length] * FeatureTrees.logit(trees.advantage(q.features()), ia, ib);
        }
        return Bt.sigmoid(z);
    }

    @Override
    public void write(DataOutputStream out) throws IOException {
        Codec.writeStrings(out, models);
        std.write(out);
        Codec.writeMatrix(out, beta);
        Codec.writeMatrix(out, betaF != null ? betaF : new double[models.size()][1 + std.size()]);
        out.writeDouble(lambda);
        Codec.writeMatrix(out, prompts.vectors());
        Codec.writeInts(out, prompts.ofComparison());
        Codec.writeInts(out, a);
        Codec.writeInts(out, b);
        Codec.writeDoubles(out, y);
        Codec.writeInts(out, ks);
        Codec.writeDoubles(out, weights);
        out.writeBoolean(trees != null);
        if (trees != null) {
            trees.write(out);
        }
    }

    /**
     * Reads format 3 (features-only component and chosen penalty), format 2 (stacked blend of linear and
     * neighbours) or format 1 (one neighbourhood size k with a fixed weight).
     */
    static BestRouter read(DataInputStream in, int format) throws IOException {
        List<String> models = Codec.readStrings(in);
        Standardizer std = Standardizer.read(in);
        double[][] beta = Codec.readDoubleMatrix(in);
        double[][] betaF = null;
        double lambda = 3e-3;
        if (format >= 3) {
            betaF = Codec.readDoubleMatrix(in);
            lambda = in.readDouble();
        }
        PromptIndex p = new PromptIndex(Codec.readMatrix(in), Codec.readInts(in));
        int[] a = Codec.readInts(in);
        int[] b = Codec.readInts(in);
        double[] y = Codec.readDoubles(in);
        if (format == 1) {
            int k = in.readInt();
            double knnWeight = in.readDouble();
            return new BestRouter(models, std, beta, null, lambda, p, a, b, y, new int[] {k},
                    new double[] {1 - knnWeight, 0, knnWeight});
        }
        int[] ks = Codec.readInts(in);
        double[] w = Codec.readDoubles(in);
        if (format == 2) { // [linear, k...] -> [linear, 0, k...]
            double[] w3 = new double[w.length + 1];
            w3[0] = w[0];
            System.arraycopy(w, 1, w3, 2, w.length - 1);
            w = w3;
        }
        FeatureTrees trees = format >= 4 && in.readBoolean() ? FeatureTrees.read(in) : null;
        return new BestRouter(models, std, beta, betaF, lambda, p, a, b, y, ks, w, trees);
    }
}

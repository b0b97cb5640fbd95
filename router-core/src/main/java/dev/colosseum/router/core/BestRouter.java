package dev.colosseum.router.core;

import smile.math.BFGS;
import smile.math.DifferentiableMultivariateFunction;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * Our router: a per-prompt Bradley–Terry model over all models (as in Prompt-to-Leaderboard): each model m has
 * a coefficient vector β_m over x_q = [1, embedding, standardised prompt features] and
 * P(a beats b | q) = σ((β_a − β_b)·x_q), fitted by L-BFGS on soft labels (ties = ½) with an L2 penalty.
 * Its logit is blended with the logit of a Bradley–Terry fit on the k nearest training prompts
 * (similarity-weighted), which adds local detail the linear model cannot express.
 */
public final class BestRouter implements Router {
    private final List<String> models;
    private final Standardizer std;
    private final double[][] beta; // M x p
    private final PromptIndex prompts;
    private final int[][] byPrompt;
    private final int[] a;
    private final int[] b;
    private final double[] y;
    private final int k;
    private final double knnWeight;

    BestRouter(List<String> models, Standardizer std, double[][] beta, PromptIndex prompts, int[] a, int[] b, double[] y,
               int k, double knnWeight) {
        this.models = List.copyOf(models);
        this.std = std;
        this.beta = beta;
        this.prompts = prompts;
        int[] count = new int[prompts.vectors().length];
        for (int p : prompts.ofComparison()) {
            count[p]++;
        }
        this.byPrompt = new int[count.length][];
        for (int p = 0; p < count.length; p++) {
            byPrompt[p] = new int[count[p]];
        }
        int[] fill = new int[count.length];
        for (int i = 0; i < prompts.ofComparison().length; i++) {
            int p = prompts.ofComparison()[i];
            byPrompt[p][fill[p]++] = i;
        }
        this.a = a;
        this.b = b;
        this.y = y;
        this.k = k;
        this.knnWeight = knnWeight;
    }

    public static BestRouter train(TrainingSet t, double lambda, int k, double knnWeight, int maxIter) {
        Standardizer std = Standardizer.fit(t.features);
        int n = t.size();
        int m = t.models.size();
        double[][] x = new double[n][];
        for (int i = 0; i < n; i++) {
            x[i] = std.design(t.embeddings[i], t.features[i]);
        }
        int p = x[0].length;
        double wsum = 0;
        for (double wi : t.w) {
            wsum += wi;
        }
        final double total = wsum;
        DifferentiableMultivariateFunction f = new DifferentiableMultivariateFunction() {
            @Override
            public double f(double[] th) {
                return g(th, new double[th.length]);
            }

            @Override
            public double g(double[] th, double[] grad) {
                java.util.Arrays.fill(grad, 0);
                double loss = 0;
                for (int i = 0; i < n; i++) {
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
        double[] th = new double[m * p];
        BFGS.minimize(f, 10, th, 1e-6, maxIter);
        double[][] beta = new double[m][p];
        for (int r = 0; r < m; r++) {
            System.arraycopy(th, r * p, beta[r], 0, p);
        }
        return new BestRouter(t.models, std, beta, PromptIndex.of(t.embeddings), t.a, t.b, t.y, k, knnWeight);
    }

    @Override
    public String kind() {
        return "best";
    }

    @Override
    public List<String> models() {
        return models;
    }

    /** Logit of the linear per-prompt Bradley–Terry part. */
    double linearLogit(Query q, int ia, int ib) {
        double[] x = std.design(q.embedding(), q.features());
        double z = 0;
        for (int j = 0; j < x.length; j++) {
            z += (beta[ia][j] - beta[ib][j]) * x[j];
        }
        return z;
    }

    /** Logit of a similarity-weighted Bradley–Terry fit on the comparisons of the k nearest training prompts. */
    double knnLogit(Query q, int ia, int ib) {
        int kk = Math.min(k, prompts.vectors().length);
        if (kk == 0) {
            return 0;
        }
        double[] sims = prompts.similarities(q.embedding());
        int[] top = topK(sims, kk);
        int m = 0;
        for (int p : top) {
            m += byPrompt[p].length;
        }
        int[] ta = new int[m];
        int[] tb = new int[m];
        double[] ty = new double[m];
        double[] tw = new double[m];
        int r = 0;
        for (int p : top) {
            for (int i : byPrompt[p]) {
                ta[r] = a[i];
                tb[r] = b[i];
                ty[r] = y[i];
                tw[r] = Math.exp(5 * sims[p]);
                r++;
            }
        }
        double[] theta = Bt.fit(models.size(), ta, tb, ty, tw, 0.05);
        return theta[ia] - theta[ib];
    }

    static int[] topK(double[] v, int k) {
        java.util.PriorityQueue<Integer> heap = new java.util.PriorityQueue<>(k, (p, q) -> Double.compare(v[p], v[q]));
        for (int i = 0; i < v.length; i++) {
            if (heap.size() < k) {
                heap.add(i);
            } else if (v[i] > v[heap.peek()]) {
                heap.poll();
                heap.add(i);
            }
        }
        int[] out = new int[heap.size()];
        for (int i = out.length - 1; i >= 0; i--) {
            out[i] = heap.poll();
        }
        return out;
    }

    @Override
    public double winProbability(Query q, String ma, String mb) {
        int ia = models.indexOf(ma);
        int ib = models.indexOf(mb);
        if (ia < 0 || ib < 0 || ia == ib) {
            return 0.5;
        }
        double z = linearLogit(q, ia, ib);
        if (knnWeight > 0) {
            z = (1 - knnWeight) * z + knnWeight * knnLogit(q, ia, ib);
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
        out.writeInt(k);
        out.writeDouble(knnWeight);
    }

    static BestRouter read(DataInputStream in) throws IOException {
        List<String> models = Codec.readStrings(in);
        Standardizer std = Standardizer.read(in);
        double[][] beta = Codec.readDoubleMatrix(in);
        PromptIndex p = new PromptIndex(Codec.readMatrix(in), Codec.readInts(in));
        return new BestRouter(models, std, beta, p, Codec.readInts(in), Codec.readInts(in), Codec.readDoubles(in),
                in.readInt(), in.readDouble());
    }
}

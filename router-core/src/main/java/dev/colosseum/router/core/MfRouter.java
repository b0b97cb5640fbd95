package dev.colosseum.router.core;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Matrix factorisation: δ(m, q) = wᵀ(v_m ⊙ W e_q), P(a beats b | q) = σ(δ(a, q) − δ(b, q)). Trained on
 * (winner, loser) pairs with ties dropped, Adam (lr 3e-4), dimension 128, Gaussian noise 0.1 on e_q.
 */
public final class MfRouter implements Router {
    public static final int DIM = 128;
    private final List<String> models;
    private final double[][] v;   // M x DIM
    private final double[][] proj; // DIM x 384
    private final double[] w;     // DIM

    MfRouter(List<String> models, double[][] v, double[][] proj, double[] w) {
        this.models = List.copyOf(models);
        this.v = v;
        this.proj = proj;
        this.w = w;
    }

    @Override
    public String kind() {
        return "mf";
    }

    @Override
    public List<String> models() {
        return models;
    }

    private double[] project(float[] e) {
        double[] z = new double[DIM];
        double[] x = new double[e.length];
        for (int j = 0; j < e.length; j++) {
            x[j] = e[j];
        }
        for (int k = 0; k < DIM; k++) {
            z[k] = dot(proj[k], x);
        }
        return z;
    }

    /**
     * Dot product with four independent partial sums: one running sum makes every multiply-add wait for the
     * previous one (the training loop's main cost); four keep several in flight.
     */
    static double dot(double[] a, double[] b) {
        int n = a.length;
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 3 < n; j += 4) {
            s0 += a[j] * b[j];
            s1 += a[j + 1] * b[j + 1];
            s2 += a[j + 2] * b[j + 2];
            s3 += a[j + 3] * b[j + 3];
        }
        for (; j < n; j++) {
            s0 += a[j] * b[j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public double winProbability(Query q, String a, String b) {
        int ia = models.indexOf(a);
        int ib = models.indexOf(b);
        if (ia < 0 || ib < 0) {
            return 0.5;
        }
        double[] z = project(q.embedding());
        double d = 0;
        for (int k = 0; k < DIM; k++) {
            d += w[k] * (v[ia][k] - v[ib][k]) * z[k];
        }
        return Bt.sigmoid(d);
    }

    /**
     * Trains with Adam for {@code epochs} passes in mini-batches of 64.
     * <p>
     * Within a mini-batch the parameters are fixed, so the batch is computed in two passes: every sample's
     * projection z_s = W x_s first, then the gradients. W is held transposed (one row of 128 per embedding
     * dimension) so both the projection and its gradient are runs of independent multiply-adds over 128
     * contiguous values, which the JIT turns into SIMD code, and four samples share each pass over W and over its
     * gradient. This is the same computation as one sample at a time (only the order of floating-point sums
     * differs); on the 100k-vote training benchmark mf went from 57 s to 22 s (load 2-3).
     */
    public static MfRouter train(TrainingSet t, int epochs, long seed, java.util.function.DoubleConsumer progress) {
        int m = t.models.size();
        int d = Embedder.DIM;
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] v = new double[m][DIM];
        double[][] pt = new double[d][DIM]; // W transposed: pt[j][k] = W[k][j]
        double[] w = new double[DIM];
        for (double[] r : v) {
            for (int k = 0; k < DIM; k++) {
                r[k] = gaussian(rnd);
            }
        }
        double sc = 1 / Math.sqrt(d);
        for (int k = 0; k < DIM; k++) {
            for (int j = 0; j < d; j++) {
                pt[j][k] = gaussian(rnd) * sc;
            }
        }
        for (int k = 0; k < DIM; k++) {
            w[k] = gaussian(rnd) / Math.sqrt(DIM);
        }
        int[] winners = new int[t.size()];
        int[] losers = new int[t.size()];
        int[] rows = new int[t.size()];
        int n = 0;
        for (int i = 0; i < t.size(); i++) {
            if (t.y[i] == 1) {
                winners[n] = t.a[i];
                losers[n] = t.b[i];
                rows[n++] = i;
            } else if (t.y[i] == 0) {
                winners[n] = t.b[i];
                losers[n] = t.a[i];
                rows[n++] = i;
            }
        }
        Adam av = new Adam(m, DIM);
        Adam ap = new Adam(d, DIM);
        Adam aw = new Adam(1, DIM);
        double lr = 3e-4;
        int batch = 64;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        double[][] gv = new double[m][DIM];
        double[][] gp = new double[d][DIM]; // same layout as pt
        double[][] gw = new double[1][DIM];
        double[][] wRow = {w};
        double[][] x = new double[batch][d];
        double[][] z = new double[batch][DIM];
        double[][] gz = new double[batch][DIM];
        double[] pair = new double[2];
        for (int ep = 0; ep < epochs; ep++) {
            for (int i = n - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int tmp = order[i];
                order[i] = order[j];
                order[j] = tmp;
            }
            for (int start = 0; start < n; start += batch) {
                int bs = Math.min(n, start + batch) - start;
                for (double[] r : gv) {
                    java.util.Arrays.fill(r, 0);
                }
                for (double[] r : gp) {
                    java.util.Arrays.fill(r, 0);
                }
                java.util.Arrays.fill(gw[0], 0);
                for (int s = 0; s < bs; s++) {
                    float[] e = t.embeddings[rows[order[start + s]]];
                    double[] xs = x[s];
                    for (int j = 0; j < d; j += 2) { // the polar method gives two independent normals per draw
                        gaussianPair(rnd, pair);
                        xs[j] = e[j] + 0.1 * pair[0];
                        if (j + 1 < d) {
                            xs[j + 1] = e[j + 1] + 0.1 * pair[1];
                        }
                    }
                }
                project(pt, x, z, bs, d);
                double inv = 1.0 / bs;
                for (int s = 0; s < bs; s++) {
                    int r = order[start + s];
                    int wi = winners[r];
                    int li = losers[r];
                    double[] vw = v[wi];
                    double[] vl = v[li];
                    double[] zs = z[s];
                    double logit = 0;
                    for (int k = 0; k < DIM; k++) {
                        logit += w[k] * (vw[k] - vl[k]) * zs[k];
                    }
                    double g = -(1 - Bt.sigmoid(logit)) * inv; // d loss / d logit
                    double[] gzs = gz[s];
                    double[] gvw = gv[wi];
                    double[] gvl = gv[li];
                    double[] gww = gw[0];
                    for (int k = 0; k < DIM; k++) {
                        double dv = vw[k] - vl[k];
                        gww[k] += g * dv * zs[k];
                        gvw[k] += g * w[k] * zs[k];
                        gvl[k] -= g * w[k] * zs[k];
                        gzs[k] = g * w[k] * dv;
                    }
                }
                projectionGradient(gp, x, gz, bs, d);
                av.step(v, gv, lr);
                ap.step(pt, gp, lr);
                aw.step(wRow, gw, lr);
            }
            if (progress != null) {
                progress.accept((ep + 1.0) / epochs);
            }
        }
        double[][] proj = new double[DIM][d];
        for (int k = 0; k < DIM; k++) {
            for (int j = 0; j < d; j++) {
                proj[k][j] = pt[j][k];
            }
        }
        return new MfRouter(t.models, v, proj, w);
    }

    /**
     * z[s] = W x[s] for s < bs, with W transposed in {@code pt}; four samples per pass over W. The inner loops
     * index every array by the same k (rows as separate arrays, not offsets into one), which C2 vectorises.
     */
    static void project(double[][] pt, double[][] x, double[][] z, int bs, int d) {
        int s = 0;
        for (; s + 3 < bs; s += 4) {
            double[] z0 = z[s];
            double[] z1 = z[s + 1];
            double[] z2 = z[s + 2];
            double[] z3 = z[s + 3];
            java.util.Arrays.fill(z0, 0);
            java.util.Arrays.fill(z1, 0);
            java.util.Arrays.fill(z2, 0);
            java.util.Arrays.fill(z3, 0);
            double[] x0 = x[s];
            double[] x1 = x[s + 1];
            double[] x2 = x[s + 2];
            double[] x3 = x[s + 3];
            for (int j = 0; j < d; j++) {
                double a0 = x0[j];
                double a1 = x1[j];
                double a2 = x2[j];
                double a3 = x3[j];
                double[] row = pt[j];
                for (int k = 0; k < DIM; k++) {
                    double pv = row[k];
                    z0[k] += a0 * pv;
                    z1[k] += a1 * pv;
                    z2[k] += a2 * pv;
                    z3[k] += a3 * pv;
                }
            }
        }
        for (; s < bs; s++) {
            double[] zs = z[s];
            java.util.Arrays.fill(zs, 0);
            double[] xs = x[s];
            for (int j = 0; j < d; j++) {
                double a0 = xs[j];
                double[] row = pt[j];
                for (int k = 0; k < DIM; k++) {
                    zs[k] += a0 * row[k];
                }
            }
        }
    }

    /** gp[j][k] += Σ_s x[s][j]·gz[s][k] over s < bs (gp in the transposed layout); four samples per pass. */
    static void projectionGradient(double[][] gp, double[][] x, double[][] gz, int bs, int d) {
        int s = 0;
        for (; s + 3 < bs; s += 4) {
            double[] g0 = gz[s];
            double[] g1 = gz[s + 1];
            double[] g2 = gz[s + 2];
            double[] g3 = gz[s + 3];
            double[] x0 = x[s];
            double[] x1 = x[s + 1];
            double[] x2 = x[s + 2];
            double[] x3 = x[s + 3];
            for (int j = 0; j < d; j++) {
                double a0 = x0[j];
                double a1 = x1[j];
                double a2 = x2[j];
                double a3 = x3[j];
                double[] row = gp[j];
                for (int k = 0; k < DIM; k++) {
                    row[k] += a0 * g0[k] + a1 * g1[k] + a2 * g2[k] + a3 * g3[k];
                }
            }
        }
        for (; s < bs; s++) {
            double[] gs = gz[s];
            double[] xs = x[s];
            for (int j = 0; j < d; j++) {
                double a0 = xs[j];
                double[] row = gp[j];
                for (int k = 0; k < DIM; k++) {
                    row[k] += a0 * gs[k];
                }
            }
        }
    }

    /** Two independent standard normals (Marsaglia's polar method: no trigonometry). */
    static void gaussianPair(SplittableRandom r, double[] out) {
        double u;
        double q;
        do {
            u = 2 * r.nextDouble() - 1;
            double u2 = 2 * r.nextDouble() - 1;
            q = u * u + u2 * u2;
            out[1] = u2;
        } while (q >= 1 || q == 0);
        double f = Math.sqrt(-2 * Math.log(q) / q);
        out[0] = u * f;
        out[1] *= f;
    }

    static double gaussian(SplittableRandom r) {
        double u = r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(Math.max(u, 1e-300))) * Math.cos(2 * Math.PI * u2);
    }

    /** Adam optimiser state over a parameter matrix, row by row (weight decay 1e-5 as in RouteLLM). */
    static final class Adam {
        final double[][] m1;
        final double[][] m2;
        int t;

        Adam(int rows, int cols) {
            m1 = new double[rows][cols];
            m2 = new double[rows][cols];
        }

        void step(double[][] params, double[][] g, double lr) {
            t++;
            double b1t = 1 - Math.pow(0.9, t);
            double b2t = 1 - Math.pow(0.999, t);
            for (int r = 0; r < params.length; r++) {
                double[] p = params[r];
                double[] gr = g[r];
                double[] a = m1[r];
                double[] b = m2[r];
                for (int c = 0; c < p.length; c++) {
                    double gi = gr[c] + 1e-5 * p[c];
                    a[c] = 0.9 * a[c] + 0.1 * gi;
                    b[c] = 0.999 * b[c] + 0.001 * gi * gi;
                    p[c] -= lr * (a[c] / b1t) / (Math.sqrt(b[c] / b2t) + 1e-8);
                }
            }
        }
    }

    @Override
    public void write(DataOutputStream out) throws IOException {
        Codec.writeStrings(out, models);
        Codec.writeMatrix(out, v);
        Codec.writeMatrix(out, proj);
        Codec.writeDoubles(out, w);
    }

    static MfRouter read(DataInputStream in) throws IOException {
        return new MfRouter(Codec.readStrings(in), Codec.readDoubleMatrix(in), Codec.readDoubleMatrix(in),
                Codec.readDoubles(in));
    }
}

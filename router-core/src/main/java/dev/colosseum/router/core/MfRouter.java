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
        for (int k = 0; k < DIM; k++) {
            double s = 0;
            double[] row = proj[k];
            for (int j = 0; j < e.length; j++) {
                s += row[j] * e[j];
            }
            z[k] = s;
        }
        return z;
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

    /** Trains with Adam for {@code epochs} passes in mini-batches of 64. */
    public static MfRouter train(TrainingSet t, int epochs, long seed, java.util.function.DoubleConsumer progress) {
        int m = t.models.size();
        int d = Embedder.DIM;
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] v = new double[m][DIM];
        double[][] p = new double[DIM][d];
        double[] w = new double[DIM];
        for (double[] r : v) {
            for (int k = 0; k < DIM; k++) {
                r[k] = gaussian(rnd);
            }
        }
        double sc = 1 / Math.sqrt(d);
        for (double[] r : p) {
            for (int j = 0; j < d; j++) {
                r[j] = gaussian(rnd) * sc;
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
        Adam av = new Adam(m * DIM);
        Adam ap = new Adam(DIM * d);
        Adam aw = new Adam(DIM);
        double lr = 3e-4;
        int batch = 64;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        double[] gv = new double[m * DIM];
        double[] gp = new double[DIM * d];
        double[] gw = new double[DIM];
        double[] x = new double[d];
        double[] z = new double[DIM];
        for (int ep = 0; ep < epochs; ep++) {
            for (int i = n - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int tmp = order[i];
                order[i] = order[j];
                order[j] = tmp;
            }
            for (int start = 0; start < n; start += batch) {
                int end = Math.min(n, start + batch);
                java.util.Arrays.fill(gv, 0);
                java.util.Arrays.fill(gp, 0);
                java.util.Arrays.fill(gw, 0);
                for (int s = start; s < end; s++) {
                    int r = order[s];
                    float[] e = t.embeddings[rows[r]];
                    for (int j = 0; j < d; j++) {
                        x[j] = e[j] + 0.1 * gaussian(rnd);
                    }
                    for (int k = 0; k < DIM; k++) {
                        double acc = 0;
                        double[] row = p[k];
                        for (int j = 0; j < d; j++) {
                            acc += row[j] * x[j];
                        }
                        z[k] = acc;
                    }
                    int wi = winners[r];
                    int li = losers[r];
                    double logit = 0;
                    for (int k = 0; k < DIM; k++) {
                        logit += w[k] * (v[wi][k] - v[li][k]) * z[k];
                    }
                    double g = -(1 - Bt.sigmoid(logit)) / (end - start); // d loss / d logit
                    for (int k = 0; k < DIM; k++) {
                        double dv = v[wi][k] - v[li][k];
                        gw[k] += g * dv * z[k];
                        gv[wi * DIM + k] += g * w[k] * z[k];
                        gv[li * DIM + k] -= g * w[k] * z[k];
                        double gz = g * w[k] * dv;
                        int off = k * d;
                        for (int j = 0; j < d; j++) {
                            gp[off + j] += gz * x[j];
                        }
                    }
                }
                av.step(v, gv, lr);
                ap.step(p, gp, lr);
                aw.step(w, gw, lr);
            }
            if (progress != null) {
                progress.accept((ep + 1.0) / epochs);
            }
        }
        return new MfRouter(t.models, v, p, w);
    }

    static double gaussian(SplittableRandom r) {
        double u = r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(Math.max(u, 1e-300))) * Math.cos(2 * Math.PI * u2);
    }

    /** Adam optimiser state over a flat parameter vector (weight decay 1e-5 as in RouteLLM). */
    static final class Adam {
        final double[] m1;
        final double[] m2;
        int t;

        Adam(int n) {
            m1 = new double[n];
            m2 = new double[n];
        }

        void step(double[][] params, double[] g, double lr) {
            t++;
            int cols = params[0].length;
            double b1t = 1 - Math.pow(0.9, t);
            double b2t = 1 - Math.pow(0.999, t);
            for (int r = 0; r < params.length; r++) {
                for (int c = 0; c < cols; c++) {
                    int i = r * cols + c;
                    double gi = g[i] + 1e-5 * params[r][c];
                    m1[i] = 0.9 * m1[i] + 0.1 * gi;
                    m2[i] = 0.999 * m2[i] + 0.001 * gi * gi;
                    params[r][c] -= lr * (m1[i] / b1t) / (Math.sqrt(m2[i] / b2t) + 1e-8);
                }
            }
        }

        void step(double[] params, double[] g, double lr) {
            step(new double[][] {params}, g, lr);
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

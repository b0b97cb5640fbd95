package dev.colosseum.router.core;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** Per-column mean and standard deviation of the prompt features, learned on training prompts. */
final class Standardizer {
    final double[] mean;
    final double[] sd;

    Standardizer(double[] mean, double[] sd) {
        this.mean = mean;
        this.sd = sd;
    }

    static Standardizer fit(double[][] rows) {
        int d = PromptFeatures.SIZE;
        double[] m = new double[d];
        double[] s = new double[d];
        for (double[] r : rows) {
            for (int j = 0; j < d; j++) {
                m[j] += r[j];
            }
        }
        for (int j = 0; j < d; j++) {
            m[j] /= Math.max(1, rows.length);
        }
        for (double[] r : rows) {
            for (int j = 0; j < d; j++) {
                s[j] += (r[j] - m[j]) * (r[j] - m[j]);
            }
        }
        for (int j = 0; j < d; j++) {
            s[j] = Math.sqrt(s[j] / Math.max(1, rows.length));
            if (s[j] < 1e-9) {
                s[j] = 1;
            }
        }
        return new Standardizer(m, s);
    }

    /** [1, embedding..., standardised features...]. */
    double[] design(float[] e, double[] f) {
        double[] x = new double[1 + e.length + f.length];
        x[0] = 1;
        for (int i = 0; i < e.length; i++) {
            x[1 + i] = e[i];
        }
        for (int j = 0; j < f.length; j++) {
            x[1 + e.length + j] = (f[j] - mean[j]) / sd[j];
        }
        return x;
    }

    void write(DataOutputStream out) throws IOException {
        Codec.writeDoubles(out, mean);
        Codec.writeDoubles(out, sd);
    }

    static Standardizer read(DataInputStream in) throws IOException {
        return new Standardizer(Codec.readDoubles(in), Codec.readDoubles(in));
    }
}

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
        int d = rows.length == 0 ? PromptFeatures.SIZE : rows[0].length;
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

    /** Number of features this standardiser was fitted on (a model saved before features were appended has fewer). */
    int size() {
        return mean.length;
    }

    /**
     * [1, embedding..., standardised features...]. Only the first {@link #size()} features are used, so a model
     * fitted before features were appended to {@link PromptFeatures} still reads the columns it was trained on.
     */
    double[] design(float[] e, double[] f) {
        int d = mean.length;
        double[] x = new double[1 + e.length + d];
        x[0] = 1;
        for (int i = 0; i < e.length; i++) {
            x[1 + i] = e[i];
        }
        for (int j = 0; j < d; j++) {
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

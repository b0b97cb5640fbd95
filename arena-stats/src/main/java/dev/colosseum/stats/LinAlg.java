package dev.colosseum.stats;

/** Small dense linear algebra on row-major square matrices (symmetric positive definite). */
final class LinAlg {
    private LinAlg() {
    }

    /** In-place Cholesky factorisation A = L L^T (lower triangle of a holds L). Returns false if not PD. */
    static boolean cholesky(double[] a, int p) {
        for (int j = 0; j < p; j++) {
            int rj = j * p;
            double d = a[rj + j];
            for (int k = 0; k < j; k++) {
                d -= a[rj + k] * a[rj + k];
            }
            if (!(d > 0)) {
                return false;
            }
            double ljj = Math.sqrt(d);
            a[rj + j] = ljj;
            double inv = 1.0 / ljj;
            for (int i = j + 1; i < p; i++) {
                int ri = i * p;
                double s = a[ri + j];
                for (int k = 0; k < j; k++) {
                    s -= a[ri + k] * a[rj + k];
                }
                a[ri + j] = s * inv;
            }
        }
        return true;
    }

    /** Solves L L^T x = b in place (b becomes x) with the factor from {@link #cholesky}. */
    static void solve(double[] l, int p, double[] b) {
        for (int i = 0; i < p; i++) {
            int ri = i * p;
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= l[ri + k] * b[k];
            }
            b[i] = s / l[ri + i];
        }
        for (int i = p - 1; i >= 0; i--) {
            double s = b[i];
            for (int k = i + 1; k < p; k++) {
                s -= l[k * p + i] * b[k];
            }
            b[i] = s / l[i * p + i];
        }
    }

    /** Inverse of an SPD matrix (a is destroyed). */
    static double[] inverse(double[] a, int p) {
        if (!cholesky(a, p)) {
            throw new ArithmeticException("matrix is not positive definite (is the comparison graph connected?)");
        }
        double[] inv = new double[p * p];
        double[] col = new double[p];
        for (int j = 0; j < p; j++) {
            java.util.Arrays.fill(col, 0);
            col[j] = 1;
            solve(a, p, col);
            for (int i = 0; i < p; i++) {
                inv[i * p + j] = col[i];
            }
        }
        return inv;
    }

    /** C = A B for p x p matrices. */
    static double[] multiply(double[] x, double[] y, int p) {
        double[] c = new double[p * p];
        for (int i = 0; i < p; i++) {
            for (int k = 0; k < p; k++) {
                double v = x[i * p + k];
                if (v == 0) {
                    continue;
                }
                int rk = k * p;
                int ri = i * p;
                for (int j = 0; j < p; j++) {
                    c[ri + j] += v * y[rk + j];
                }
            }
        }
        return c;
    }

    /** Copies the upper triangle into the lower one. */
    static void symmetrize(double[] a, int p) {
        for (int i = 0; i < p; i++) {
            for (int j = i + 1; j < p; j++) {
                a[j * p + i] = a[i * p + j];
            }
        }
    }
}

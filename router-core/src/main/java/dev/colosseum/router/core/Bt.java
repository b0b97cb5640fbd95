package dev.colosseum.router.core;

/** A small weighted Bradley–Terry fit (Newton with a ridge) used inside the routers. */
final class Bt {
    private Bt() {
    }

    /** θ per model (sum zero up to the ridge) maximising Σ w[y log σ(θa−θb) + (1−y) log σ(θb−θa)] − ridge/2 ‖θ‖². */
    static double[] fit(int m, int[] a, int[] b, double[] y, double[] w, double ridge) {
        return fit(m, a, b, y, w, a.length, ridge);
    }

    /** The same fit on the first {@code n} comparisons of the arrays. */
    static double[] fit(int m, int[] a, int[] b, double[] y, double[] w, int n, double ridge) {
        double[] theta = new double[m];
        if (m < 2) {
            return theta;
        }
        for (int iter = 0; iter < 50; iter++) {
            double[] g = new double[m];
            double[][] h = new double[m][m];
            for (int i = 0; i < n; i++) {
                double p = sigmoid(theta[a[i]] - theta[b[i]]);
                double r = w[i] * (y[i] - p);
                g[a[i]] += r;
                g[b[i]] -= r;
                double v = w[i] * p * (1 - p);
                h[a[i]][a[i]] += v;
                h[b[i]][b[i]] += v;
                h[a[i]][b[i]] -= v;
                h[b[i]][a[i]] -= v;
            }
            double total = 0;
            for (int i = 0; i < n; i++) {
                total += w[i];
            }
            double lam = ridge * Math.max(1, total);
            for (int k = 0; k < m; k++) {
                g[k] -= lam * theta[k];
                h[k][k] += lam;
            }
            double[] step = solve(h, g);
            double max = 0;
            for (int k = 0; k < m; k++) {
                theta[k] += step[k];
                max = Math.max(max, Math.abs(step[k]));
            }
            if (max < 1e-9) {
                break;
            }
        }
        return theta;
    }

    static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    /** Solves H x = g for symmetric positive definite H (Gaussian elimination with partial pivoting). */
    static double[] solve(double[][] h, double[] g) {
        int n = g.length;
        double[][] a = new double[n][n + 1];
        for (int i = 0; i < n; i++) {
            System.arraycopy(h[i], 0, a[i], 0, n);
            a[i][n] = g[i];
        }
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) {
                    piv = r;
                }
            }
            double[] t = a[c];
            a[c] = a[piv];
            a[piv] = t;
            if (Math.abs(a[c][c]) < 1e-300) {
                continue;
            }
            for (int r = c + 1; r < n; r++) {
                double f = a[r][c] / a[c][c];
                if (f != 0) {
                    for (int k = c; k <= n; k++) {
                        a[r][k] -= f * a[c][k];
                    }
                }
            }
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = a[i][n];
            for (int k = i + 1; k < n; k++) {
                s -= a[i][k] * x[k];
            }
            x[i] = Math.abs(a[i][i]) < 1e-300 ? 0 : s / a[i][i];
        }
        return x;
    }
}

package dev.colosseum.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * FastChat's optimiser path for plain BT, for exact parity with its published numbers: limited-
 * memory BFGS (10 pairs) on ratings in base-10 units r (logit = ln10 (r_a - r_b)), starting at
 * zero, on the summed weighted loss, with a Moré-Thuente line search (ftol 1e-3, gtol 0.9,
 * xtol 0.1, first step 1/||g||), stopping when max|grad| <= 1e-6, when the relative loss reduction
 * is <= 2.22e-9 (factr 1e7 times machine epsilon) or after 100 iterations. This is the
 * unconstrained case of L-BFGS-B as FastChat calls it; it stops short of the exact optimum, which
 * {@link BradleyTerry}'s Newton solver reaches.
 */
final class FastChatLbfgs {
    private static final double LN10 = Math.log(10.0);
    private static final double EPS = Math.ulp(1.0);

    private FastChatLbfgs() {
    }

    static BradleyTerry.Fit fit(PairTable t) {
        int m = t.m;
        // FastChat's model order (pd.factorize of model_a then model_b) and row order (np.unique)
        int[] order = new int[m];
        Arrays.fill(order, -1);
        int next = 0;
        for (int i = 0; i < t.n; i++) {
            if (order[t.a[i]] < 0) {
                order[t.a[i]] = next++;
            }
        }
        for (int i = 0; i < t.n; i++) {
            if (order[t.b[i]] < 0) {
                order[t.b[i]] = next++;
            }
        }
        for (int i = 0; i < m; i++) {
            if (order[i] < 0) {
                order[i] = next++;
            }
        }
        Integer[] rows = new Integer[t.n];
        for (int i = 0; i < t.n; i++) {
            rows[i] = i;
        }
        Arrays.sort(rows, (p, q) -> {
            int c = Integer.compare(order[t.a[p]], order[t.a[q]]);
            if (c != 0) {
                return c;
            }
            c = Integer.compare(order[t.b[p]], order[t.b[q]]);
            return c != 0 ? c : Double.compare(t.y[p], t.y[q]);
        });
        int n = t.n;
        int[] ra = new int[n];
        int[] rb = new int[n];
        double[] ry = new double[n];
        double[] rw = new double[n];
        for (int k = 0; k < n; k++) {
            int i = rows[k];
            ra[k] = order[t.a[i]];
            rb[k] = order[t.b[i]];
            ry[k] = t.y[i];
            rw[k] = t.count[i] * (t.omega == null ? 1.0 : t.omega[i]);
        }
        double[] x = new double[m];
        double[] g = new double[m];
        double f = lossAndGrad(x, g, ra, rb, ry, rw);
        boolean converged = max(g) <= 1e-6;
        int iter = 0;
        List<double[]> ss = new ArrayList<>();
        List<double[]> ys = new ArrayList<>();
        double[] d = new double[m];
        double tol = 1e7 * EPS;
        while (!converged) {
            direction(g, ss, ys, d);
            double dnorm = Math.sqrt(dot(d, d));
            double stp = iter == 0 ? Math.min(1.0 / dnorm, 1e10) : 1.0;
            double[] x0 = x.clone();
            double[] g0 = g.clone();
            double fold = f;
            double gd = dot(g, d);
            double gdold = gd;
            if (gd >= 0) {
                break;
            }
            LineSearch ls = new LineSearch(1e-3, 0.9, 0.1, 0.0, 1e10);
            ls.start(f, gd, stp);
            int evals = 0;
            boolean ok = true;
            while (true) {
                stp = ls.stp;
                for (int i = 0; i < m; i++) {
                    x[i] = stp == 1.0 ? x0[i] + d[i] : stp * d[i] + x0[i];
                }
                f = lossAndGrad(x, g, ra, rb, ry, rw);
                evals++;
                gd = dot(g, d);
                if (ls.iterate(f, gd)) {
                    break;
                }
                if (evals >= 20) {
                    ok = false;
                    break;
                }
            }
            iter++;
            if (!ok || iter >= 100) {
                break;
            }
            if (max(g) <= 1e-6) {
                converged = true;
                break;
            }
            if (fold - f <= tol * Math.max(Math.max(Math.abs(fold), Math.abs(f)), 1.0)) {
                converged = true;
                break;
            }
            double[] s = new double[m];
            double[] yv = new double[m];
            for (int i = 0; i < m; i++) {
                s[i] = stp * d[i];
                yv[i] = g[i] - g0[i];
            }
            double dr = (gd - gdold) * stp;
            double ddum = -gdold * stp;
            if (dr > EPS * ddum) {
                if (ss.size() == 10) {
                    ss.remove(0);
                    ys.remove(0);
                }
                ss.add(s);
                ys.add(yv);
            }
        }
        double[] theta = new double[m];
        for (int i = 0; i < m; i++) {
            theta[i] = x[order[i]] * LN10;
        }
        return new BradleyTerry.Fit(theta, new double[0], iter, converged);
    }

    private static double lossAndGrad(double[] r, double[] g, int[] a, int[] b, double[] y, double[] w) {
        Arrays.fill(g, 0);
        double loss = 0;
        for (int i = 0; i < a.length; i++) {
            double logit = LN10 * (r[a[i]] - r[b[i]]);
            double p = 1.0 / (1.0 + Math.exp(-logit));
            loss += (Math.log(p) * y[i] + Math.log(1.0 - p) * (1.0 - y[i])) * w[i];
            double gr = -LN10 * (y[i] - p) * w[i];
            g[a[i]] += gr;
            g[b[i]] -= gr;
        }
        return -loss;
    }

    /** d = -H g by the two-loop recursion with H0 = (s'y / y'y) I of the newest pair. */
    private static void direction(double[] g, List<double[]> ss, List<double[]> ys, double[] d) {
        int m = g.length;
        int k = ss.size();
        double[] q = g.clone();
        double[] al = new double[k];
        double[] rho = new double[k];
        for (int j = k - 1; j >= 0; j--) {
            rho[j] = 1.0 / dot(ys.get(j), ss.get(j));
            al[j] = rho[j] * dot(ss.get(j), q);
            double[] y = ys.get(j);
            for (int i = 0; i < m; i++) {
                q[i] -= al[j] * y[i];
            }
        }
        double h0 = k == 0 ? 1.0 : dot(ss.get(k - 1), ys.get(k - 1)) / dot(ys.get(k - 1), ys.get(k - 1));
        for (int i = 0; i < m; i++) {
            q[i] *= h0;
        }
        for (int j = 0; j < k; j++) {
            double be = rho[j] * dot(ys.get(j), q);
            double[] s = ss.get(j);
            for (int i = 0; i < m; i++) {
                q[i] += (al[j] - be) * s[i];
            }
        }
        for (int i = 0; i < m; i++) {
            d[i] = -q[i];
        }
    }

    private static double dot(double[] u, double[] v) {
        double s = 0;
        for (int i = 0; i < u.length; i++) {
            s += u[i] * v[i];
        }
        return s;
    }

    private static double max(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    /** Moré-Thuente line search (the MINPACK-2 algorithm), as a state machine. */
    static final class LineSearch {
        private final double ftol;
        private final double gtol;
        private final double xtol;
        private final double stpmin;
        private final double stpmax;
        double stp;
        private boolean brackt;
        private int stage;
        private double ginit;
        private double gtest;
        private double gx;
        private double gy;
        private double finit;
        private double fx;
        private double fy;
        private double stx;
        private double sty;
        private double stmin;
        private double stmax;
        private double width;
        private double width1;

        LineSearch(double ftol, double gtol, double xtol, double stpmin, double stpmax) {
            this.ftol = ftol;
            this.gtol = gtol;
            this.xtol = xtol;
            this.stpmin = stpmin;
            this.stpmax = stpmax;
        }

        void start(double f, double g, double stp0) {
            stp = stp0;
            brackt = false;
            stage = 1;
            finit = f;
            ginit = g;
            gtest = ftol * ginit;
            width = stpmax - stpmin;
            width1 = width / 0.5;
            stx = 0;
            fx = finit;
            gx = ginit;
            sty = 0;
            fy = finit;
            gy = ginit;
            stmin = 0;
            stmax = stp + 4.0 * stp;
        }

        /** Feeds f and g at the current stp; returns true when the search has ended. */
        boolean iterate(double f, double g) {
            double ftest = finit + stp * gtest;
            if (stage == 1 && f <= ftest && g >= 0) {
                stage = 2;
            }
            if (brackt && (stp <= stmin || stp >= stmax)) {
                return true;
            }
            if (brackt && stmax - stmin <= xtol * stmax) {
                return true;
            }
            if (stp == stpmax && f <= ftest && g <= gtest) {
                return true;
            }
            if (stp == stpmin && (f > ftest || g >= gtest)) {
                return true;
            }
            if (f <= ftest && Math.abs(g) <= gtol * (-ginit)) {
                return true;
            }
            if (stage == 1 && f <= fx && f > ftest) {
                double fm = f - stp * gtest;
                double fxm = fx - stx * gtest;
                double fym = fy - sty * gtest;
                double gm = g - gtest;
                double gxm = gx - gtest;
                double gym = gy - gtest;
                double[] st = {stx, fxm, gxm, sty, fym, gym, stp};
                step(st, fm, gm);
                stx = st[0];
                fxm = st[1];
                gxm = st[2];
                sty = st[3];
                fym = st[4];
                gym = st[5];
                stp = st[6];
                fx = fxm + stx * gtest;
                fy = fym + sty * gtest;
                gx = gxm + gtest;
                gy = gym + gtest;
            } else {
                double[] st = {stx, fx, gx, sty, fy, gy, stp};
                step(st, f, g);
                stx = st[0];
                fx = st[1];
                gx = st[2];
                sty = st[3];
                fy = st[4];
                gy = st[5];
                stp = st[6];
            }
            if (brackt) {
                if (Math.abs(sty - stx) >= 0.66 * width1) {
                    stp = stx + 0.5 * (sty - stx);
                }
                width1 = width;
                width = Math.abs(sty - stx);
            }
            if (brackt) {
                stmin = Math.min(stx, sty);
                stmax = Math.max(stx, sty);
            } else {
                stmin = stp + 1.1 * (stp - stx);
                stmax = stp + 4.0 * (stp - stx);
            }
            stp = Math.max(stp, stpmin);
            stp = Math.min(stp, stpmax);
            if (brackt && (stp <= stmin || stp >= stmax) || brackt && stmax - stmin <= xtol * stmax) {
                stp = stx;
            }
            return false;
        }

        /** The safeguarded step (MINPACK-2 dcstep); st = {stx, fx, dx, sty, fy, dy, stp}. */
        private void step(double[] st, double fp, double dp) {
            double stx = st[0];
            double fx = st[1];
            double dx = st[2];
            double sty = st[3];
            double fy = st[4];
            double dy = st[5];
            double stp = st[6];
            double sgnd = dp * (dx / Math.abs(dx));
            double stpf;
            if (fp > fx) {
                double theta = 3.0 * (fx - fp) / (stp - stx) + dx + dp;
                double s = Math.max(Math.abs(theta), Math.max(Math.abs(dx), Math.abs(dp)));
                double gamma = s * Math.sqrt((theta / s) * (theta / s) - (dx / s) * (dp / s));
                if (stp < stx) {
                    gamma = -gamma;
                }
                double p = (gamma - dx) + theta;
                double q = ((gamma - dx) + gamma) + dp;
                double r = p / q;
                double stpc = stx + r * (stp - stx);
                double stpq = stx + ((dx / ((fx - fp) / (stp - stx) + dx)) / 2.0) * (stp - stx);
                if (Math.abs(stpc - stx) < Math.abs(stpq - stx)) {
                    stpf = stpc;
                } else {
                    stpf = stpc + (stpq - stpc) / 2.0;
                }
                brackt = true;
            } else if (sgnd < 0) {
                double theta = 3.0 * (fx - fp) / (stp - stx) + dx + dp;
                double s = Math.max(Math.abs(theta), Math.max(Math.abs(dx), Math.abs(dp)));
                double gamma = s * Math.sqrt((theta / s) * (theta / s) - (dx / s) * (dp / s));
                if (stp > stx) {
                    gamma = -gamma;
                }
                double p = (gamma - dp) + theta;
                double q = ((gamma - dp) + gamma) + dx;
                double r = p / q;
                double stpc = stp + r * (stx - stp);
                double stpq = stp + (dp / (dp - dx)) * (stx - stp);
                stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
                brackt = true;
            } else if (Math.abs(dp) < Math.abs(dx)) {
                double theta = 3.0 * (fx - fp) / (stp - stx) + dx + dp;
                double s = Math.max(Math.abs(theta), Math.max(Math.abs(dx), Math.abs(dp)));
                double gamma = s * Math.sqrt(Math.max(0.0, (theta / s) * (theta / s) - (dx / s) * (dp / s)));
                if (stp > stx) {
                    gamma = -gamma;
                }
                double p = (gamma - dp) + theta;
                double q = (gamma + (dx - dp)) + gamma;
                double r = p / q;
                double stpc;
                if (r < 0 && gamma != 0) {
                    stpc = stp + r * (stx - stp);
                } else if (stp > stx) {
                    stpc = stpmax;
                } else {
                    stpc = stpmin;
                }
                double stpq = stp + (dp / (dp - dx)) * (stx - stp);
                if (brackt) {
                    stpf = Math.abs(stpc - stp) < Math.abs(stpq - stp) ? stpc : stpq;
                    if (stp > stx) {
                        stpf = Math.min(stp + 0.66 * (sty - stp), stpf);
                    } else {
                        stpf = Math.max(stp + 0.66 * (sty - stp), stpf);
                    }
                } else {
                    stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
                    stpf = Math.min(stpmax, stpf);
                    stpf = Math.max(stpmin, stpf);
                }
            } else {
                if (brackt) {
                    double theta = 3.0 * (fp - fy) / (sty - stp) + dy + dp;
                    double s = Math.max(Math.abs(theta), Math.max(Math.abs(dy), Math.abs(dp)));
                    double gamma = s * Math.sqrt((theta / s) * (theta / s) - (dy / s) * (dp / s));
                    if (stp > sty) {
                        gamma = -gamma;
                    }
                    double p = (gamma - dp) + theta;
                    double q = ((gamma - dp) + gamma) + dy;
                    double r = p / q;
                    stpf = stp + r * (sty - stp);
                } else if (stp > stx) {
                    stpf = stpmax;
                } else {
                    stpf = stpmin;
                }
            }
            if (fp > fx) {
                sty = stp;
                fy = fp;
                dy = dp;
            } else {
                if (sgnd < 0) {
                    sty = stx;
                    fy = fx;
                    dy = dx;
                }
                stx = stp;
                fx = fp;
                dx = dp;
            }
            st[0] = stx;
            st[1] = fx;
            st[2] = dx;
            st[3] = sty;
            st[4] = fy;
            st[5] = dy;
            st[6] = stpf;
        }
    }
}

package dev.colosseum.stats;

import java.util.Arrays;

/**
 * Bradley-Terry maximum likelihood by Newton's method on the full Hessian, for plain tables and
 * for style control (contextual BT: logit = theta_a - theta_b + z.gamma).
 *
 * <p>Loss = -sum_rows count * weight * [y log p + (1-y) log(1-p)] + penalty. Without a rating
 * penalty the ratings are identified by sum(theta) = 0 (mean rating 1000). Parameters are in
 * natural-log odds; {@link #toElo} gives R = 1000 + theta * 400 / ln 10.
 */
public final class BradleyTerry {
    /** Elo points per unit of theta: 400 / ln 10. */
    public static final double ELO_PER_LOGIT = 400.0 / Math.log(10.0);

    private BradleyTerry() {
    }

    /** Penalty conventions. */
    public enum Penalty {
        /** Plain maximum likelihood, ratings identified by sum zero. */
        NONE,
        /**
         * FastChat's style control: 0.25 * ||(r, gamma)||^2 added to the summed loss, with r the
         * ratings in FastChat units (theta / ln 10).
         */
        FASTCHAT,
        /** arena-rank's style control: 0.5 * ||gamma||^2 added to the mean loss; ratings unpenalised. */
        ARENA_RANK,
        /**
         * NONE plus a weak ridge 0.25 * ||theta / ln10||^2 on the summed loss (FastChat's rating
         * penalty): keeps ratings finite when the likelihood has no maximum (a model that never
         * lost or never won). {@link Ranker} switches to it when the plain fit does not converge.
         */
        NONE_RIDGE,
        /** ARENA_RANK plus the same weak rating ridge as NONE_RIDGE. */
        ARENA_RANK_RIDGE;

        /** The convention with the weak rating ridge added (FASTCHAT already has one). */
        public Penalty withRatingRidge() {
            switch (this) {
                case NONE: return NONE_RIDGE;
                case ARENA_RANK: return ARENA_RANK_RIDGE;
                default: return this;
            }
        }
    }

    /** Optimisers. */
    public enum Optimizer {
        /** Newton's method to full convergence (the default). */
        NEWTON,
        /**
         * FastChat's L-BFGS path and stopping rule (plain BT without penalty only), to reproduce
         * FastChat's published numbers digit for digit; it stops slightly short of the optimum.
         */
        FASTCHAT_LBFGS
    }

    /**
     * Fit options.
     *
     * @param penalty       penalty convention (only matters for covariates and FASTCHAT ratings)
     * @param warmStart     starting parameters (models then covariates), or null for zeros
     * @param tolerance     stop when the largest Newton step is below this (log-odds units)
     * @param maxIterations iteration cap
     * @param optimizer     NEWTON (default) or FASTCHAT_LBFGS
     */
    public record FitOptions(Penalty penalty, double[] warmStart, double tolerance, int maxIterations,
                             Optimizer optimizer) {
        public FitOptions(Penalty penalty, double[] warmStart, double tolerance, int maxIterations) {
            this(penalty, warmStart, tolerance, maxIterations, Optimizer.NEWTON);
        }

        public static FitOptions defaults() {
            return new FitOptions(Penalty.NONE, null, 1e-10, 100, Optimizer.NEWTON);
        }

        public FitOptions withPenalty(Penalty p) {
            return new FitOptions(p, warmStart, tolerance, maxIterations, optimizer);
        }

        public FitOptions withWarmStart(double[] start) {
            return new FitOptions(penalty, start, tolerance, maxIterations, optimizer);
        }

        public FitOptions withTolerance(double tol) {
            return new FitOptions(penalty, warmStart, tol, maxIterations, optimizer);
        }

        public FitOptions withOptimizer(Optimizer o) {
            return new FitOptions(penalty, warmStart, tolerance, maxIterations, o);
        }
    }

    /**
     * A fit.
     *
     * @param theta      model strengths in log-odds (index = model id of the table)
     * @param gamma      covariate coefficients (empty without covariates)
     * @param iterations Newton iterations used
     * @param converged  whether the step tolerance was reached
     */
    public record Fit(double[] theta, double[] gamma, int iterations, boolean converged) {
        /** Models then covariates, one array. */
        public double[] parameters() {
            double[] p = Arrays.copyOf(theta, theta.length + gamma.length);
            System.arraycopy(gamma, 0, p, theta.length, gamma.length);
            return p;
        }

        /** Ratings on the Elo scale: 1000 + theta * 400 / ln 10. */
        public double[] ratings() {
            return toElo(theta);
        }
    }

    /** Converts log-odds strengths to Elo-scale ratings (1000 + theta * 400 / ln 10). */
    public static double[] toElo(double[] theta) {
        double[] r = new double[theta.length];
        for (int i = 0; i < theta.length; i++) {
            r[i] = 1000.0 + theta[i] * ELO_PER_LOGIT;
        }
        return r;
    }

    /**
     * A fit together with the penalty convention it was computed under (intervals must use the same one).
     *
     * @param fit     the fit
     * @param penalty the penalty actually used
     */
    public record PenalisedFit(Fit fit, Penalty penalty) {
    }

    /**
     * Newton fit that stays finite: when the likelihood has no finite maximum (a model that never lost
     * or never won, common while an arena has few votes) the fit is redone under
     * {@link Penalty#withRatingRidge()}, FastChat's weak rating ridge.
     */
    public static PenalisedFit fitFinite(PairTable t, FitOptions o) {
        Fit fit = fit(t, o);
        Penalty penalty = o.penalty();
        if (!fit.converged() && penalty.withRatingRidge() != penalty) {
            penalty = penalty.withRatingRidge();
            fit = fit(t, new FitOptions(penalty, o.warmStart(), o.tolerance(), Math.max(200, o.maxIterations()),
                    o.optimizer()));
        }
        return new PenalisedFit(fit, penalty);
    }

    /** Plain BT fit of an aggregated table. */
    public static Fit fit(PairTable t) {
        return fit(t, FitOptions.defaults());
    }

    /** Fit with options (warm start, penalty, tolerance). */
    public static Fit fit(PairTable t, FitOptions o) {
        if (o.optimizer() == Optimizer.FASTCHAT_LBFGS) {
            if (t.f != 0 || o.penalty() == Penalty.FASTCHAT) {
                throw new IllegalArgumentException("the FastChat L-BFGS path is for plain BT only");
            }
            return FastChatLbfgs.fit(t);
        }
        return fit(t, t.count, o, new Workspace(t.parameterCount()));
    }

    /** Penalty coefficients (on the summed loss) for theta and gamma. */
    static double[] lambdas(Penalty p, double totalVotes) {
        switch (p) {
            case FASTCHAT: {
                double ln10 = Math.log(10.0);
                return new double[]{0.25 / (ln10 * ln10), 0.25};
            }
            case ARENA_RANK: return new double[]{0.0, 0.5 * totalVotes};
            case NONE_RIDGE: {
                double ln10 = Math.log(10.0);
                return new double[]{0.25 / (ln10 * ln10), 0.0};
            }
            case ARENA_RANK_RIDGE: {
                double ln10 = Math.log(10.0);
                return new double[]{0.25 / (ln10 * ln10), 0.5 * totalVotes};
            }
            default: return new double[]{0.0, 0.0};
        }
    }

    /** Scratch arrays reused across fits (one per thread). */
    static final class Workspace {
        final int p;
        final double[] h;
        final double[] g;
        final double[] step;

        Workspace(int p) {
            this.p = p;
            this.h = new double[p * p];
            this.g = new double[p];
            this.step = new double[p];
        }
    }

    /** Fit with explicit row counts (bootstrap resamples), reusing a workspace. */
    static Fit fit(PairTable t, double[] counts, FitOptions o, Workspace ws) {
        int m = t.m;
        int f = t.f;
        int p = m + f;
        double total = 0;
        for (int i = 0; i < t.n; i++) {
            total += counts[i];
        }
        double[] lam = lambdas(o.penalty(), total);
        double[] params = o.warmStart() == null ? new double[p] : Arrays.copyOf(o.warmStart(), p);
        if (lam[0] == 0) {
            center(params, m);
        }
        int it = 0;
        boolean converged = false;
        while (it < o.maxIterations()) {
            it++;
            accumulate(t, counts, params, ws.h, ws.g, false);
            // penalty gradient and Hessian
            for (int i = 0; i < p; i++) {
                double l = i < m ? lam[0] : lam[1];
                if (l != 0) {
                    ws.g[i] += 2 * l * params[i];
                    ws.h[i * p + i] += 2 * l;
                }
            }
            double ridge = 1e-9 * Math.max(1.0, total);
            for (int i = 0; i < p; i++) {
                ws.h[i * p + i] += ridge;
            }
            if (lam[0] == 0) {
                // identify the sum-zero direction: add 1 1^T on the rating block
                for (int i = 0; i < m; i++) {
                    int ri = i * p;
                    for (int j = 0; j < m; j++) {
                        ws.h[ri + j] += 1.0;
                    }
                }
            }
            if (!LinAlg.cholesky(ws.h, p)) {
                break;
            }
            for (int i = 0; i < p; i++) {
                ws.step[i] = -ws.g[i];
            }
            LinAlg.solve(ws.h, p, ws.step);
            double max = 0;
            for (int i = 0; i < p; i++) {
                max = Math.max(max, Math.abs(ws.step[i]));
            }
            double scale = max > 2.0 ? 2.0 / max : 1.0;
            for (int i = 0; i < p; i++) {
                params[i] += scale * ws.step[i];
            }
            if (lam[0] == 0) {
                center(params, m);
            }
            if (max < o.tolerance()) {
                converged = true;
                break;
            }
        }
        double[] theta = Arrays.copyOf(params, m);
        double[] gamma = Arrays.copyOfRange(params, m, p);
        return new Fit(theta, gamma, it, converged);
    }

    /**
     * Cholesky factor of the Newton matrix at {@code params} (data Hessian + penalty + tiny ridge,
     * plus 1 1^T on the ratings when they are unpenalised), for chord iterations.
     */
    static double[] newtonFactor(PairTable t, double[] counts, double[] params, Penalty penalty) {
        int m = t.m;
        int p = m + t.f;
        double total = 0;
        for (int i = 0; i < t.n; i++) {
            total += counts[i];
        }
        double[] lam = lambdas(penalty, total);
        double[] h = new double[p * p];
        accumulate(t, counts, params, h, new double[p], false);
        double ridge = 1e-9 * Math.max(1.0, total);
        for (int i = 0; i < p; i++) {
            h[i * p + i] += 2 * (i < m ? lam[0] : lam[1]) + ridge;
        }
        if (lam[0] == 0) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    h[i * p + j] += 1.0;
                }
            }
        }
        if (!LinAlg.cholesky(h, p)) {
            throw new ArithmeticException("Hessian is not positive definite");
        }
        return h;
    }

    /**
     * Chord method: Newton steps with a fixed factor (from the point estimate) and a fresh
     * gradient each pass. Converges linearly at a rate set by how much the resampled Hessian
     * differs from the point one (sampling noise), so a few cheap gradient passes suffice; falls
     * back to full Newton when it does not converge within 25 passes. {@code tol} bounds the
     * estimated remaining error (from the observed contraction rate), not just the last step.
     */
    static Fit fitChord(PairTable t, double[] counts, double[] start, double[] factor, Penalty penalty,
                        double tol, Workspace ws) {
        int m = t.m;
        int p = m + t.f;
        double total = 0;
        for (int i = 0; i < t.n; i++) {
            total += counts[i];
        }
        double[] lam = lambdas(penalty, total);
        double[] params = Arrays.copyOf(start, p);
        double prev = Double.NaN;
        for (int it = 1; it <= 25; it++) {
            gradient(t, counts, params, ws.g);
            for (int i = 0; i < p; i++) {
                double l = i < m ? lam[0] : lam[1];
                ws.step[i] = -(ws.g[i] + 2 * l * params[i]);
            }
            LinAlg.solve(factor, p, ws.step);
            double max = 0;
            for (int i = 0; i < p; i++) {
                max = Math.max(max, Math.abs(ws.step[i]));
            }
            double scale = max > 2.0 ? 2.0 / max : 1.0;
            for (int i = 0; i < p; i++) {
                params[i] += scale * ws.step[i];
            }
            if (lam[0] == 0) {
                center(params, m);
            }
            // linear convergence with observed rate rho: the remaining error is about
            // max * rho / (1 - rho); stop when that (or the step itself) is below tol
            double rho = max / prev;
            boolean done = max < tol || (rho < 0.5 && max * rho / (1 - rho) < tol);
            if (done) {
                return new Fit(Arrays.copyOf(params, m), Arrays.copyOfRange(params, m, p), it, true);
            }
            prev = max;
        }
        return fit(t, counts, new FitOptions(penalty, params, tol, 100), ws);
    }

    /** Gradient of the data loss only (one cheap pass). */
    static void gradient(PairTable t, double[] counts, double[] params, double[] g) {
        int m = t.m;
        int f = t.f;
        Arrays.fill(g, 0);
        int[] a = t.a;
        int[] b = t.b;
        double[] y = t.y;
        double[] om = t.omega;
        double[] z = t.z;
        if (f == 0) {
            for (int i = 0, n = t.n; i < n; i++) {
                double c = counts[i];
                if (c == 0) {
                    continue;
                }
                double w = om == null ? c : c * om[i];
                int ia = a[i];
                int ib = b[i];
                double r = w * (1.0 / (1.0 + Math.exp(params[ib] - params[ia])) - y[i]);
                g[ia] += r;
                g[ib] -= r;
            }
            return;
        }
        double[] gz = new double[f];
        for (int i = 0, n = t.n; i < n; i++) {
            double c = counts[i];
            if (c == 0) {
                continue;
            }
            double w = om == null ? c : c * om[i];
            int ia = a[i];
            int ib = b[i];
            double eta = params[ia] - params[ib];
            int zo = i * f;
            for (int k = 0; k < f; k++) {
                eta += z[zo + k] * params[m + k];
            }
            double r = w * (1.0 / (1.0 + Math.exp(-eta)) - y[i]);
            g[ia] += r;
            g[ib] -= r;
            for (int k = 0; k < f; k++) {
                gz[k] += r * z[zo + k];
            }
        }
        System.arraycopy(gz, 0, g, m, f);
    }

    private static void center(double[] params, int m) {
        if (m == 0) {
            return;
        }
        double s = 0;
        for (int i = 0; i < m; i++) {
            s += params[i];
        }
        s /= m;
        for (int i = 0; i < m; i++) {
            params[i] -= s;
        }
    }

    /**
     * One pass over the rows. With {@code meat == false}: gradient g and Hessian h of the data
     * loss (weights count*omega). With {@code meat == true}: h = sum count * omega^2 * (y-p)^2 x x^T
     * (the per-vote outer product of score contributions) and g untouched.
     */
    static void accumulate(PairTable t, double[] counts, double[] params, double[] h, double[] g, boolean meat) {
        int m = t.m;
        int f = t.f;
        int p = m + f;
        Arrays.fill(h, 0);
        if (!meat) {
            Arrays.fill(g, 0);
        }
        int[] a = t.a;
        int[] b = t.b;
        double[] y = t.y;
        double[] om = t.omega;
        double[] z = t.z;
        double[] zz = new double[f * f];
        for (int i = 0, n = t.n; i < n; i++) {
            double c = counts[i];
            if (c == 0) {
                continue;
            }
            double w = om == null ? c : c * om[i];
            int ia = a[i];
            int ib = b[i];
            double eta = params[ia] - params[ib];
            int zo = i * f;
            for (int k = 0; k < f; k++) {
                eta += z[zo + k] * params[m + k];
            }
            double pr = 1.0 / (1.0 + Math.exp(-eta));
            double resid = pr - y[i];
            double s;
            if (meat) {
                double wv = om == null ? 1.0 : om[i];
                s = c * wv * wv * resid * resid;
            } else {
                double r = w * resid;
                g[ia] += r;
                g[ib] -= r;
                for (int k = 0; k < f; k++) {
                    g[m + k] += r * z[zo + k];
                }
                s = w * pr * (1.0 - pr);
            }
            h[ia * p + ia] += s;
            h[ib * p + ib] += s;
            if (ia < ib) {
                h[ia * p + ib] -= s;
            } else {
                h[ib * p + ia] -= s;
            }
            if (f > 0) {
                for (int k = 0; k < f; k++) {
                    double sz = s * z[zo + k];
                    h[ia * p + m + k] += sz;
                    h[ib * p + m + k] -= sz;
                    int rk = k * f;
                    for (int l = k; l < f; l++) {
                        zz[rk + l] += sz * z[zo + l];
                    }
                }
            }
        }
        for (int k = 0; k < f; k++) {
            for (int l = k; l < f; l++) {
                h[(m + k) * p + m + l] = zz[k * f + l];
            }
        }
        LinAlg.symmetrize(h, p);
    }

    /** Negative log-likelihood (summed, weighted) of the data at the given parameters. */
    public static double loss(PairTable t, double[] params) {
        double loss = 0;
        int m = t.m;
        int f = t.f;
        for (int i = 0; i < t.n; i++) {
            double w = t.count[i] * (t.omega == null ? 1.0 : t.omega[i]);
            double eta = params[t.a[i]] - params[t.b[i]];
            for (int k = 0; k < f; k++) {
                eta += t.z[i * f + k] * params[m + k];
            }
            // log(1 + e^-eta) computed stably
            double lp = eta > 0 ? Math.log1p(Math.exp(-eta)) : -eta + Math.log1p(Math.exp(eta));
            double lq = lp + eta; // -log(1-p)
            loss += w * (t.y[i] * lp + (1 - t.y[i]) * lq);
        }
        return loss;
    }
}

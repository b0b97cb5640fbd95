package dev.colosseum.stats;

/**
 * Sandwich (robust) covariance of a BT or style-control fit: V = B^-1 G B^-1 with bread
 * B = sum count*w*p(1-p) x x^T + penalty Hessian + ridge*N on the rating diagonal, and meat
 * G = sum over votes of w^2 (y-p)^2 x x^T (x = e_a - e_b, plus z for covariates).
 */
public final class Sandwich {
    /** Default ridge per vote added to the rating diagonal of the bread (1e-5 * N). */
    public static final double DEFAULT_RIDGE = 1e-5;

    private Sandwich() {
    }

    /**
     * Covariance of all parameters (models then covariates), row-major P x P, in log-odds units.
     *
     * @param ridgePerVote ridge coefficient c: the bread gets c * N added on the rating diagonal
     */
    public static double[] covariance(PairTable t, BradleyTerry.Fit fit, BradleyTerry.Penalty penalty, double ridgePerVote) {
        int p = t.parameterCount();
        int m = t.m;
        double[] params = fit.parameters();
        double[] bread = new double[p * p];
        double[] meat = new double[p * p];
        double[] g = new double[p];
        BradleyTerry.accumulate(t, t.count, params, bread, g, false);
        BradleyTerry.accumulate(t, t.count, params, meat, g, true);
        double[] lam = BradleyTerry.lambdas(penalty, t.totalVotes);
        for (int i = 0; i < p; i++) {
            double l = i < m ? lam[0] : lam[1];
            bread[i * p + i] += 2 * l;
            if (i < m && lam[0] == 0) {
                bread[i * p + i] += ridgePerVote * t.totalVotes;
            }
        }
        double[] inv = LinAlg.inverse(bread, p);
        return LinAlg.multiply(LinAlg.multiply(inv, meat, p), inv, p);
    }

    /** Covariance with the default ridge. */
    public static double[] covariance(PairTable t, BradleyTerry.Fit fit, BradleyTerry.Penalty penalty) {
        return covariance(t, fit, penalty, DEFAULT_RIDGE);
    }
}

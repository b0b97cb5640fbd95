package dev.colosseum.stats;

import java.util.SplittableRandom;

/** Synthetic arena with a known truth: BT strengths, ties that keep E[y] = sigma(diff), optional style. */
final class Simulator {
    final double[] theta;
    final double[] gamma;
    final SplittableRandom rnd;

    Simulator(int models, double spread, double[] gamma, long seed) {
        this.rnd = new SplittableRandom(seed);
        this.theta = new double[models];
        double mean = 0;
        for (int i = 0; i < models; i++) {
            theta[i] = spread * gaussian();
            mean += theta[i];
        }
        mean /= models;
        for (int i = 0; i < models; i++) {
            theta[i] -= mean; // sum-zero truth, as the fit identifies it
        }
        this.gamma = gamma == null ? new double[0] : gamma;
    }

    double gaussian() {
        double u = rnd.nextDouble();
        double v = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }

    static String name(int i) {
        return "m" + i;
    }

    private Outcome draw(double logit) {
        double p = 1.0 / (1.0 + Math.exp(-logit));
        double tie = 0.6 * Math.min(p, 1 - p);
        double u = rnd.nextDouble();
        if (u < p - tie / 2) {
            return Outcome.MODEL_A;
        }
        if (u < p + tie / 2) {
            return rnd.nextBoolean() ? Outcome.TIE : Outcome.TIE_BOTHBAD;
        }
        return Outcome.MODEL_B;
    }

    /** Plain BT battles between uniformly random pairs. */
    BattleSet battles(int n) {
        BattleSet.Builder b = BattleSet.builder();
        for (int i = 0; i < theta.length; i++) {
            b.model(name(i));
        }
        int m = theta.length;
        for (int k = 0; k < n; k++) {
            int a = rnd.nextInt(m);
            int c = rnd.nextInt(m - 1);
            if (c >= a) {
                c++;
            }
            b.add(a, c, draw(theta[a] - theta[c]), k);
        }
        return b.build();
    }

    /**
     * Battles with the four standard style features; outcomes follow theta_a - theta_b + z.gamma
     * where z is computed from the features exactly as PairTable.withStyle does.
     */
    BattleSet styledBattles(int n) {
        int m = theta.length;
        int[] as = new int[n];
        int[] bs = new int[n];
        double[][] fa = new double[n][4];
        double[][] fb = new double[n][4];
        for (int k = 0; k < n; k++) {
            as[k] = rnd.nextInt(m);
            int c = rnd.nextInt(m - 1);
            bs[k] = c >= as[k] ? c + 1 : c;
            fa[k] = features();
            fb[k] = features();
        }
        double[][] z = new double[n][4];
        for (int f = 0; f < 4; f++) {
            double sum = 0;
            for (int k = 0; k < n; k++) {
                z[k][f] = (fa[k][f] - fb[k][f]) / (fa[k][f] + fb[k][f] + 1);
                sum += z[k][f];
            }
            double mu = sum / n;
            double ss = 0;
            for (int k = 0; k < n; k++) {
                ss += (z[k][f] - mu) * (z[k][f] - mu);
            }
            double sd = Math.sqrt(ss / n);
            for (int k = 0; k < n; k++) {
                z[k][f] = (z[k][f] - mu) / sd;
            }
        }
        BattleSet.Builder b = BattleSet.builder();
        for (int i = 0; i < m; i++) {
            b.model(name(i));
        }
        for (int k = 0; k < n; k++) {
            double logit = theta[as[k]] - theta[bs[k]];
            for (int f = 0; f < 4; f++) {
                logit += gamma[f] * z[k][f];
            }
            int row = b.add(as[k], bs[k], draw(logit), k);
            b.setStyle(row, new StyleFeatures(fa[k][0], fa[k][1], fa[k][2], fa[k][3]),
                    new StyleFeatures(fb[k][0], fb[k][1], fb[k][2], fb[k][3]));
        }
        return b.build();
    }

    private double[] features() {
        return new double[]{
            Math.floor(Math.exp(5.5 + 0.8 * gaussian())),
            rnd.nextInt(6),
            rnd.nextInt(15),
            rnd.nextInt(10)
        };
    }
}

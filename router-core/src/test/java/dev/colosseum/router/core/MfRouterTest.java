package dev.colosseum.router.core;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The matrix-factorisation router's blocked training kernels compute what the one-sample-at-a-time loops did. */
class MfRouterTest {
    @Test
    void blockedProjectionAndGradientMatchTheNaiveSums() {
        SplittableRandom r = new SplittableRandom(11);
        int d = 37; // not a multiple of anything the kernels unroll by
        int dim = MfRouter.DIM;
        double[][] w = new double[dim][d]; // W as the saved model holds it
        double[][] pt = new double[d][dim];
        for (int k = 0; k < dim; k++) {
            for (int j = 0; j < d; j++) {
                w[k][j] = r.nextDouble() - 0.5;
                pt[j][k] = w[k][j];
            }
        }
        for (int bs : new int[] {1, 4, 7, 64}) { // the four-sample blocks and the remainder
            double[][] x = new double[bs][d];
            double[][] gz = new double[bs][dim];
            for (int s = 0; s < bs; s++) {
                for (int j = 0; j < d; j++) {
                    x[s][j] = r.nextDouble() - 0.5;
                }
                for (int k = 0; k < dim; k++) {
                    gz[s][k] = r.nextDouble() - 0.5;
                }
            }
            double[][] z = new double[bs][dim];
            for (double[] row : z) {
                java.util.Arrays.fill(row, 99); // stale values from a previous batch must be overwritten
            }
            MfRouter.project(pt, x, z, bs, d);
            double[][] gp = new double[d][dim];
            MfRouter.projectionGradient(gp, x, gz, bs, d);
            for (int s = 0; s < bs; s++) {
                for (int k = 0; k < dim; k++) {
                    double expect = 0;
                    for (int j = 0; j < d; j++) {
                        expect += w[k][j] * x[s][j];
                    }
                    assertEquals(expect, z[s][k], 1e-12, "z bs=" + bs);
                }
            }
            for (int j = 0; j < d; j++) {
                for (int k = 0; k < dim; k++) {
                    double expect = 0;
                    for (int s = 0; s < bs; s++) {
                        expect += x[s][j] * gz[s][k];
                    }
                    assertEquals(expect, gp[j][k], 1e-12, "gp bs=" + bs);
                }
            }
        }
    }

    @Test
    void adamStepIsTheTextbookUpdate() {
        MfRouter.Adam a = new MfRouter.Adam(2, 3);
        double[][] p = {{1, -2, 0.5}, {0, 3, -1}};
        double[][] g = {{0.1, -0.2, 0.3}, {0.0, 1.0, -0.5}};
        double[][] expect = new double[2][3];
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 3; c++) {
                double gi = g[r][c] + 1e-5 * p[r][c];
                double m1 = 0.1 * gi;
                double m2 = 0.001 * gi * gi;
                expect[r][c] = p[r][c] - 0.01 * (m1 / 0.1) / (Math.sqrt(m2 / 0.001) + 1e-8);
            }
        }
        a.step(p, g, 0.01);
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(expect[r][c], p[r][c], 1e-12);
            }
        }
    }

    @Test
    void gaussianPairsAreStandardNormalAndUncorrelated() {
        SplittableRandom r = new SplittableRandom(2);
        double[] pair = new double[2];
        int n = 200_000;
        double s0 = 0;
        double s1 = 0;
        double q0 = 0;
        double q1 = 0;
        double c = 0;
        for (int i = 0; i < n; i++) {
            MfRouter.gaussianPair(r, pair);
            s0 += pair[0];
            s1 += pair[1];
            q0 += pair[0] * pair[0];
            q1 += pair[1] * pair[1];
            c += pair[0] * pair[1];
        }
        assertEquals(0, s0 / n, 0.01);
        assertEquals(0, s1 / n, 0.01);
        assertEquals(1, q0 / n, 0.01);
        assertEquals(1, q1 / n, 0.01);
        assertEquals(0, c / n, 0.01);
    }
}

package dev.colosseum.stats;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PairTableCountsTest {

    /** The rows of aggregate(set), re-entered through ofCounts in reverse order. */
    private static PairTable reversedCopy(PairTable agg, boolean ipw) {
        int n = agg.rows();
        int[] a = new int[n];
        int[] b = new int[n];
        double[] y = new double[n];
        double[] c = new double[n];
        for (int r = 0; r < n; r++) {
            int s = n - 1 - r;
            a[r] = agg.a(s);
            b[r] = agg.b(s);
            y[r] = agg.y(s);
            c[r] = agg.count(s);
        }
        return PairTable.ofCounts(agg.models(), a, b, y, c, ipw);
    }

    @Test
    void ofCountsGivesTheSameFitSandwichAndBootstrapAsAggregate() {
        BattleSet set = new Simulator(8, 0.6, null, 7).battles(5000);
        PairTable agg = PairTable.aggregate(set);
        PairTable counts = reversedCopy(agg, false);
        assertEquals(agg.totalVotes(), counts.totalVotes(), 0);
        BradleyTerry.Fit f1 = BradleyTerry.fit(agg);
        BradleyTerry.Fit f2 = BradleyTerry.fit(counts);
        double[] v1 = Sandwich.covariance(agg, f1, BradleyTerry.Penalty.NONE);
        double[] v2 = Sandwich.covariance(counts, f2, BradleyTerry.Penalty.NONE);
        for (int i = 0; i < 8; i++) {
            assertEquals(f1.theta()[i], f2.theta()[i], 1e-9);
        }
        for (int i = 0; i < v1.length; i++) {
            assertEquals(v1[i], v2[i], 1e-7 * Math.abs(v1[i]) + 1e-14);
        }
        // warm start from a perturbed solution converges to the same optimum
        double[] start = f1.theta().clone();
        start[0] += 0.3;
        start[1] -= 0.3;
        BradleyTerry.Fit warm = BradleyTerry.fit(counts, BradleyTerry.FitOptions.defaults().withWarmStart(start));
        for (int i = 0; i < 8; i++) {
            assertEquals(f1.theta()[i], warm.theta()[i], 1e-9);
        }
        // bootstrap over the same rows in the same order draws the same replicates
        PairTable same = PairTable.ofCounts(agg.models(), rows(agg, 0), rows(agg, 1), ys(agg), counts(agg));
        double[][] r1 = Bootstrap.replicates(agg, f1, BradleyTerry.Penalty.NONE, 5, 3, 1);
        double[][] r2 = Bootstrap.replicates(same, f1, BradleyTerry.Penalty.NONE, 5, 3, 1);
        for (int r = 0; r < 5; r++) {
            for (int i = 0; i < 8; i++) {
                assertEquals(r1[r][i], r2[r][i], 1e-12);
            }
        }
    }

    @Test
    void inversePropensityWeightsMatchAggregate() {
        BattleSet set = new Simulator(5, 0.5, null, 11).battles(3000);
        PairTable agg = PairTable.aggregate(set, true);
        PairTable counts = reversedCopy(agg, true);
        for (int r = 0; r < agg.rows(); r++) {
            assertEquals(agg.weight(r), counts.weight(agg.rows() - 1 - r), 0);
        }
        BradleyTerry.Fit f1 = BradleyTerry.fit(agg);
        BradleyTerry.Fit f2 = BradleyTerry.fit(counts);
        for (int i = 0; i < 5; i++) {
            assertEquals(f1.theta()[i], f2.theta()[i], 1e-9);
        }
    }

    @Test
    void badRowsAreRejected() {
        List<String> m = List.of("x", "y");
        assertThrows(IllegalArgumentException.class,
                () -> PairTable.ofCounts(m, new int[]{0}, new int[]{0}, new double[]{1}, new double[]{1}));
        assertThrows(IllegalArgumentException.class,
                () -> PairTable.ofCounts(m, new int[]{0}, new int[]{2}, new double[]{1}, new double[]{1}));
        assertThrows(IllegalArgumentException.class,
                () -> PairTable.ofCounts(m, new int[]{0}, new int[]{1}, new double[]{0.7}, new double[]{1}));
        assertThrows(IllegalArgumentException.class,
                () -> PairTable.ofCounts(m, new int[]{0}, new int[]{1}, new double[]{1}, new double[]{-1}));
        assertThrows(IllegalArgumentException.class,
                () -> PairTable.ofCounts(m, new int[]{0, 1}, new int[]{1}, new double[]{1}, new double[]{1}));
    }

    @Test
    void fixedOpponentFitRecoversTheFullFitAndItsVariance() {
        BattleSet set = new Simulator(6, 0.5, null, 5).battles(20000);
        PairTable agg = PairTable.aggregate(set);
        BradleyTerry.Fit full = BradleyTerry.fit(agg);
        // with opponents at the joint MLE, the one-parameter MLE is the joint MLE (its score is zero)
        FixedOpponentFit.Result r = FixedOpponentFit.fit(agg, 2, full.theta(), 0.0);
        assertEquals(full.theta()[2], r.theta(), 1e-8);
        assertTrue(r.finite());
        double votes = 0;
        double h = 0;
        double meat = 0;
        for (int i = 0; i < set.size(); i++) {
            boolean isA = set.modelA(i) == 2;
            if (!isA && set.modelB(i) != 2) {
                continue;
            }
            votes++;
            double opp = full.theta()[isA ? set.modelB(i) : set.modelA(i)];
            double p = 1 / (1 + Math.exp(-(r.theta() - opp)));
            double yy = isA ? set.y(i) : 1 - set.y(i);
            h += p * (1 - p);
            meat += (yy - p) * (yy - p);
        }
        assertEquals(votes, r.votes(), 0);
        assertEquals(meat / (h * h), r.variance(), 1e-12);
        // a different subset gives a different, still finite, answer; the variance shrinks with more votes
        PairTable half = PairTable.aggregate(set.select(java.util.stream.IntStream.range(0, 10000).toArray()));
        FixedOpponentFit.Result rh = FixedOpponentFit.fit(half, 2, full.theta(), 0.0);
        assertTrue(rh.finite());
        assertTrue(rh.variance() > r.variance());
    }

    @Test
    void fixedOpponentFitIsNaNWithoutAFiniteMaximum() {
        List<String> m = List.of("x", "y", "z");
        PairTable allWon = PairTable.ofCounts(m, new int[]{0, 2}, new int[]{1, 0}, new double[]{1, 0}, new double[]{4, 3});
        FixedOpponentFit.Result r = FixedOpponentFit.fit(allWon, 0, new double[]{0, 0, 0}, 0);
        assertTrue(Double.isNaN(r.theta()));
        assertEquals(7, r.votes(), 0);
        FixedOpponentFit.Result allLost = FixedOpponentFit.fit(allWon, 1, new double[]{0, 0, 0}, 0);
        assertTrue(Double.isNaN(allLost.theta()));
        assertEquals(4, allLost.votes(), 0);
        PairTable none = PairTable.ofCounts(m, new int[]{0}, new int[]{2}, new double[]{0.5}, new double[]{2});
        assertEquals(0, FixedOpponentFit.fit(none, 1, new double[]{0, 0, 0}, 0).votes(), 0);
    }

    private static int[] rows(PairTable t, int side) {
        int[] out = new int[t.rows()];
        for (int r = 0; r < t.rows(); r++) {
            out[r] = side == 0 ? t.a(r) : t.b(r);
        }
        return out;
    }

    private static double[] ys(PairTable t) {
        double[] out = new double[t.rows()];
        for (int r = 0; r < t.rows(); r++) {
            out[r] = t.y(r);
        }
        return out;
    }

    private static double[] counts(PairTable t) {
        double[] out = new double[t.rows()];
        for (int r = 0; r < t.rows(); r++) {
            out[r] = t.count(r);
        }
        return out;
    }
}

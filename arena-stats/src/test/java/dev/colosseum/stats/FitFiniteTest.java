package dev.colosseum.stats;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FitFiniteTest {
    @Test
    void aModelThatNeverLostGetsAFiniteRatingAndARealInterval() {
        // one vote: x beat y. The plain likelihood has no finite maximum.
        PairTable t = PairTable.ofCounts(List.of("x", "y"), new int[]{0}, new int[]{1}, new double[]{1.0},
                new double[]{1.0});
        BradleyTerry.Fit plain = BradleyTerry.fit(t);
        assertFalse(plain.converged(), "plain fit runs off to infinity");

        BradleyTerry.PenalisedFit finite = BradleyTerry.fitFinite(t, BradleyTerry.FitOptions.defaults());
        assertTrue(finite.fit().converged());
        assertEquals(BradleyTerry.Penalty.NONE_RIDGE, finite.penalty());
        double[] r = finite.fit().ratings();
        assertTrue(r[0] > 1000 && r[0] < 1500, "x rated above the mean but finite: " + r[0]);
        assertEquals(2000.0, r[0] + r[1], 1e-6, "sum-zero identification");
        double[] v = Sandwich.covariance(t, finite.fit(), finite.penalty());
        assertTrue(v[0] > 0 && Double.isFinite(v[0]), "interval has a width");
    }

    @Test
    void aFiniteMaximumKeepsThePlainFit() {
        PairTable t = PairTable.ofCounts(List.of("x", "y"), new int[]{0, 0}, new int[]{1, 1}, new double[]{1.0, 0.0},
                new double[]{3.0, 1.0});
        BradleyTerry.PenalisedFit finite = BradleyTerry.fitFinite(t, BradleyTerry.FitOptions.defaults());
        assertEquals(BradleyTerry.Penalty.NONE, finite.penalty());
        // 3 wins, 1 loss: theta_x - theta_y = ln 3
        assertEquals(Math.log(3), finite.fit().theta()[0] - finite.fit().theta()[1], 1e-9);
    }
}

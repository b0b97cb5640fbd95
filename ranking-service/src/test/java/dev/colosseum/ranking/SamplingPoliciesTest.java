package dev.colosseum.ranking;

import dev.colosseum.ranking.service.CiMethod;
import dev.colosseum.ranking.service.FitResult;
import dev.colosseum.ranking.service.PairTable;
import dev.colosseum.ranking.service.SamplingPolicies;
import dev.colosseum.ranking.service.StatsEngine;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The active sampling policies as pure functions on a real arena-stats fit. */
class SamplingPoliciesTest {

    /** a ≈ b ≈ c, d far weaker; pair rows with counts that match those strengths. */
    private static FitResult fit() {
        List<String> models = List.of("a", "b", "c", "d");
        int[] a = {0, 0, 1, 1, 0, 0, 2, 2, 0, 0, 1, 1, 2, 2, 0, 1, 2};
        int[] b = {1, 1, 2, 2, 2, 2, 1, 1, 3, 3, 3, 3, 3, 3, 1, 2, 0};
        double[] y = {1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0.5, 0.5, 0.5};
        double[] c = {55, 45, 50, 50, 52, 48, 49, 51, 98, 2, 97, 3, 99, 1, 5, 5, 5};
        PairTable t = new PairTable(models, a, b, y, c, 815, new long[]{500, 500, 500, 300}, 1);
        return StatsEngine.fitPlain(t, new StatsEngine.CiSpec(CiMethod.SANDWICH, 0, 0, null, 1000), null);
    }

    private static Map<String, Double> byPair(SamplingWeights w) {
        return w.pairs().stream().collect(Collectors.toMap(p -> p.modelA() + "-" + p.modelB(), PairWeight::weight));
    }

    @Test
    void greedyDesignPlacesItsBudgetOnInformativePairsAndSkipsOutages() {
        FitResult fit = fit();
        List<SamplingPolicies.Candidate> cands = List.of(
                new SamplingPolicies.Candidate("a", 1, false, 500, fit.ratings()[0]),
                new SamplingPolicies.Candidate("b", 1, false, 500, fit.ratings()[1]),
                new SamplingPolicies.Candidate("c", 1, false, 500, fit.ratings()[2]),
                new SamplingPolicies.Candidate("d", 1, false, 300, fit.ratings()[3]));
        SamplingWeights w = SamplingPolicies.active(cands, fit, 200);
        assertEquals("active", w.policy());
        Map<String, Double> p = byPair(w);
        assertEquals(200.0, p.values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
        assertTrue(p.values().stream().allMatch(x -> x >= 0 && x == Math.rint(x)), "weights are virtual-vote counts");
        // d is the least measured model: the design spends votes on it
        double onD = p.get("a-d") + p.get("b-d") + p.get("c-d");
        assertTrue(onD > 0, "votes for the least measured model: " + p);

        List<SamplingPolicies.Candidate> outage = List.of(cands.get(0), cands.get(1), cands.get(2),
                new SamplingPolicies.Candidate("d", 1, true, 300, fit.ratings()[3]));
        Map<String, Double> po = byPair(SamplingPolicies.active(outage, fit, 200));
        assertEquals(0.0, po.get("a-d") + po.get("b-d") + po.get("c-d"), 0);
        assertEquals(200.0, po.values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);

        // eq. 9 keeps every pair positive and is proportional, not a design
        SamplingWeights eq9 = SamplingPolicies.activeEq9(cands, fit);
        assertEquals("active-eq9", eq9.policy());
        assertTrue(eq9.pairs().stream().allMatch(x -> x.weight() > 0));

        // no fit yet: every pair weighs 1
        SamplingWeights none = SamplingPolicies.active(cands, null, 200);
        assertTrue(none.pairs().stream().allMatch(x -> x.weight() == 1.0));
    }

    @Test
    void tieRatesAreShrunkTowardsTheOverallRateAndUnknownTiesLeaveTheDesignAsItIs() {
        int m = 3;
        long[] ties = new long[m * m];
        long[] votes = new long[m * m];
        ties[0 * m + 1] = 40;   // a-b: 40 ties in 100 votes
        votes[0 * m + 1] = 100;
        votes[0 * m + 2] = 100; // a-c: no ties
        // overall 40 / 200 = 0.2; prior of TIE_PRIOR votes at that rate
        double k = SamplingPolicies.TIE_PRIOR;
        double[] rate = SamplingPolicies.shrunkTieRates(ties, votes, m);
        assertEquals((40 + k * 0.2) / (100 + k), rate[0 * m + 1], 1e-12);
        assertEquals((0 + k * 0.2) / (100 + k), rate[0 * m + 2], 1e-12);
        assertEquals(0.2, rate[1 * m + 2], 1e-12, "a pair without votes takes the overall rate");
        assertTrue(Double.isNaN(SamplingPolicies.shrunkTieRates(new long[m * m], new long[m * m], m)[1]));

        FitResult fit = fit();
        List<SamplingPolicies.Candidate> cands = List.of(
                new SamplingPolicies.Candidate("a", 1, false, 500, fit.ratings()[0]),
                new SamplingPolicies.Candidate("b", 1, false, 500, fit.ratings()[1]),
                new SamplingPolicies.Candidate("c", 1, false, 500, fit.ratings()[2]),
                new SamplingPolicies.Candidate("d", 1, false, 300, fit.ratings()[3]));
        double[] unknown = new double[16];
        java.util.Arrays.fill(unknown, Double.NaN);
        assertEquals(byPair(SamplingPolicies.active(cands, fit, 200)), byPair(SamplingPolicies.active(cands, fit, 200, unknown)));
        // a pair whose votes are mostly ties carries more information per vote for the half-win fit
        // (h² / (h − t/4) instead of h), so the design changes there and still spends its whole budget
        double[] tieHeavy = unknown.clone();
        tieHeavy[0 * 4 + 1] = 0.6;
        Map<String, Double> plain = byPair(SamplingPolicies.active(cands, fit, 200));
        Map<String, Double> aware = byPair(SamplingPolicies.active(cands, fit, 200, tieHeavy));
        assertEquals(200.0, aware.values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
        assertNotEquals(plain.get("a-b"), aware.get("a-b"), plain + " vs " + aware);
    }
}

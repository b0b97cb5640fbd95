package dev.colosseum.router.core;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouteLlmEvaluationTest {
    @Test
    void oracleRandomAndInverseScoresBracketApgr() {
        int n = 1000;
        double[] s = new double[n];
        double[] w = new double[n];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < n; i++) {
            s[i] = r.nextDouble() < 0.8 ? 1 : 0;
            w[i] = r.nextDouble() < 0.6 ? 1 : 0;
        }
        double[] oracle = new double[n];
        double[] inverse = new double[n];
        double[] random = new double[n];
        for (int i = 0; i < n; i++) {
            oracle[i] = s[i] - w[i] + 1e-6 * i;
            inverse[i] = -oracle[i];
            random[i] = r.nextDouble();
        }
        RouteLlmEvaluation.Result o = RouteLlmEvaluation.evaluate("oracle", oracle, s, w, 1);
        RouteLlmEvaluation.Result x = RouteLlmEvaluation.evaluate("random", random, s, w, 1);
        RouteLlmEvaluation.Result v = RouteLlmEvaluation.evaluate("inverse", inverse, s, w, 1);
        assertTrue(o.apgr() > 0.9, "oracle " + o.apgr());
        assertEquals(0.5, x.apgr(), 0.08);
        assertTrue(v.apgr() < 0.2, "inverse " + v.apgr());
        assertEquals(11, o.points().size());
        // the last point sends everything to the strong model, the first only the top prompt
        assertEquals(100.0, o.points().get(10).strongPercent(), 1e-9);
        assertEquals(0.1, o.points().get(0).strongPercent(), 1e-9);
        assertEquals(o.strongQuality(), o.points().get(10).quality(), 1e-12);
        assertTrue(o.cpt50() < x.cpt50());
    }

    @Test
    void hand_computedCurve() {
        // 11 prompts; the strong model helps exactly on the 3 highest-scored prompts
        double[] score = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        double[] s = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
        double[] w = {1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0};
        RouteLlmEvaluation.Result r = RouteLlmEvaluation.evaluate("x", score, s, w, 1);
        // thresholds are the score deciles 0,1,...,10; at threshold 8 three prompts go strong → quality 1
        RouteLlmEvaluation.Point p = r.points().get(2);
        assertEquals(300.0 / 11, p.strongPercent(), 1e-9);
        assertEquals(1.0, p.quality(), 1e-12);
        // CPT(50%): target 8/11 + 0.5·3/11 = 9.5/11 lies between 1/11 strong calls (quality 9/11) and 2/11 (10/11)
        assertEquals(100.0 / 11 + 0.5 * 100.0 / 11, r.cpt50(), 1e-9);
        // CPT(80%): target 10.4/11 between 2/11 (10/11) and 3/11 (11/11)
        assertEquals(200.0 / 11 + 0.4 * 100.0 / 11, r.cpt80(), 1e-9);
        assertTrue(r.apgr() > 0.85);
    }

    @Test
    void calibrationThresholdGivesTheTargetFraction() {
        double[] ref = new double[1000];
        for (int i = 0; i < ref.length; i++) {
            ref[i] = i / 1000.0;
        }
        Calibration c = new Calibration(ref, "reference");
        for (double p : new double[] {0.1, 0.3, 0.5, 0.8}) {
            assertEquals(p, c.strongFraction(c.thresholdFor(p)), 0.002);
        }
    }
}

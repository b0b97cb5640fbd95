package dev.colosseum.router.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Calibrating each fold router's scores on its own training prompts before they are pooled. */
class CrossFitCalibrationTest {
    @Test
    void calibrationIsTheInterpolatedPositionAmongTheReferenceScoresAndStrictlyIncreasing() {
        double[] ref = {1, 2, 3, 4};
        assertEquals(0.125, CrossFitEvaluation.calibrate(1, ref), 1e-12);
        assertEquals(0.375, CrossFitEvaluation.calibrate(2, ref), 1e-12);
        assertEquals(0.5, CrossFitEvaluation.calibrate(2.5, ref), 1e-12);
        assertEquals(0.875, CrossFitEvaluation.calibrate(4, ref), 1e-12);
        double prev = -1;
        for (double s = -5; s <= 10; s += 0.01) {
            double c = CrossFitEvaluation.calibrate(s, ref);
            assertTrue(c > 0 && c < 1, "in (0, 1): " + c);
            assertTrue(c > prev, "strictly increasing at " + s);
            prev = c;
        }
        // repeated reference scores: still strictly increasing, and a score equal to them sits after all of them
        double[] tied = {1, 2, 2, 2, 3};
        assertEquals((3 + 0.5) / 5, CrossFitEvaluation.calibrate(2, tied), 1e-12);
        assertTrue(CrossFitEvaluation.calibrate(1.999, tied) < CrossFitEvaluation.calibrate(2, tied));
    }

    @Test
    void foldScoresKeepTheirOrderWithinAFoldAndBecomeTheirPlaceAmongTheFoldRoutersTrainingPrompts() {
        List<QualityTable.Row> rows = new ArrayList<>();
        for (int i = 0; i < 90; i++) {
            // the length router's raw score is a fixed increasing function of the prompt's length
            rows.add(new QualityTable.Row("q".repeat(10 + 7 * i), "file" + (i % 3), Map.of("s", 1.0, "w", i % 2 == 0 ? 1.0 : 0.0)));
        }
        QualityTable table = new QualityTable(rows, List.of("s", "w"), 0);
        CrossFitEvaluation.Scores s = CrossFitEvaluation.score("length", table, "s", "w", List.of(), 3, "file", null, 1, x -> { },
                true);
        // the untrained baselines are one function in every fold and are pooled as they are
        CrossFitEvaluation.Scores baseline = CrossFitEvaluation.score("length", table, "s", "w", List.of(), 3, "file", null, 1,
                x -> { });
        assertArrayEquals(s.raw(), baseline.scores());
        int[] fold = CrossFitEvaluation.folds(rows, 3, 1, "file");
        for (int i = 0; i < rows.size(); i++) {
            assertTrue(s.scores()[i] > 0 && s.scores()[i] < 1);
            for (int j = 0; j < rows.size(); j++) {
                if (fold[i] == fold[j] && s.raw()[i] < s.raw()[j]) {
                    assertTrue(s.scores()[i] < s.scores()[j], "order within a fold is kept");
                }
            }
            // with three files and three folds every file is a fold, so the nearest training prompts of this fold's
            // router are rows i - 1 and i + 1; the training prompts shorter than row i are the rows j < i of other folds
            if (i > 0 && i + 1 < rows.size()) {
                int shorter = 0;
                for (int j = 0; j < i; j++) {
                    if (fold[j] != fold[i]) {
                        shorter++;
                    }
                }
                double expected = (shorter - 1 + 0.5 + (s.raw()[i] - raw(rows, i - 1)) / (raw(rows, i + 1) - raw(rows, i - 1))) / 60;
                assertEquals(expected, s.scores()[i], 1e-9, "row " + i);
            }
        }
    }

    private static double raw(List<QualityTable.Row> rows, int i) {
        return new LengthRouter(List.of("s", "w")).score(new Query(rows.get(i).prompt(), new float[0], new double[0]), "s", "w");
    }
}

package dev.colosseum.router.core;

import java.util.Arrays;

/**
 * Thresholds for a target strong-call fraction: the threshold for fraction p is the (1 − p) quantile of the
 * scores of a reference prompt set (linear interpolation). Keeps the sorted reference scores.
 */
public final class Calibration {
    private final double[] sorted;
    private final String source;

    public Calibration(double[] scores, String source) {
        if (scores.length == 0) {
            throw new IllegalArgumentException("calibration needs at least one reference score");
        }
        this.sorted = scores.clone();
        Arrays.sort(this.sorted);
        this.source = source;
    }

    /** Threshold giving roughly {@code fraction} (0..1) of the reference prompts to the strong model. */
    public double thresholdFor(double fraction) {
        if (fraction < 0 || fraction > 1) {
            throw new IllegalArgumentException("strong-call fraction must be within [0, 1]");
        }
        if (fraction >= 1) {
            return Double.NEGATIVE_INFINITY;
        }
        if (fraction <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        return RouteLlmEvaluation.quantile(sorted, 1 - fraction);
    }

    /** Fraction of reference scores at or above {@code threshold}. */
    public double strongFraction(double threshold) {
        int idx = Arrays.binarySearch(sorted, threshold);
        if (idx < 0) {
            idx = -idx - 1;
        } else {
            while (idx > 0 && sorted[idx - 1] >= threshold) {
                idx--;
            }
        }
        return (double) (sorted.length - idx) / sorted.length;
    }

    public int size() {
        return sorted.length;
    }

    public String source() {
        return source;
    }

    public double[] sortedScores() {
        return sorted.clone();
    }
}

package dev.colosseum.ranking.service;

import java.util.List;

/**
 * A fitted category: strengths θ (log-odds, sum zero, or anchored), the full parameter covariance
 * (models then covariates, row-major, log-odds units) and intervals on the Elo scale.
 */
public record FitResult(List<String> models, double[] theta, double[] ratings, double[] ciLow, double[] ciHigh,
                        double[] covariance, List<String> covariates, double[] gamma, double[] gammaLow,
                        double[] gammaHigh, long[] modelVotes, long nVotes, long version, int iterations) {
    public int indexOf(String model) {
        return models.indexOf(model);
    }

    /** Variance of θ_i − θ_j from the covariance. */
    public double varianceOfDifference(int i, int j) {
        int p = models.size() + covariates.size();
        return covariance[i * p + i] + covariance[j * p + j] - 2 * covariance[i * p + j];
    }
}

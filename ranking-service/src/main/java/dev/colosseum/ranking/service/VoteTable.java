package dev.colosseum.ranking.service;

import java.util.List;

/**
 * Per-vote rows of one category in time order, with the per-side values of the named covariates
 * (for style / covariate control, online Elo, history and drift). Indices refer to {@link #models()}.
 */
public record VoteTable(List<String> models, int[] a, int[] b, double[] y, long[] timeMillis,
                        List<String> covariates, double[][] featuresA, double[][] featuresB, long dropped,
                        long version) {
    public int size() {
        return a.length;
    }
}

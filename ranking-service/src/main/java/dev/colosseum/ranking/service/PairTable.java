package dev.colosseum.ranking.service;

import java.util.List;

/**
 * Aggregated battles of one category: rows (a, b, y) with counts over the models that have votes there.
 * Indices refer to {@link #models()}.
 */
public record PairTable(List<String> models, int[] a, int[] b, double[] y, double[] count, long nVotes,
                        long[] modelVotes, long version) {
    public int modelCount() {
        return models.size();
    }
}

package dev.colosseum.ranking;

import java.util.List;

/**
 * Head-to-head matrices of a category, rows = model A, columns = model B, in {@link #models()} order:
 * win fraction of A over B among their non-tie battles (null without any), non-tie battle counts (both orders),
 * and the win probability predicted by the fitted ratings.
 */
public record Matrices(String category, List<String> models, Double[][] winFraction, long[][] counts,
                       Double[][] predicted, long nVotes) {
}

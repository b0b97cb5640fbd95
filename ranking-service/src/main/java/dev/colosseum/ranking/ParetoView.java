package dev.colosseum.ranking;

import java.util.List;

/** Elo against cost; points without a known price are listed with {@code price = null}, off the frontier. */
public record ParetoView(String category, String priceUnit, List<ParetoPoint> models) {
}

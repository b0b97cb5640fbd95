package dev.colosseum.ranking;

import java.time.Instant;
import java.util.List;

/** Drift check over the models with enough votes on both sides of the split. */
public record DriftReport(String category, Instant splitAt, double alpha, int modelsChecked,
                          double zThreshold, List<DriftEntry> models) {
}

package dev.colosseum.ranking;

import java.util.List;

/** A model's rating over time: cumulative fits at evenly spaced cut-off times. */
public record ModelHistory(String model, String category, List<HistoryPoint> points) {
}

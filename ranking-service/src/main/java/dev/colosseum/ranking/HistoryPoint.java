package dev.colosseum.ranking;

import java.time.Instant;

/** A model's rating fitted on all votes up to {@link #at()}. */
public record HistoryPoint(Instant at, long votes, double rating, double ciLow, double ciHigh) {
}

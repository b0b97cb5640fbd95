package dev.colosseum.vote;

import java.util.List;

/** Vote counts per model, per pair and per day. */
public record VoteStats(long total, long excluded, List<ModelCount> perModel, List<PairCount> perPair,
                        List<DayCount> perDay) {
    public record ModelCount(String model, long votes) {
    }

    public record PairCount(String modelA, String modelB, long votes) {
    }

    public record DayCount(String day, long votes) {
    }
}

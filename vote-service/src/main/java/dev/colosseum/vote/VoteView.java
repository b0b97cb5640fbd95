package dev.colosseum.vote;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A stored vote without its conversations. */
public record VoteView(
        long id, String battleId, String modelA, String modelB, String winner, String mode, String voterId,
        Instant battleStartedAt, Instant votedAt, Integer turn, String language, List<String> categories,
        Map<String, Double> featuresA, Map<String, Double> featuresB, String source, String questionId,
        boolean excluded, List<String> exclusionReasons) {
}

package dev.colosseum.vote.repository;

import java.time.Instant;
import java.util.List;

/** A vote ready to be written: the validated request plus what the service derived from it. */
public record StoredVote(
        String battleId, String idempotencyKey, String requestHash, String modelA, String modelB, String winner,
        String mode, String voterId, Instant battleStartedAt, Instant votedAt, Integer turn, String language,
        String categoriesJson, String featuresAJson, String featuresBJson, String promptHash, String source,
        String questionId, String extraJson, boolean excluded, String reasonsJson,
        String conversationAJson, String conversationBJson, List<String> exclusionRules, List<String> exclusionDetails) {
}

package dev.colosseum.ranking.client;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/** A vote as it appears in the log (without conversations). Features are numbers by name. */
public record LoggedVote(Long id, String battleId, String modelA, String modelB, String winner, String mode,
                         OffsetDateTime battleStartedAt, OffsetDateTime votedAt, Integer turn, String language,
                         List<String> categories, Map<String, Object> featuresA, Map<String, Object> featuresB,
                         Boolean excluded, List<String> exclusionReasons) {
}

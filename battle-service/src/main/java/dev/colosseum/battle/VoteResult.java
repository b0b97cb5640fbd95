package dev.colosseum.battle;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** Answer to a vote: stored, whether it counts, and who the models were. */
public record VoteResult(
        @JsonProperty("battle_id") String battleId,
        String winner,
        @JsonProperty("vote_id") Long voteId,
        boolean counted,
        @JsonProperty("identity_reveal") boolean identityReveal,
        @JsonProperty("exclusion_reasons") List<String> exclusionReasons,
        List<String> categories,
        String language,
        @JsonProperty("model_a") RevealedModel modelA,
        @JsonProperty("model_b") RevealedModel modelB) {
}

package dev.colosseum.battle.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.colosseum.battle.ChatMessage;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The vote as vote-service stores it (docs/CONTRACTS.md, "Vote"). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VotePayload(
        @JsonProperty("battle_id") String battleId,
        @JsonProperty("model_a") String modelA,
        @JsonProperty("model_b") String modelB,
        String winner,
        String mode,
        @JsonProperty("voter_id") String voterId,
        @JsonProperty("battle_started_at") Instant battleStartedAt,
        @JsonProperty("voted_at") Instant votedAt,
        int turn,
        String language,
        List<String> categories,
        @JsonProperty("features_a") Map<String, Double> featuresA,
        @JsonProperty("features_b") Map<String, Double> featuresB,
        @JsonProperty("conversation_a") List<ChatMessage> conversationA,
        @JsonProperty("conversation_b") List<ChatMessage> conversationB) {
}

package dev.colosseum.battle;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** A battle as the voter sees it: model names only for named/direct mode or after the vote. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BattleView(
        @JsonProperty("battle_id") String battleId,
        String mode,
        int turn,
        @JsonProperty("max_turns") int maxTurns,
        boolean finished,
        boolean votable,
        boolean voted,
        @JsonProperty("events_url") String eventsUrl,
        List<RevealedModel> models,
        @JsonProperty("conversation_a") List<ChatMessage> conversationA,
        @JsonProperty("conversation_b") List<ChatMessage> conversationB,
        VoteResult vote) {
}

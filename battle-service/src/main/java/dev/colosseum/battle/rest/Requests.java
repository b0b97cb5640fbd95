package dev.colosseum.battle.rest;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Request bodies of the battle API. */
public final class Requests {
    private Requests() {
    }

    /** Start a battle: mode anony (default), named (model_a + model_b) or direct (model_a only). */
    public record StartBattle(String prompt, String mode, @JsonProperty("model_a") String modelA,
                              @JsonProperty("model_b") String modelB, Long seed) {
    }

    public record FollowUp(String prompt, Long seed) {
    }

    public record Regenerate(Long seed) {
    }

    /** winner: A, B, tie or bothbad (or the vote-service spellings model_a, model_b, tie, tie (bothbad)). */
    public record Vote(String winner) {
    }
}

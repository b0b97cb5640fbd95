package dev.colosseum.battle;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a voter learns about a model once the vote is in. */
public record RevealedModel(String id, @JsonProperty("display_name") String displayName, String organization,
                            String provider, String license, boolean simulated) {
}

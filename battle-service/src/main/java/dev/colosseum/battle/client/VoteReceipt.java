package dev.colosseum.battle.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** vote-service's answer to a stored vote. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VoteReceipt(Long id, @JsonProperty("battle_id") String battleId, Long seq, boolean excluded,
                          @JsonProperty("exclusion_reasons") List<String> exclusionReasons) {
}

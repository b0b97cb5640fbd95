package dev.colosseum.battle.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/** ranking-service's sampling answer (docs/CONTRACTS.md, "Sampling weights"). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SamplingWeights(String policy, List<String> models, List<Pair> pairs,
                              @JsonProperty("model_weights") Map<String, Double> modelWeights) {
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Pair(@JsonProperty("model_a") String modelA, @JsonProperty("model_b") String modelB, double weight) {
    }
}

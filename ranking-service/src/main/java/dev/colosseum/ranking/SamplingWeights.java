package dev.colosseum.ranking;

import java.util.List;
import java.util.Map;

/** Sampling weights for battle-service (CONTRACTS.md "Sampling weights"). */
public record SamplingWeights(String policy, List<String> models, List<PairWeight> pairs,
                              Map<String, Double> modelWeights) {
}

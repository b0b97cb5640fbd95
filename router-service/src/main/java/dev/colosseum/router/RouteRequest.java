package dev.colosseum.router;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /api/v1/route}: either {@code prompt} or OpenAI {@code messages}, and {@code model} in the
 * router form. Optional {@code quality_target} (win probability vs the strongest model) or {@code budget}
 * (blended USD per million tokens) switch to cost-aware routing over all registry models.
 */
public record RouteRequest(String model, String prompt, List<Map<String, Object>> messages,
                           @JsonProperty("quality_target") Double qualityTarget, Double budget) {
}

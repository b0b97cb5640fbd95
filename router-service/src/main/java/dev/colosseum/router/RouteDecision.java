package dev.colosseum.router;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** What the router decided for one prompt. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RouteDecision(String router, @JsonProperty("router_model") String routerModel,
                            @JsonProperty("router_version") Integer routerVersion, double score, double threshold,
                            @JsonProperty("strong_fraction") Double strongFraction,
                            @JsonProperty("calibration_source") String calibrationSource,
                            String model, boolean strong, @JsonProperty("strong_model") String strongModel,
                            @JsonProperty("weak_model") String weakModel,
                            @JsonProperty("decision_ms") double decisionMs) {
}

package dev.colosseum.router;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A model the router can forward to, from the shared registry. */
public record UpstreamModel(String id, String provider, @JsonProperty("base_url") String baseUrl,
                            @JsonProperty("upstream_model") String upstreamModel,
                            @JsonProperty("api_key_env") String apiKeyEnv,
                            @JsonProperty("input_price_per_mtok") double inputPrice,
                            @JsonProperty("output_price_per_mtok") double outputPrice) {
    /** Blended price used for cost-aware routing (3:1 input:output tokens). */
    public double blendedPrice() {
        return (3 * inputPrice + outputPrice) / 4;
    }
}

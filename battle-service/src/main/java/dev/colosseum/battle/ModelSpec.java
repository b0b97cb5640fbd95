package dev.colosseum.battle;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One entry of the model registry (shape fixed by docs/CONTRACTS.md). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelSpec(
        String id,
        @JsonProperty("display_name") String displayName,
        String organization,
        String provider,
        @JsonProperty("base_url") String baseUrl,
        @JsonProperty("upstream_model") String upstreamModel,
        @JsonProperty("api_key_env") String apiKeyEnv,
        @JsonProperty("input_price_per_mtok") Double inputPricePerMtok,
        @JsonProperty("output_price_per_mtok") Double outputPricePerMtok,
        @JsonProperty("params_b") Double paramsB,
        String license,
        String visibility,
        Boolean enabled,
        Boolean outage,
        Boolean deprecated,
        @JsonProperty("sampling_weight") Double samplingWeight,
        GenerationParams generation,
        SimProfile simulated) {

    public static final String SIMULATED = "simulated";

    public boolean isEnabled() {
        return enabled == null || enabled;
    }

    public boolean isOutage() {
        return outage != null && outage;
    }

    public boolean isDeprecated() {
        return deprecated != null && deprecated;
    }

    public boolean isPrivate() {
        return "private".equals(visibility);
    }

    public boolean isSimulated() {
        return SIMULATED.equals(provider);
    }

    /** Can be drawn into a battle or chatted with right now. */
    public boolean isServing() {
        return isEnabled() && !isOutage() && !isDeprecated();
    }

    public double weight() {
        return samplingWeight == null ? 1.0 : Math.max(0.0, samplingWeight);
    }

    public double inputPrice() {
        return inputPricePerMtok == null ? 0.0 : inputPricePerMtok;
    }

    public double outputPrice() {
        return outputPricePerMtok == null ? 0.0 : outputPricePerMtok;
    }

    public GenerationParams generationOrDefault() {
        return generation == null ? new GenerationParams(0.7, 1024) : generation;
    }

    /** Public facts shown after a vote: never the key variable or the base URL. */
    public RevealedModel reveal() {
        return new RevealedModel(id, displayName, organization, provider, license, isSimulated());
    }

    public ModelSpec withOutage(boolean value) {
        return new ModelSpec(id, displayName, organization, provider, baseUrl, upstreamModel, apiKeyEnv,
                inputPricePerMtok, outputPricePerMtok, paramsB, license, visibility, enabled, value, deprecated,
                samplingWeight, generation, simulated);
    }

    public ModelSpec withId(String newId) {
        return new ModelSpec(newId, displayName, organization, provider, baseUrl, upstreamModel, apiKeyEnv,
                inputPricePerMtok, outputPricePerMtok, paramsB, license, visibility, enabled, outage, deprecated,
                samplingWeight, generation, simulated);
    }
}

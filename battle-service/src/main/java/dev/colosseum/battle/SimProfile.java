package dev.colosseum.battle;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How a simulated model behaves: a latent strength (Bradley-Terry log-odds used by simulated voters),
 * a style profile, a latency profile and a failure rate.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SimProfile(
        Double strength,
        @JsonProperty("mean_tokens") Integer meanTokens,
        @JsonProperty("headers") Double headers,
        @JsonProperty("lists") Double lists,
        @JsonProperty("bold") Double bold,
        @JsonProperty("code") Double code,
        @JsonProperty("ttft_ms") Integer ttftMs,
        @JsonProperty("tokens_per_second") Double tokensPerSecond,
        @JsonProperty("failure_rate") Double failureRate,
        String tone) {

    public double strengthOr() {
        return strength == null ? 0.0 : strength;
    }

    public int meanTokensOr() {
        return meanTokens == null ? 180 : Math.max(8, meanTokens);
    }

    public double headersOr() {
        return headers == null ? 0.3 : headers;
    }

    public double listsOr() {
        return lists == null ? 0.5 : lists;
    }

    public double boldOr() {
        return bold == null ? 0.3 : bold;
    }

    public double codeOr() {
        return code == null ? 0.8 : code;
    }

    public int ttftMsOr() {
        return ttftMs == null ? 300 : Math.max(0, ttftMs);
    }

    public double tokensPerSecondOr() {
        return tokensPerSecond == null ? 40.0 : Math.max(0.5, tokensPerSecond);
    }

    public double failureRateOr() {
        return failureRate == null ? 0.0 : failureRate;
    }

    public String toneOr() {
        return tone == null ? "neutral" : tone;
    }
}

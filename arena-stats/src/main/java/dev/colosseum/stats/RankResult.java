package dev.colosseum.stats;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The leaderboard: exactly the JSON of {@code ./colosseum rank --format json} and of
 * ranking-service's {@code POST /api/v1/rank}:
 * {@code {"models":[{"model","rating","ci_low","ci_high","rank","battles","elo_online"}],
 * "style_coefficients":{name:{"coefficient","ci_low","ci_high"}} (style control only),
 * "n_battles", "n_models"}}, models sorted by rank then rating.
 *
 * @param models            visible models, sorted
 * @param styleCoefficients gamma by covariate name (log-odds per standard deviation of z), or null
 * @param nBattles          battles used in the fit
 * @param nModels           number of models listed
 * @param theta             fitted strengths (log-odds, sum-zero or penalised) by model, all models,
 *                          for warm-starting the next refit; not serialised
 */
@JsonPropertyOrder({"models", "style_coefficients", "n_battles", "n_models"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RankResult(
        @JsonProperty("models") List<ModelRating> models,
        @JsonProperty("style_coefficients") Map<String, Coefficient> styleCoefficients,
        @JsonProperty("n_battles") int nBattles,
        @JsonProperty("n_models") int nModels,
        @JsonIgnore Map<String, Double> theta) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One leaderboard row. */
    @JsonPropertyOrder({"model", "rating", "ci_low", "ci_high", "rank", "battles", "elo_online"})
    public record ModelRating(
            @JsonProperty("model") String model,
            @JsonProperty("rating") double rating,
            @JsonProperty("ci_low") double ciLow,
            @JsonProperty("ci_high") double ciHigh,
            @JsonProperty("rank") int rank,
            @JsonProperty("battles") int battles,
            @JsonProperty("elo_online") double eloOnline) {
    }

    /** A style coefficient with its interval. */
    @JsonPropertyOrder({"coefficient", "ci_low", "ci_high"})
    public record Coefficient(
            @JsonProperty("coefficient") double coefficient,
            @JsonProperty("ci_low") double ciLow,
            @JsonProperty("ci_high") double ciHigh) {
    }

    /** The JSON form (one line). */
    public String toJson() {
        try {
            return MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses the JSON form (theta is not part of it and comes back empty). */
    public static RankResult fromJson(String json) {
        try {
            RankResult r = MAPPER.readValue(json, RankResult.class);
            return new RankResult(r.models, r.styleCoefficients, r.nBattles, r.nModels, Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a rank result: " + e.getOriginalMessage(), e);
        }
    }

    /** A fixed-width text table. */
    public String toTable() {
        int w = "model".length();
        for (ModelRating m : models) {
            w = Math.max(w, m.model().length());
        }
        StringBuilder sb = new StringBuilder();
        String head = "%4s  %-" + w + "s  %9s  %9s  %9s  %8s  %10s%n";
        String row = "%4d  %-" + w + "s  %9.2f  %9.2f  %9.2f  %8d  %10.2f%n";
        sb.append(String.format(Locale.ROOT, head, "rank", "model", "rating", "ci_low", "ci_high", "battles", "elo_online"));
        for (ModelRating m : models) {
            sb.append(String.format(Locale.ROOT, row, m.rank(), m.model(), m.rating(), m.ciLow(), m.ciHigh(),
                    m.battles(), m.eloOnline()));
        }
        if (styleCoefficients != null) {
            sb.append(String.format(Locale.ROOT, "%nstyle coefficients (log-odds per SD of the feature difference)%n"));
            for (Map.Entry<String, Coefficient> e : styleCoefficients.entrySet()) {
                sb.append(String.format(Locale.ROOT, "  %-14s %9.4f  [%9.4f, %9.4f]%n", e.getKey(),
                        e.getValue().coefficient(), e.getValue().ciLow(), e.getValue().ciHigh()));
            }
        }
        sb.append(String.format(Locale.ROOT, "%n%d battles, %d models%n", nBattles, nModels));
        return sb.toString();
    }
}

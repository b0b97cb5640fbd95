package dev.colosseum.ranking.rest;

import dev.colosseum.ranking.BadRequestException;
import dev.colosseum.ranking.CategoryInfo;
import dev.colosseum.ranking.DriftReport;
import dev.colosseum.ranking.Leaderboard;
import dev.colosseum.ranking.Matrices;
import dev.colosseum.ranking.ModelHistory;
import dev.colosseum.ranking.ParetoView;
import dev.colosseum.ranking.SamplingWeights;
import dev.colosseum.ranking.config.RankingConfig;
import dev.colosseum.ranking.service.AnalysisService;
import dev.colosseum.ranking.service.CiMethod;
import dev.colosseum.ranking.service.LeaderboardQuery;
import dev.colosseum.ranking.service.LeaderboardService;
import dev.colosseum.ranking.service.LogFollower;
import dev.colosseum.ranking.service.VoteStore;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/** Live leaderboards and the views derived from them. Heavy work runs on the worker pool. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "ranking")
public class RankingResource {
    private final VoteStore store;
    private final LeaderboardService leaderboards;
    private final AnalysisService analysis;
    private final LogFollower follower;
    private final RankingConfig config;

    public RankingResource(VoteStore store, LeaderboardService leaderboards, AnalysisService analysis,
                           LogFollower follower, RankingConfig config) {
        this.store = store;
        this.leaderboards = leaderboards;
        this.analysis = analysis;
        this.follower = follower;
        this.config = config;
    }

    private static <T> Uni<T> work(Supplier<T> s) {
        return Uni.createFrom().item(s).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    @GET
    @Path("/leaderboard")
    @Operation(summary = "Live leaderboard of a category",
            description = "Bradley–Terry ratings (Elo scale) from every counted anonymous vote seen in vote-service's "
                    + "log. With style_control=true the ratings control for the four style features (and any "
                    + "`covariates`), `rank_style_control` is the rank under control and `rank` the plain rank.")
    public Uni<Leaderboard> leaderboard(
            @Parameter(description = "overall (default), a tag (coding, math, hard_prompt, creative_writing, "
                    + "instruction_following, longer_query, multi_turn) or a language (e.g. english)")
            @QueryParam("category") String category,
            @QueryParam("style_control") String styleControl,
            @Parameter(description = "comma-separated per-side numeric features to control for, e.g. "
                    + "price,latency_ms,params_b") @QueryParam("covariates") String covariates,
            @Parameter(description = "sandwich (default) | bootstrap | simultaneous") @QueryParam("ci") String ci,
            @Parameter(description = "bootstrap rounds (default 100)") @QueryParam("rounds") String rounds,
            @Parameter(description = "bootstrap seed (default 42)") @QueryParam("seed") String seed,
            @Parameter(description = "MODEL=RATING pins a model's rating (MODEL alone pins it at 1000)")
            @QueryParam("anchor") String anchor,
            @QueryParam("include_deprecated") String includeDeprecated,
            @Parameter(description = "show private (pre-release) models too") @QueryParam("include_private") String includePrivate,
            @Parameter(description = "models with this many votes or fewer are hidden (default from configuration, 300)")
            @QueryParam("min_votes") String minVotes) {
        LeaderboardQuery q = query(category, styleControl, covariates, ci, rounds, seed, anchor, includeDeprecated,
                includePrivate, minVotes);
        return work(() -> leaderboards.leaderboard(q));
    }

    LeaderboardQuery query(String category, String styleControl, String covariates, String ci, String rounds,
                           String seed, String anchor, String includeDeprecated, String includePrivate,
                           String minVotes) {
        String cat = category(category);
        boolean style = Params.bool("style_control", styleControl, false);
        CiMethod method = CiMethod.parse(ci);
        if (method == null) {
            throw new BadRequestException("ci", "ci must be sandwich, bootstrap or simultaneous, got '" + ci + "'");
        }
        int r = Params.integer("rounds", rounds, 100, 1, 2000);
        long s = Params.longValue("seed", seed, 42);
        String anchorModel = null;
        Double anchorRating = null;
        if (anchor != null && !anchor.isBlank()) {
            int eq = anchor.lastIndexOf('=');
            anchorModel = (eq >= 0 ? anchor.substring(0, eq) : anchor).trim();
            anchorRating = eq >= 0 ? Params.number("anchor", anchor.substring(eq + 1), 1000, -1e6, 1e6) : 1000.0;
            if (anchorModel.isEmpty()) {
                throw new BadRequestException("anchor", "anchor must be MODEL or MODEL=RATING");
            }
            if (!store.models().contains(anchorModel)) {
                throw new BadRequestException("anchor", "unknown model '" + anchorModel + "'");
            }
        }
        Set<String> covs = new LinkedHashSet<>();
        if (style) {
            covs.addAll(VoteStore.STYLE_FEATURES);
        }
        if (covariates != null && !covariates.isBlank()) {
            List<String> known = store.featureNames();
            for (String c : covariates.split(",")) {
                String name = c.trim();
                if (name.isEmpty()) {
                    continue;
                }
                if (!known.contains(name) && !"params_b".equals(name)) {
                    throw new BadRequestException("covariates", "unknown covariate '" + name + "'; known: " + known);
                }
                covs.add(name);
            }
        }
        boolean dep = Params.bool("include_deprecated", includeDeprecated, false);
        boolean priv = Params.bool("include_private", includePrivate, false);
        int min = Params.integer("min_votes", minVotes, config.minVotes(), 0, Integer.MAX_VALUE);
        return new LeaderboardQuery(cat, style, new ArrayList<>(covs), method, r, s, anchorModel, anchorRating, dep,
                priv, min);
    }

    private String category(String category) {
        String key = store.categoryKey(category);
        if (key == null) {
            throw new BadRequestException("category", "unknown category '" + category + "'");
        }
        return key;
    }

    @GET
    @Path("/categories")
    @Operation(summary = "Category names with their counted votes")
    public Uni<List<CategoryInfo>> categories() {
        return work(() -> store.categories().stream()
                .map(c -> new CategoryInfo(c.name(), c.kind(), c.votes())).toList());
    }

    @GET
    @Path("/covariates")
    @Operation(summary = "Per-side numeric features available for covariate control")
    public Uni<List<String>> covariates() {
        return work(() -> {
            List<String> names = new ArrayList<>(store.featureNames());
            if (!names.contains("params_b")) {
                names.add("params_b");
            }
            return names;
        });
    }

    @GET
    @Path("/matrices")
    @Operation(summary = "Win-fraction, battle-count and predicted-win-probability matrices of a category")
    public Uni<Matrices> matrices(@QueryParam("category") String category) {
        String cat = category(category);
        return work(() -> leaderboards.matrices(cat));
    }

    @GET
    @Path("/models/{model}/history")
    @Operation(summary = "A model's rating over time (cumulative fits at evenly spaced times)")
    public Uni<ModelHistory> history(@PathParam("model") String model, @QueryParam("category") String category,
                                     @QueryParam("points") String points) {
        String cat = category(category);
        int p = Params.integer("points", points, 10, 1, 100);
        return work(() -> analysis.history(cat, model, p));
    }

    @GET
    @Path("/drift")
    @Operation(summary = "Drift check: recent window vs earlier votes per model, Bonferroni-corrected",
            description = "By default the most recent 20% of the category's votes form the window; `since` sets "
                    + "the split time instead. `significant_only=true` lists only the models whose drift is significant.")
    public Uni<DriftReport> drift(@QueryParam("category") String category, @QueryParam("since") String since,
                                  @QueryParam("recent_fraction") String recentFraction,
                                  @QueryParam("alpha") String alpha, @QueryParam("min_votes") String minVotes,
                                  @QueryParam("significant_only") String significantOnly) {
        String cat = category(category);
        Instant split = null;
        if (since != null && !since.isBlank()) {
            try {
                split = Instant.parse(since.trim());
            } catch (DateTimeParseException e) {
                throw new BadRequestException("since", "since must be an ISO-8601 instant, got '" + since + "'");
            }
        }
        double frac = Params.number("recent_fraction", recentFraction, 0.2, 0.01, 0.99);
        double a = Params.number("alpha", alpha, 0.05, 1e-12, 0.5);
        int min = Params.integer("min_votes", minVotes, 30, 1, Integer.MAX_VALUE);
        boolean only = Params.bool("significant_only", significantOnly, false);
        Instant s = split;
        return work(() -> analysis.drift(cat, s, frac, a, min, only));
    }

    @GET
    @Path("/drift/significant")
    @Operation(summary = "Models whose drift is significant (same parameters as /drift)")
    public Uni<DriftReport> significantDrift(@QueryParam("category") String category, @QueryParam("since") String since,
                                             @QueryParam("recent_fraction") String recentFraction,
                                             @QueryParam("alpha") String alpha, @QueryParam("min_votes") String minVotes) {
        return drift(category, since, recentFraction, alpha, minVotes, "true");
    }

    @GET
    @Path("/pareto")
    @Operation(summary = "Elo against price with the Pareto frontier marked",
            description = "Takes the leaderboard parameters; price = mean cost per answer in USD.")
    public Uni<ParetoView> pareto(@QueryParam("category") String category,
                                  @QueryParam("style_control") String styleControl,
                                  @QueryParam("include_deprecated") String includeDeprecated,
                                  @QueryParam("include_private") String includePrivate,
                                  @QueryParam("min_votes") String minVotes) {
        LeaderboardQuery q = query(category, styleControl, null, null, null, null, null, includeDeprecated,
                includePrivate, minVotes);
        return work(() -> analysis.pareto(q.category(), leaderboards.leaderboard(q)));
    }

    @GET
    @Path("/sampling")
    @Operation(summary = "Sampling weights for battle-service (active sampling or the FastChat policy)")
    public Uni<SamplingWeights> sampling(
            @Parameter(description = "active (default: greedy batch design on the sandwich covariance) | active-eq9 (the paper's eq. 9) | fastchat") @QueryParam("policy") String policy,
            @Parameter(description = "comma-separated candidate models (default: the live registry)")
            @QueryParam("models") String models) {
        String p = policy == null || policy.isBlank() ? "active" : policy.trim();
        if (!p.equals("active") && !p.equals("active-eq9") && !p.equals("fastchat")) {
            throw new BadRequestException("policy", "policy must be active, active-eq9 or fastchat, got '" + policy + "'");
        }
        List<String> names = models == null || models.isBlank() ? List.of()
                : Arrays.stream(models.split(",")).map(String::trim).filter(x -> !x.isEmpty()).distinct().toList();
        if (models != null && !models.isBlank() && names.size() < 2) {
            throw new BadRequestException("models", "models must name at least two distinct models");
        }
        return work(() -> analysis.sampling(p, names));
    }

    @GET
    @Path("/status")
    @Operation(summary = "The log follower's position and the state held")
    public Uni<LogFollower.FollowerStatus> status() {
        return Uni.createFrom().item(follower::status);
    }
}

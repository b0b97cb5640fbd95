package dev.colosseum.battle.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.colosseum.battle.ProblemException;
import dev.colosseum.battle.client.RankingClient;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Read-only ranking-service pages under one origin for the web UI. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class RankingProxyResource {
    /** Public pages never show private (pre-release) models. */
    private static final Set<String> DROPPED = Set.of("include_private");
    private final RankingClient ranking;

    public RankingProxyResource(@RestClient RankingClient ranking) {
        this.ranking = ranking;
    }

    @GET
    @Path("/leaderboard")
    public Uni<JsonNode> leaderboard(@Context UriInfo uri) {
        return fetch("leaderboard", uri);
    }

    @GET
    @Path("/categories")
    public Uni<JsonNode> categories(@Context UriInfo uri) {
        return fetch("categories", uri);
    }

    /** Head-to-head win fractions and battle counts. */
    @GET
    @Path("/matrices")
    public Uni<JsonNode> matrices(@Context UriInfo uri) {
        return fetch("matrices", uri);
    }

    /** Rating against price with the Pareto frontier. */
    @GET
    @Path("/pareto")
    public Uni<JsonNode> pareto(@Context UriInfo uri) {
        return fetch("pareto", uri);
    }

    private Uni<JsonNode> fetch(String page, UriInfo uri) {
        Map<String, String> q = new LinkedHashMap<>();
        uri.getQueryParameters().forEach((k, v) -> {
            if (!v.isEmpty() && !DROPPED.contains(k)) {
                q.put(k, v.get(0));
            }
        });
        return ranking.page(page, q).ifNoItem().after(Duration.ofSeconds(20)).fail()
                .onFailure().transform(err -> {
                    if (err instanceof WebApplicationException wae) {
                        int s = wae.getResponse().getStatus();
                        String body;
                        try {
                            body = wae.getResponse().readEntity(String.class);
                        } catch (RuntimeException e) {
                            body = wae.getMessage();
                        }
                        return new ProblemException(s >= 500 ? 502 : s, "Ranking service error", body);
                    }
                    return new ProblemException(503, "Ranking service unavailable",
                            "ranking-service could not be reached: " + err.getMessage());
                });
    }
}

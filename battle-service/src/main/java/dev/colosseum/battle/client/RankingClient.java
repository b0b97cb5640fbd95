package dev.colosseum.battle.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestQuery;

import java.util.Map;

/** ranking-service: sampling weights for matchmaking and the leaderboard pages the UI shows. */
@RegisterRestClient(configKey = "ranking")
@Path("/api/v1")
public interface RankingClient {
    @GET
    @Path("/sampling")
    Uni<SamplingWeights> sampling(@QueryParam("policy") String policy, @QueryParam("models") String models);

    /** Any read-only ranking page (leaderboard, categories, ...), passed through to the UI. */
    @GET
    @Path("/{page}")
    Uni<JsonNode> page(@PathParam("page") String page, @RestQuery Map<String, String> query);
}

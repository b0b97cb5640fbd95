package dev.colosseum.battle.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.colosseum.battle.ModelSpec;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** vote-service: model registry facts and votes (docs/CONTRACTS.md). */
@RegisterRestClient(configKey = "vote")
@Path("/api/v1")
public interface VoteClient {
    @PUT
    @Path("/models/{id}")
    Uni<JsonNode> putModel(@PathParam("id") String id, @HeaderParam("X-Admin-Key") String adminKey, ModelSpec model);

    @POST
    @Path("/votes")
    /**
     * Posts a vote. {@code clientKey} is the voter's pseudonymous id, sent as the forwarded client so that
     * vote-service applies its per-client rate limit to each end user, not to battle-service as a whole
     * (and no raw address leaves battle-service).
     */
    Uni<VoteReceipt> postVote(@HeaderParam("Idempotency-Key") String idempotencyKey,
                              @HeaderParam("X-Forwarded-For") String clientKey, VotePayload vote);
}

package dev.colosseum.ranking.client;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** vote-service, read-only: its vote log and its model registry. */
@RegisterRestClient(configKey = "vote-service")
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public interface VoteLogClient {
    @GET
    @Path("/votes")
    Uni<VoteLogPage> page(@QueryParam("after") String after, @QueryParam("limit") int limit);

    @GET
    @Path("/models")
    Uni<RegistryPage> models();
}

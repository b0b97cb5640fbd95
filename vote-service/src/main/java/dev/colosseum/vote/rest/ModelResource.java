package dev.colosseum.vote.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.colosseum.vote.ModelEntry;
import dev.colosseum.vote.ProblemException;
import dev.colosseum.vote.service.ModelRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/models")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "models")
public class ModelResource {
    private final ModelRegistry registry;
    private final AdminGuard admin;

    public ModelResource(ModelRegistry registry, AdminGuard admin) {
        this.registry = registry;
        this.admin = admin;
    }

    @GET
    @Operation(summary = "Registry entries known to vote-service (live and historical)")
    public Uni<ModelEntry> list() {
        return registry.list().map(ModelEntry::new);
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register or update a live model (admin key)")
    public Uni<ObjectNode> put(@PathParam("id") String id, ObjectNode entry,
                               @HeaderParam("X-Admin-Key") String key, @HeaderParam("Authorization") String auth) {
        admin.check(key, auth);
        if (entry == null) {
            throw new ProblemException(400, "Invalid model", "a JSON object body is required", null);
        }
        return registry.put(id, entry);
    }
}

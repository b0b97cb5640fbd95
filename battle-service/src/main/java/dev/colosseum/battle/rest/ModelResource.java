package dev.colosseum.battle.rest;

import dev.colosseum.battle.ModelSpec;
import dev.colosseum.battle.ProblemException;
import dev.colosseum.battle.service.ModelRegistry;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** The model registry: public listing and the admin API. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {
    private final ModelRegistry registry;
    private final AdminAuth auth;

    public ModelResource(ModelRegistry registry, AdminAuth auth) {
        this.registry = registry;
        this.auth = auth;
    }

    public record ModelList(List<ModelSpec> models) {
    }

    /** Public models; with the admin key, every entry including private (pre-release) ones. */
    @GET
    @Path("/models")
    public ModelList list(@HeaderParam("X-Admin-Key") String key, @HeaderParam("Authorization") String authorization) {
        boolean admin = auth.isAdmin(key, authorization);
        return new ModelList(registry.all().stream().filter(m -> admin || !m.isPrivate()).toList());
    }

    @GET
    @Path("/admin/models")
    public ModelList adminList(@HeaderParam("X-Admin-Key") String key, @HeaderParam("Authorization") String authorization) {
        auth.require(key, authorization);
        return new ModelList(registry.all());
    }

    @PUT
    @Path("/admin/models/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public ModelSpec put(@PathParam("id") String id, ModelSpec body, @HeaderParam("X-Admin-Key") String key,
                         @HeaderParam("Authorization") String authorization) {
        auth.require(key, authorization);
        if (body == null) {
            throw new ProblemException(422, "Invalid model", "a registry entry is required in the body", null);
        }
        return registry.upsert(id, body);
    }

    @DELETE
    @Path("/admin/models/{id}")
    public ModelSpec delete(@PathParam("id") String id, @HeaderParam("X-Admin-Key") String key,
                            @HeaderParam("Authorization") String authorization) {
        auth.require(key, authorization);
        return registry.remove(id).orElseThrow(() -> new ProblemException(404, "Model not found",
                "no model with id '" + id + "'", "id"));
    }
}

package dev.colosseum.router.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.colosseum.router.UpstreamModel;
import dev.colosseum.router.core.RouterTrainer;
import dev.colosseum.router.service.RouterEngine;
import dev.colosseum.router.service.UpstreamRegistry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.List;

/** {@code GET /v1/models}: router model names (per available router) and the upstream models. */
@Path("/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class OpenAiModelsResource {
    /** An OpenAI model object, plus what the name means. */
    public record ModelObject(String id, String object, long created, @JsonProperty("owned_by") String ownedBy,
                              String description) {
    }

    /** OpenAI's list envelope. */
    public record ModelList(String object, List<ModelObject> data) {
    }

    private final RouterEngine engine;
    private final UpstreamRegistry registry;

    public OpenAiModelsResource(RouterEngine engine, UpstreamRegistry registry) {
        this.engine = engine;
        this.registry = registry;
    }

    @GET
    public ModelList list() {
        long now = 1_764_288_000L;
        List<ModelObject> out = new ArrayList<>();
        for (String kind : RouterTrainer.KINDS) {
            RouterEngine.Active a = engine.active().get(kind);
            if (a == null) {
                continue;
            }
            for (int pct : new int[] {20, 50, 80}) {
                out.add(new ModelObject("router-" + kind + "-p" + pct, "model", now, "colosseum-router",
                        "router " + kind + " v" + a.version() + ": ~" + pct + "% of prompts to " + engine.strong()
                                + ", the rest to " + engine.weak() + " (any router-" + kind + "-<threshold> works too)"));
            }
        }
        for (UpstreamModel m : registry.all()) {
            out.add(new ModelObject(m.id(), "model", now, m.provider(), "upstream model (" + m.provider() + ")"));
        }
        return new ModelList("list", out);
    }
}

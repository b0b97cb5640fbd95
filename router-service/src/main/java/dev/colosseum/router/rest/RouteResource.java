package dev.colosseum.router.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colosseum.router.RouteDecision;
import dev.colosseum.router.RouteRequest;
import dev.colosseum.router.RouterException;
import dev.colosseum.router.UpstreamModel;
import dev.colosseum.router.core.CostAwareSelector;
import dev.colosseum.router.core.Query;
import dev.colosseum.router.service.RouterEngine;
import dev.colosseum.router.service.UpstreamRegistry;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** {@code POST /api/v1/route}: the routing decision only, nothing is forwarded. */
@Path("/api/v1/route")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RouteResource {
    private static final ObjectMapper OM = new ObjectMapper();
    private final RouterEngine engine;
    private final UpstreamRegistry registry;

    public RouteResource(RouterEngine engine, UpstreamRegistry registry) {
        this.engine = engine;
        this.registry = registry;
    }

    @POST
    @Blocking
    public RouteDecision route(RouteRequest req) {
        if (req == null) {
            throw RouterException.badRequest("the request body must be a JSON object", null);
        }
        String prompt;
        if (req.prompt() != null) {
            prompt = req.prompt();
        } else if (req.messages() != null) {
            JsonNode m = OM.valueToTree(req.messages());
            if (!m.isArray() || m.isEmpty()) {
                throw RouterException.badRequest("'messages' must be a non-empty array", "messages");
            }
            prompt = ChatCompletionsRoute.promptOf(m);
        } else {
            throw RouterException.badRequest("give 'prompt' or 'messages'", "prompt");
        }
        RouteDecision d = engine.decide(req.model(), prompt);
        if (req.qualityTarget() == null && req.budget() == null) {
            return d;
        }
        long t0 = System.nanoTime();
        RouterEngine.Active a = engine.active().get(d.router());
        List<CostAwareSelector.Candidate> cands = registry.all().stream()
                .filter(u -> a.router().models().contains(u.id()))
                .map((UpstreamModel u) -> new CostAwareSelector.Candidate(u.id(), u.blendedPrice())).toList();
        if (cands.isEmpty()) {
            throw RouterException.badRequest("no registry model is known to router " + d.router(), "model");
        }
        String reference = a.router().models().stream().filter(m -> cands.stream().anyMatch(c -> c.model().equals(m)))
                .findFirst().orElseThrow();
        Query q = a.router().needsEmbedding() ? Query.of(prompt, engine.embedder())
                : new Query(prompt, new float[0], dev.colosseum.router.core.PromptFeatures.of(prompt));
        CostAwareSelector.Choice c;
        if (req.qualityTarget() != null) {
            if (req.qualityTarget() < 0 || req.qualityTarget() > 1) {
                throw RouterException.badRequest("quality_target must be within [0, 1]", "quality_target");
            }
            c = CostAwareSelector.byTarget(a.router(), q, cands, reference, req.qualityTarget());
        } else {
            c = CostAwareSelector.byBudget(a.router(), q, cands, reference, req.budget());
        }
        return new RouteDecision(d.router(), d.routerModel(), d.routerVersion(), c.winProbability(),
                req.qualityTarget() != null ? req.qualityTarget() : req.budget(), null, "cost:" + reference, c.model(),
                c.model().equals(reference), reference, null, d.decisionMs() + (System.nanoTime() - t0) / 1e6);
    }
}

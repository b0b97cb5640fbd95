package dev.colosseum.battle.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colosseum.battle.Problem;
import dev.colosseum.battle.ProblemException;
import dev.colosseum.battle.service.BattleService;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code GET /api/v1/battles/{id}/events}: the server-sent events of a battle's current turn, both sides in
 * one stream (event schema {@code BattleEvent}, documented in META-INF/openapi.yaml).
 * <p>
 * This is the hot path of the service, so it is a plain Vert.x route rather than a JAX-RS resource: each
 * event's JSON is built once when it is published, and the event loop only writes the pre-built frames,
 * everything queued since the last write in a single write. Going through the REST layer's SSE support
 * would serialise and flush every event on its own and add a Mutiny stream per connection.
 */
@ApplicationScoped
public class BattleEventsRoute {
    private final BattleService battles;
    private final ObjectMapper mapper;

    public BattleEventsRoute(BattleService battles, ObjectMapper mapper) {
        this.battles = battles;
        this.mapper = mapper;
    }

    void register(@Observes Router router) {
        router.get("/api/v1/battles/:id/events").handler(this::events);
    }

    void events(RoutingContext rc) {
        HttpServerResponse response = rc.response();
        Context context = Vertx.currentContext();
        battles.find(rc.pathParam("id")).subscribe().with(battle -> context.runOnContext(v -> {
            response.setStatusCode(200).setChunked(true)
                    .putHeader("Content-Type", "text/event-stream")
                    .putHeader("Cache-Control", "no-cache")
                    .putHeader("X-Accel-Buffering", "no");
            // headers and an SSE comment go out at once: the client sees the stream open before the first token,
            // and the first token's write carries no headers
            response.write(": open\n\n");
            battles.watch(battle, response, context);
        }), err -> context.runOnContext(v -> {
            Problem p = err instanceof ProblemException pe ? pe.problem()
                    : Problem.of(500, "Internal error", err.getMessage(), null);
            String body;
            try {
                body = mapper.writeValueAsString(p);
            } catch (JsonProcessingException impossible) {
                body = "{}";
            }
            response.setStatusCode(p.status()).putHeader("Content-Type", "application/problem+json").end(body);
        }));
    }
}

package dev.colosseum.router.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.colosseum.router.OpenAiError;
import dev.colosseum.router.RouteDecision;
import dev.colosseum.router.RouterException;
import dev.colosseum.router.UpstreamModel;
import dev.colosseum.router.service.RouterEngine;
import dev.colosseum.router.service.SimulatedUpstream;
import dev.colosseum.router.service.UpstreamRegistry;
import io.quarkus.logging.Log;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Locale;
import java.util.UUID;

/**
 * {@code POST /v1/chat/completions}, OpenAI-compatible. The body is kept as raw JSON: only {@code model} is
 * replaced by the chosen upstream's model name, every other field (tools, response_format, ...) is forwarded
 * untouched. Streaming responses are passed through as SSE with each chunk's {@code model} set to the routed
 * model. Registered as a Vert.x route because a transparent proxy streams opaque bytes (JSON or SSE from
 * the same endpoint); the decision-only API with typed bodies is {@code POST /api/v1/route}.
 */
@ApplicationScoped
public class ChatCompletionsRoute {
    private static final ObjectMapper OM = new ObjectMapper();
    private final RouterEngine engine;
    private final UpstreamRegistry registry;
    private volatile HttpClient client;

    public ChatCompletionsRoute(RouterEngine engine, UpstreamRegistry registry) {
        this.engine = engine;
        this.registry = registry;
    }

    void init(@Observes Router router, Vertx vertx) {
        client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(64)
                .setConnectTimeout(10_000).setIdleTimeout(120));
        router.post("/v1/chat/completions").handler(BodyHandler.create().setBodyLimit(10L * 1024 * 1024))
                .handler(this::handle);
    }

    static String promptOf(JsonNode messages) {
        String last = null;
        for (JsonNode m : messages) {
            if (!m.isObject()) {
                throw RouterException.badRequest("each message must be an object with role and content", "messages");
            }
            if ("user".equals(m.path("role").asText())) {
                JsonNode c = m.get("content");
                if (c == null || c.isNull()) {
                    last = "";
                } else if (c.isTextual()) {
                    last = c.asText();
                } else if (c.isArray()) {
                    StringBuilder sb = new StringBuilder();
                    for (JsonNode part : c) {
                        if ("text".equals(part.path("type").asText())) {
                            sb.append(part.path("text").asText()).append('\n');
                        }
                    }
                    last = sb.toString().trim();
                } else {
                    throw RouterException.badRequest("message content must be a string or an array of parts", "messages");
                }
            }
        }
        if (last == null) {
            throw RouterException.badRequest("messages must contain at least one user message", "messages");
        }
        return last;
    }

    /** Validates an OpenAI chat body and returns the prompt used for routing. */
    public static String validate(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw RouterException.badRequest("the request body must be a JSON object", null);
        }
        JsonNode model = body.get("model");
        if (model == null || !model.isTextual() || model.asText().isBlank()) {
            throw RouterException.badRequest("you must provide a model parameter", "model");
        }
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw RouterException.badRequest("'messages' must be a non-empty array", "messages");
        }
        JsonNode stream = body.get("stream");
        if (stream != null && !stream.isBoolean() && !stream.isNull()) {
            throw RouterException.badRequest("'stream' must be a boolean", "stream");
        }
        return promptOf(messages);
    }

    void handle(RoutingContext ctx) {
        ObjectNode body;
        String prompt;
        try {
            Buffer raw = ctx.body().buffer();
            if (raw == null || raw.length() == 0) {
                throw RouterException.badRequest("the request body must be a JSON object", null);
            }
            JsonNode parsed;
            try {
                parsed = OM.readTree(raw.getBytes());
            } catch (java.io.IOException e) {
                String msg = e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
                throw RouterException.badRequest("we could not parse the JSON body of your request: " + msg, null);
            }
            prompt = validate(parsed);
            body = (ObjectNode) parsed;
            RouterEngine.parse(body.get("model").asText());
        } catch (RouterException e) {
            error(ctx.response(), e);
            return;
        }
        String model = body.get("model").asText();
        ctx.vertx().<RouteDecision>executeBlocking(() -> engine.decide(model, prompt), false).onComplete(ar -> {
            if (ar.failed()) {
                if (ar.cause() instanceof RouterException re) {
                    error(ctx.response(), re);
                } else {
                    Log.error("routing failed", ar.cause());
                    error(ctx.response(), new RouterException(500, "routing failed: " + ar.cause().getMessage(), "server_error", null, null));
                }
                return;
            }
            RouteDecision d = ar.result();
            UpstreamModel up = registry.get(d.model()).orElse(null);
            if (up == null) {
                error(ctx.response(), new RouterException(503, "routed model '" + d.model() + "' is not in the model registry",
                        "server_error", "model", "upstream_unavailable"));
                return;
            }
            HttpServerResponse resp = ctx.response();
            resp.putHeader("X-Router", d.router());
            resp.putHeader("X-Router-Score", String.format(Locale.ROOT, "%.6f", d.score()));
            resp.putHeader("X-Router-Threshold", String.format(Locale.ROOT, "%.6f", d.threshold()));
            resp.putHeader("X-Router-Model", d.model());
            if (d.routerVersion() != null) {
                resp.putHeader("X-Router-Version", String.valueOf(d.routerVersion()));
            }
            boolean stream = body.path("stream").asBoolean(false);
            if ("simulated".equals(up.provider())) {
                simulated(resp, up, prompt, stream);
            } else {
                forward(resp, body, up, stream);
            }
        });
    }

    void simulated(HttpServerResponse resp, UpstreamModel up, String prompt, boolean stream) {
        String id = "chatcmpl-sim-" + UUID.randomUUID();
        if (!stream) {
            resp.putHeader("Content-Type", "application/json").end(SimulatedUpstream.completion(id, up.id(), prompt).toString());
            return;
        }
        resp.setChunked(true).putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-cache");
        for (String c : SimulatedUpstream.chunks(id, up.id(), prompt)) {
            resp.write("data: " + c + "\n\n");
        }
        resp.end();
    }

    void forward(HttpServerResponse resp, ObjectNode body, UpstreamModel up, boolean stream) {
        ObjectNode out = body.deepCopy();
        out.put("model", up.upstreamModel() == null || up.upstreamModel().isBlank() ? up.id() : up.upstreamModel());
        String base = up.baseUrl() == null ? "" : up.baseUrl().replaceAll("/+$", "");
        RequestOptions ro = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(base + "/chat/completions")
                .putHeader("Content-Type", "application/json")
                .putHeader("Accept", stream ? "text/event-stream" : "application/json");
        if (up.apiKeyEnv() != null && !up.apiKeyEnv().isBlank()) {
            String key = System.getenv(up.apiKeyEnv());
            if (key != null && !key.isBlank()) {
                ro.putHeader("Authorization", "Bearer " + key);
            }
        }
        byte[] payload;
        try {
            payload = OM.writeValueAsBytes(out);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            error(resp, new RouterException(500, e.getMessage(), "server_error", null, null));
            return;
        }
        client.request(ro).compose(req -> req.send(Buffer.buffer(payload))).onComplete(ar -> {
            if (ar.failed()) {
                error(resp, new RouterException(502, "upstream " + up.id() + " failed: " + ar.cause().getMessage(),
                        "upstream_error", null, "upstream_unavailable"));
                return;
            }
            HttpClientResponse ur = ar.result();
            String ct = ur.getHeader("Content-Type");
            if (stream && ur.statusCode() == 200 && ct != null && ct.startsWith("text/event-stream")) {
                passSse(resp, ur, up.id());
            } else {
                ur.body().onComplete(b -> {
                    if (b.failed()) {
                        error(resp, new RouterException(502, "upstream " + up.id() + " failed: " + b.cause().getMessage(),
                                "upstream_error", null, "upstream_unavailable"));
                        return;
                    }
                    resp.setStatusCode(ur.statusCode());
                    resp.putHeader("Content-Type", ct == null ? "application/json" : ct);
                    resp.end(ur.statusCode() / 100 == 2 ? renameModel(b.result(), up.id()) : b.result());
                });
            }
        });
    }

    static Buffer renameModel(Buffer json, String model) {
        try {
            JsonNode n = OM.readTree(json.getBytes());
            if (n.isObject()) {
                ((ObjectNode) n).put("model", model);
                return Buffer.buffer(OM.writeValueAsBytes(n));
            }
        } catch (java.io.IOException e) {
            Log.debugf("upstream body is not JSON: %s", e.getMessage());
        }
        return json;
    }

    void passSse(HttpServerResponse resp, HttpClientResponse ur, String model) {
        resp.setChunked(true).putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-cache");
        RecordParser parser = RecordParser.newDelimited("\n", ur);
        parser.handler(line -> {
            String s = line.toString();
            if (s.endsWith("\r")) {
                s = s.substring(0, s.length() - 1);
            }
            if (s.startsWith("data:")) {
                String data = s.substring(5).trim();
                if (!data.equals("[DONE]") && data.startsWith("{")) {
                    data = renameModel(Buffer.buffer(data), model).toString();
                }
                resp.write("data: " + data + "\n");
            } else {
                resp.write(s + "\n");
            }
        });
        parser.exceptionHandler(t -> resp.reset());
        parser.endHandler(v -> resp.end());
    }

    static void error(HttpServerResponse resp, RouterException e) {
        if (resp.headWritten()) {
            resp.end();
            return;
        }
        try {
            OpenAiError body = e.body();
            resp.setStatusCode(e.status()).putHeader("Content-Type", "application/json").end(OM.writeValueAsString(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            resp.setStatusCode(500).end();
        }
    }
}

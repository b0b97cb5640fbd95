package dev.colosseum.battle;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The langchain4j Anthropic and Gemini providers, streaming, against WireMock speaking each vendor's wire
 * format: answers and usage arrive per side, and an upstream error or time-out ends only its own side.
 */
@QuarkusTest
class VendorUpstreamTest {
    private static final String PROMPT = "Name three rivers of France.";

    @TestHTTPResource("/")
    URL base;

    @BeforeEach
    void registerModels() {
        for (String m : List.of("an-ok", "an-overloaded", "an-slow")) {
            register(m, "anthropic", UpstreamStubs.server().baseUrl() + VendorStubs.ANTHROPIC_PATH);
        }
        for (String m : List.of("gm-ok", "gm-500", "gm-slow")) {
            register(m, "gemini", UpstreamStubs.server().baseUrl() + VendorStubs.GEMINI_PATH);
        }
        VendorStubs.anthropicOk("an-ok", List.of("Seine, ", "Loire ", "and Rhône."));
        VendorStubs.geminiOk("gm-ok", List.of("The Seine, ", "the Loire ", "and the Garonne."));
    }

    private static void register(String id, String provider, String baseUrl) {
        given().header("X-Admin-Key", "colosseum-dev-admin").contentType(ContentType.JSON)
                .body(Map.of("display_name", id, "provider", provider, "organization", "Stub Org",
                        "base_url", baseUrl, "upstream_model", id, "sampling_weight", 0,
                        "generation", Map.of("temperature", 0.2, "max_tokens", 256)))
                .put("/api/v1/admin/models/" + id).then().statusCode(200);
    }

    private String named(String a, String b) {
        return given().contentType(ContentType.JSON).body(Map.of("prompt", PROMPT, "mode", "named",
                "model_a", a, "model_b", b)).post("/api/v1/battles").then().statusCode(201).extract().path("battle_id");
    }

    private static LoggedRequest lastRequest(String pathRegex, String model) {
        return UpstreamStubs.server().findAll(postRequestedFor(urlPathMatching(pathRegex))).stream()
                .filter(r -> r.getUrl().contains(model) || r.getBodyAsString().contains("\"" + model + "\""))
                .reduce((x, y) -> y).orElseThrow(() -> new AssertionError("no request for " + model));
    }

    @Test
    void anthropicStreamsAnswerAndUsage() throws Exception {
        String id = named("an-ok", "gm-ok");
        List<JsonNode> events = Sse.readAll(base.toString(), id);
        assertEquals("Seine, Loire and Rhône.", Sse.text(events, "a"));
        assertTrue(events.stream().filter(e -> "delta".equals(e.path("type").asText())
                && "a".equals(e.path("side").asText())).count() >= 1);
        JsonNode usage = Sse.last(events, "usage", "a");
        assertEquals(13, usage.path("input_tokens").asInt());
        assertEquals(6, usage.path("output_tokens").asInt());
        assertNotNull(Sse.last(events, "done", "a"));
        assertTrue(Sse.last(events, "turn_complete", null).path("votable").asBoolean());

        LoggedRequest req = lastRequest("/anthropic/v1/messages", "an-ok");
        assertNotNull(req.getHeader("anthropic-version"), "Anthropic version header");
        assertNotNull(req.getHeader("x-api-key"), "Anthropic key header");
        JsonNode body = Sse.JSON.readTree(req.getBodyAsString());
        assertTrue(body.path("stream").asBoolean(), body.toString());
        assertEquals(256, body.path("max_tokens").asInt());
        assertTrue(body.path("messages").get(0).toString().contains(PROMPT), body.toString());
    }

    @Test
    void geminiStreamsAnswerAndUsage() throws Exception {
        String id = named("t-alpha", "gm-ok");
        List<JsonNode> events = Sse.readAll(base.toString(), id);
        assertEquals("The Seine, the Loire and the Garonne.", Sse.text(events, "b"));
        JsonNode usage = Sse.last(events, "usage", "b");
        assertEquals(9, usage.path("input_tokens").asInt());
        assertEquals(3, usage.path("output_tokens").asInt());
        assertTrue(Sse.last(events, "turn_complete", null).path("votable").asBoolean());

        LoggedRequest req = lastRequest("/gemini/v1beta/models/.*", "gm-ok");
        assertTrue(req.getUrl().endsWith("/models/gm-ok:streamGenerateContent?alt=sse"), req.getUrl());
        JsonNode body = Sse.JSON.readTree(req.getBodyAsString());
        assertEquals(PROMPT, body.path("contents").get(0).path("parts").get(0).path("text").asText(), body.toString());
        assertEquals(256, body.path("generationConfig").path("maxOutputTokens").asInt(), body.toString());
    }

    @Test
    void anthropicOverloadedEndsOnlyThatSide() throws Exception {
        VendorStubs.anthropicOverloaded("an-overloaded");
        assertOneSideFails(named("an-overloaded", "gm-ok"), "provider_error", "The Seine, the Loire and the Garonne.");
    }

    @Test
    void anthropicTimeoutEndsOnlyThatSide() throws Exception {
        VendorStubs.anthropicDelayed("an-slow", 6000);
        assertOneSideFails(named("an-slow", "gm-ok"), "timeout", "The Seine, the Loire and the Garonne.");
    }

    @Test
    void gemini5xxEndsOnlyThatSide() throws Exception {
        VendorStubs.geminiError("gm-500", 500);
        assertOneSideFails(named("gm-500", "an-ok"), "provider_error", "Seine, Loire and Rhône.");
    }

    @Test
    void geminiTimeoutEndsOnlyThatSide() throws Exception {
        VendorStubs.geminiDelayed("gm-slow", 6000);
        assertOneSideFails(named("gm-slow", "an-ok"), "timeout", "Seine, Loire and Rhône.");
    }

    private void assertOneSideFails(String id, String code, String otherText) throws Exception {
        List<JsonNode> events = Sse.readAll(base.toString(), id);
        JsonNode err = Sse.last(events, "error", "a");
        assertNotNull(err, "side a should end with an error: " + events);
        assertEquals(code, err.path("code").asText(), err.toString());
        assertFalse(err.path("message").asText().isBlank());
        assertEquals(otherText, Sse.text(events, "b"));
        assertNotNull(Sse.last(events, "done", "b"));
        assertFalse(Sse.last(events, "turn_complete", null).path("votable").asBoolean());
        given().contentType(ContentType.JSON).body(Map.of("winner", "B")).post("/api/v1/battles/" + id + "/vote")
                .then().statusCode(409).contentType("application/problem+json");
    }
}

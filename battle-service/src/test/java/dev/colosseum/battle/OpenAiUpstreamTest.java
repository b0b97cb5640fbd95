package dev.colosseum.battle;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The langchain4j OpenAI provider against WireMock: streaming, errors and time-outs on one side, cancellation. */
@QuarkusTest
class OpenAiUpstreamTest {
    @TestHTTPResource("/")
    URL base;

    @BeforeEach
    void registerUpstreamModels() {
        for (String m : List.of("up-ok", "up-5xx", "up-slow", "up-garbage", "up-broken", "up-dribble")) {
            given().header("X-Admin-Key", "colosseum-dev-admin").contentType(ContentType.JSON)
                    .body(Map.of("display_name", m, "provider", "openai", "organization", "Stub Org",
                            "base_url", UpstreamStubs.server().baseUrl() + "/v1", "upstream_model", m,
                            "input_price_per_mtok", 1.0, "output_price_per_mtok", 2.0, "sampling_weight", 0))
                    .put("/api/v1/admin/models/" + m).then().statusCode(200);
        }
        ProviderStubs.streamOk("up-ok", List.of("Rivers ", "flow ", "downhill."));
    }

    private String named(String a, String b) {
        return given().contentType(ContentType.JSON).body(Map.of("prompt", "Why do rivers meander?", "mode", "named",
                "model_a", a, "model_b", b)).post("/api/v1/battles").then().statusCode(201).extract().path("battle_id");
    }

    @Test
    void streamsFromAnOpenAiCompatibleUpstreamAndReportsUsage() throws Exception {
        String id = named("up-ok", "t-alpha");
        List<JsonNode> events = Sse.readAll(base.toString(), id);
        assertEquals("Rivers flow downhill.", Sse.text(events, "a"));
        assertTrue(events.stream().anyMatch(e -> "delta".equals(e.path("type").asText()) && "a".equals(e.path("side").asText())));
        JsonNode usage = Sse.last(events, "usage", "a");
        assertEquals(11, usage.path("input_tokens").asInt());
        assertEquals(5, usage.path("output_tokens").asInt());
        JsonNode req = Sse.JSON.readTree(UpstreamStubs.server().findAll(postRequestedFor(urlPathEqualTo("/v1/chat/completions")))
                .stream().filter(r -> r.getBodyAsString().contains("\"up-ok\"")).reduce((x, y) -> y).orElseThrow().getBodyAsString());
        assertTrue(req.path("stream").asBoolean());
        assertEquals("Why do rivers meander?", req.path("messages").get(0).path("content").asText());
    }

    @Test
    void upstream5xxEndsOnlyThatSide() throws Exception {
        ProviderStubs.status("up-5xx", 500);
        assertOneSideFails(named("up-5xx", "up-ok"), "provider_error");
    }

    @Test
    void upstreamTimeoutEndsOnlyThatSide() throws Exception {
        ProviderStubs.delayed("up-slow", 6000);
        assertOneSideFails(named("up-slow", "up-ok"), "timeout");
    }

    @Test
    void garbageStreamEndsOnlyThatSide() throws Exception {
        ProviderStubs.garbage("up-garbage");
        JsonNode err = assertOneSideFails(named("up-garbage", "up-ok"), null);
        assertNotNull(err.path("code").asText());
    }

    @Test
    void brokenStreamEndsOnlyThatSide() throws Exception {
        ProviderStubs.broken("up-broken");
        assertOneSideFails(named("up-broken", "up-ok"), null);
    }

    private JsonNode assertOneSideFails(String id, String code) throws Exception {
        List<JsonNode> events = Sse.readAll(base.toString(), id);
        JsonNode err = Sse.last(events, "error", "a");
        assertNotNull(err, "side a should end with an error: " + events);
        if (code != null) {
            assertEquals(code, err.path("code").asText());
        }
        assertEquals("Rivers flow downhill.", Sse.text(events, "b"));
        assertNotNull(Sse.last(events, "done", "b"));
        assertFalse(Sse.last(events, "turn_complete", null).path("votable").asBoolean());
        given().contentType(ContentType.JSON).body(Map.of("winner", "B")).post("/api/v1/battles/" + id + "/vote")
                .then().statusCode(409);
        return err;
    }

    @Test
    void voterLeavingCancelsTheUpstreamStream() throws Exception {
        ProviderStubs.streamSlowly("up-dribble", List.of("one ", "two ", "three ", "four ", "five ", "six "), 8000);
        String id = given().contentType(ContentType.JSON).body(Map.of("prompt", "Count slowly", "mode", "direct",
                "model_a", "up-dribble")).post("/api/v1/battles").then().statusCode(201).extract().path("battle_id");
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "api/v1/battles/" + id + "/events")).build();
        HttpResponse<InputStream> resp = Sse.HTTP.send(req, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = resp.body()) {
            byte[] buf = new byte[256];
            StringBuilder got = new StringBuilder();
            while (!got.toString().contains("\"delta\"")) {
                int n = in.read(buf);
                assertTrue(n > 0, "stream ended before the first delta: " + got);
                got.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
        }
        // the client is gone: after the grace period the turn is cancelled, well before the upstream would finish
        long deadline = System.nanoTime() + 6_000_000_000L;
        boolean finished = false;
        while (System.nanoTime() < deadline && !finished) {
            Thread.sleep(200);
            finished = given().get("/api/v1/battles/" + id).then().extract().path("finished");
        }
        assertTrue(finished, "turn should be cancelled once the voter left");
        List<JsonNode> events = Sse.readAll(base.toString(), id);
        assertEquals("cancelled", Sse.last(events, "error", "a").path("code").asText());
        assertFalse(Sse.text(events, "a").contains("six"));
        given().get("/api/v1/battles/" + id).then().statusCode(200).body("votable", equalTo(false));
    }
}

package dev.colosseum.battle;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import dev.colosseum.battle.service.BattleService;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class BattleApiTest {
    @TestHTTPResource("/")
    URL base;

    @Inject
    BattleService service;

    private String start(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/v1/battles")
                .then().statusCode(201).extract().path("battle_id");
    }

    @Test
    void anonymousBattleStreamsBothSidesThenVoteIsForwardedAndNamesRevealed() throws Exception {
        String id = start(Map.of("prompt", "Write a python function to sort a list and explain the algorithm"));
        given().get("/api/v1/battles/" + id).then().statusCode(200).body("models", nullValue());
        List<JsonNode> events = Sse.readAll(base.toString(), id);
        assertNotNull(Sse.last(events, "done", "a"));
        assertNotNull(Sse.last(events, "done", "b"));
        assertNotNull(Sse.last(events, "usage", "a"));
        assertFalse(Sse.text(events, "a").isBlank());
        assertFalse(Sse.text(events, "b").isBlank());
        JsonNode complete = Sse.last(events, "turn_complete", null);
        assertTrue(complete.path("votable").asBoolean());

        UpstreamStubs.server().resetRequests();
        given().contentType(ContentType.JSON).body(Map.of("winner", "A")).post("/api/v1/battles/" + id + "/vote")
                .then().statusCode(200)
                .body("counted", equalTo(true))
                .body("vote_id", equalTo(7))
                .body("categories", hasItem("coding"))
                .body("language", equalTo("English"))
                .body("model_a.display_name", containsString("(simulated)"))
                .body("model_b.id", notNullValue());
        List<LoggedRequest> sent = UpstreamStubs.server().findAll(postRequestedFor(urlPathEqualTo("/api/v1/votes")));
        assertEquals(1, sent.size());
        assertEquals(id, sent.get(0).getHeader("Idempotency-Key"));
        JsonNode vote = Sse.JSON.readTree(sent.get(0).getBodyAsString());
        assertEquals(id, vote.path("battle_id").asText());
        assertEquals("model_a", vote.path("winner").asText());
        assertEquals("anony", vote.path("mode").asText());
        assertEquals(1, vote.path("turn").asInt());
        assertEquals(64, vote.path("voter_id").asText().length());
        assertNotEquals(vote.path("model_a").asText(), vote.path("model_b").asText());
        assertEquals(Sse.text(events, "a"), vote.path("conversation_a").get(1).path("content").asText());
        JsonNode fa = vote.path("features_a");
        for (String f : List.of("tokens", "headers", "lists", "bold", "latency_ms", "ttft_ms", "input_tokens",
                "output_tokens", "cost_usd")) {
            assertTrue(fa.has(f), "features_a." + f);
        }
        assertTrue(fa.path("tokens").asDouble() > 0);

        given().contentType(ContentType.JSON).body(Map.of("winner", "B")).post("/api/v1/battles/" + id + "/vote")
                .then().statusCode(409).contentType("application/problem+json").body("title", equalTo("Already voted"));
        given().get("/api/v1/battles/" + id).then().body("models.size()", equalTo(2)).body("voted", equalTo(true));
    }

    @Test
    void matchmakingNeverSelfPairsAndSkipsOutageAndZeroWeightModels() throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            String id = start(Map.of("prompt", "hello " + i));
            Sse.readAll(base.toString(), id);
            given().contentType(ContentType.JSON).body(Map.of("winner", "tie")).post("/api/v1/battles/" + id + "/vote");
            List<String> pair = given().get("/api/v1/battles/" + id).then().extract().path("models.id");
            assertNotNull(pair);
            assertNotEquals(pair.get(0), pair.get(1));
            seen.addAll(pair);
            given().delete("/api/v1/battles/" + id).then().statusCode(204);
        }
        assertTrue(seen.containsAll(List.of("t-alpha", "t-beta", "t-gamma")), seen.toString());
        assertFalse(seen.contains("t-down"));
        assertFalse(seen.contains("t-broken"));
        assertFalse(seen.contains("t-secret"));
        given().get("/q/metrics").then().body(containsString("colosseum_matchmaking_draws_total{source=\"local_fallback\""));
    }

    @Test
    void matchmakingDrawsFromRankingServiceWeightsSkippingSelfPairsAndOutageModels() throws Exception {
        String body = "{\"policy\": \"active\", \"models\": [\"t-alpha\", \"t-gamma\", \"t-down\"], \"pairs\": ["
                + "{\"model_a\": \"t-alpha\", \"model_b\": \"t-gamma\", \"weight\": 0.5},"
                + "{\"model_a\": \"t-alpha\", \"model_b\": \"t-alpha\", \"weight\": 1000},"
                + "{\"model_a\": \"t-down\", \"model_b\": \"t-gamma\", \"weight\": 1000},"
                + "{\"model_a\": \"t-beta\", \"model_b\": \"t-gamma\", \"weight\": 0}],"
                + "\"model_weights\": {}}";
        UpstreamStubs.server().stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/api/v1/sampling"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body)));
        Set<String> sides = new HashSet<>();
        try {
            for (int i = 0; i < 12; i++) {
                String id = start(Map.of("prompt", "ranked " + i));
                Sse.readAll(base.toString(), id);
                given().contentType(ContentType.JSON).body(Map.of("winner", "tie")).post("/api/v1/battles/" + id + "/vote")
                        .then().statusCode(200);
                List<String> pair = given().get("/api/v1/battles/" + id).then().extract().path("models.id");
                assertEquals(Set.of("t-alpha", "t-gamma"), new HashSet<>(pair));
                sides.add(pair.get(0));
            }
        } finally {
            UpstreamStubs.resetSamplingStub();
        }
        assertEquals(Set.of("t-alpha", "t-gamma"), sides, "left/right is randomised");
        String asked = UpstreamStubs.server().findAll(com.github.tomakehurst.wiremock.client.WireMock
                .getRequestedFor(urlPathEqualTo("/api/v1/sampling"))).get(0).getQueryParams().get("models").firstValue();
        assertFalse(asked.contains("t-down"), "outage models are not even offered: " + asked);
        given().get("/q/metrics").then().body(containsString("colosseum_matchmaking_draws_total{source=\"ranking\""));
    }

    @Test
    void limitsAnswerWithProblemJson() {
        given().contentType(ContentType.JSON).body(Map.of("prompt", "x".repeat(30_001))).post("/api/v1/battles")
                .then().statusCode(413).contentType("application/problem+json")
                .body("field", equalTo("prompt")).body("detail", containsString("30000"));
        given().contentType(ContentType.JSON).body(Map.of("prompt", " ")).post("/api/v1/battles")
                .then().statusCode(422).body("field", equalTo("prompt"));
        given().contentType(ContentType.JSON).body(Map.of("prompt", "hi", "mode", "named", "model_a", "t-alpha",
                "model_b", "t-alpha")).post("/api/v1/battles").then().statusCode(422).body("field", equalTo("model_b"));
        given().contentType(ContentType.JSON).body(Map.of("prompt", "hi", "mode", "named", "model_a", "t-secret",
                "model_b", "t-alpha")).post("/api/v1/battles").then().statusCode(422).body("title", equalTo("Private model"));
        given().contentType(ContentType.JSON).body(Map.of("prompt", "hi", "mode", "direct", "model_a", "nope"))
                .post("/api/v1/battles").then().statusCode(422).body("title", equalTo("Unknown model"));
        given().get("/api/v1/battles/doesnotexist").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void fiftyTurnLimitAndFollowUpsKeepEachSideHistory() throws Exception {
        String id = start(Map.of("prompt", "turn 1", "mode", "direct", "model_a", "t-beta"));
        Sse.readAll(base.toString(), id);
        for (int t = 2; t <= 50; t++) {
            given().contentType(ContentType.JSON).body(Map.of("prompt", "turn " + t))
                    .post("/api/v1/battles/" + id + "/messages").then().statusCode(200).body("turn", equalTo(t));
            Sse.readAll(base.toString(), id);
        }
        given().contentType(ContentType.JSON).body(Map.of("prompt", "turn 51"))
                .post("/api/v1/battles/" + id + "/messages").then().statusCode(422)
                .contentType("application/problem+json").body("detail", containsString("50 turns"));
        given().get("/api/v1/battles/" + id).then().body("conversation_a.size()", equalTo(100))
                .body("conversation_a[98].content", equalTo("turn 50"));
        given().contentType(ContentType.JSON).body(Map.of("winner", "A")).post("/api/v1/battles/" + id + "/vote")
                .then().statusCode(422).body("title", equalTo("Not a battle"));
    }

    @Test
    void namedBattleFollowUpRegenerateAndMultiTurnTag() throws Exception {
        String id = start(Map.of("prompt", "Tell me about rivers", "mode", "named", "model_a", "t-alpha",
                "model_b", "t-gamma", "seed", 5));
        given().get("/api/v1/battles/" + id).then().body("models[0].id", equalTo("t-alpha"));
        List<JsonNode> first = Sse.readAll(base.toString(), id);
        given().contentType(ContentType.JSON).body(Map.of("prompt", "And what about 12 + 30?", "seed", 7))
                .post("/api/v1/battles/" + id + "/messages").then().statusCode(200).body("turn", equalTo(2));
        List<JsonNode> second = Sse.readAll(base.toString(), id);
        String before = Sse.text(second, "a");
        given().contentType(ContentType.JSON).body(Map.of("seed", 99)).post("/api/v1/battles/" + id + "/regenerate")
                .then().statusCode(200).body("turn", equalTo(2));
        List<JsonNode> regenerated = Sse.readAll(base.toString(), id);
        assertNotEquals(before, Sse.text(regenerated, "a"));
        assertNotEquals(Sse.text(first, "a"), Sse.text(second, "a"));
        UpstreamStubs.server().resetRequests();
        given().contentType(ContentType.JSON).body(Map.of("winner", "bothbad")).post("/api/v1/battles/" + id + "/vote")
                .then().statusCode(200).body("counted", equalTo(false)).body("categories", hasItem("multi_turn"))
                .body("categories", hasItem("math"));
        JsonNode vote = Sse.JSON.readTree(UpstreamStubs.server()
                .findAll(postRequestedFor(urlPathEqualTo("/api/v1/votes"))).get(0).getBodyAsString());
        assertEquals("named", vote.path("mode").asText());
        assertEquals("tie (bothbad)", vote.path("winner").asText());
        assertEquals(2, vote.path("turn").asInt());
        assertEquals(4, vote.path("conversation_b").size());
        assertEquals(Sse.text(regenerated, "a"), vote.path("conversation_a").get(3).path("content").asText());
    }

    @Test
    void streamOpenedMidTurnGetsEachSideTextSoFarThenTheRest() throws Exception {
        String id = start(Map.of("prompt", "Describe a lighthouse keeper's day", "mode", "named", "model_a", "t-steady",
                "model_b", "t-alpha", "seed", 11));
        java.util.concurrent.CompletableFuture<List<JsonNode>> whole = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return Sse.readAll(base.toString(), id);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(400); // t-steady streams ~60 tokens at 30/s: mid-answer now, t-alpha already done
        List<JsonNode> late = Sse.readAll(base.toString(), id);
        List<JsonNode> full = whole.get(30, java.util.concurrent.TimeUnit.SECONDS);
        for (String side : List.of("a", "b")) {
            assertEquals(Sse.text(full, side), Sse.text(late, side), "side " + side);
            assertNotNull(Sse.last(late, "done", side));
            // the simulated provider's usage: tokens of the answer it streamed (counted off the start path)
            assertEquals(dev.colosseum.stats.StyleFeatures.countTokens(Sse.text(full, side)),
                    Sse.last(full, "usage", side).path("output_tokens").asInt(), "side " + side);
        }
        // the late stream starts each side with one delta holding everything so far, then continues token by token
        for (String side : List.of("a", "b")) {
            JsonNode first = late.stream().filter(e -> side.equals(e.path("side").asText())).findFirst().orElseThrow();
            assertEquals("delta", first.path("type").asText(), "side " + side);
            assertTrue(first.path("text").asText().length() > 20, first.toString());
        }
        long lateDeltas = late.stream().filter(e -> "delta".equals(e.path("type").asText())).count();
        long fullDeltas = full.stream().filter(e -> "delta".equals(e.path("type").asText())).count();
        assertTrue(lateDeltas > 2 && lateDeltas < fullDeltas, lateDeltas + " of " + fullDeltas);
        // within a side, no delta after that side's usage/done
        for (String side : List.of("a", "b")) {
            boolean ended = false;
            for (JsonNode e : late) {
                if (side.equals(e.path("side").asText())) {
                    String type = e.path("type").asText();
                    assertFalse(ended && "delta".equals(type), "delta after the end of side " + side);
                    ended |= "usage".equals(type) || "done".equals(type);
                }
            }
        }
        assertEquals("turn_complete", late.get(late.size() - 1).path("type").asText());
    }

    @Test
    void failedSideEndsWithErrorOtherCompletesAndBattleCannotBeVoted() throws Exception {
        String id = start(Map.of("prompt", "Explain tides", "mode", "named", "model_a", "t-broken",
                "model_b", "t-alpha"));
        List<JsonNode> events = Sse.readAll(base.toString(), id);
        assertEquals("provider_error", Sse.last(events, "error", "a").path("code").asText());
        assertNotNull(Sse.last(events, "done", "b"));
        assertFalse(Sse.last(events, "turn_complete", null).path("votable").asBoolean());
        given().contentType(ContentType.JSON).body(Map.of("winner", "B")).post("/api/v1/battles/" + id + "/vote")
                .then().statusCode(409).body("title", equalTo("Side failed"));
        given().contentType(ContentType.JSON).body(Map.of("winner", "Z")).post("/api/v1/battles/" + id + "/vote")
                .then().statusCode(422).body("field", equalTo("winner"));
    }

    @Test
    void voteServiceDownGives503AndTheVoteCanBeRetried() throws Exception {
        String id = start(Map.of("prompt", "Describe a sunset", "mode", "named", "model_a", "t-alpha",
                "model_b", "t-beta"));
        Sse.readAll(base.toString(), id);
        UpstreamStubs.server().stubFor(post(urlPathEqualTo("/api/v1/votes")).willReturn(aResponse().withStatus(503)));
        try {
            given().contentType(ContentType.JSON).body(Map.of("winner", "A")).post("/api/v1/battles/" + id + "/vote")
                    .then().statusCode(503).contentType("application/problem+json");
        } finally {
            UpstreamStubs.resetVoteStubs();
        }
        given().contentType(ContentType.JSON).body(Map.of("winner", "A")).post("/api/v1/battles/" + id + "/vote")
                .then().statusCode(200).body("model_b.id", equalTo("t-beta"));
    }

    @Test
    void identityRevealingAnswerIsAcceptedButFlagged() throws Exception {
        given().header("X-Admin-Key", "colosseum-dev-admin").contentType(ContentType.JSON)
                .body(Map.of("display_name", "Talker", "provider", "openai", "base_url",
                        UpstreamStubs.server().baseUrl() + "/v1", "upstream_model", "talker", "sampling_weight", 0))
                .put("/api/v1/admin/models/w-talker").then().statusCode(200);
        ProviderStubs.streamOk("talker", List.of("I am ", "ChatGPT, made by ", "OpenAI."));
        String id = start(Map.of("prompt", "Who are you?", "mode", "named", "model_a", "w-talker", "model_b", "t-beta"));
        Sse.readAll(base.toString(), id);
        given().contentType(ContentType.JSON).body(Map.of("winner", "A")).post("/api/v1/battles/" + id + "/vote")
                .then().statusCode(200).body("identity_reveal", equalTo(true)).body("counted", equalTo(false))
                .body("exclusion_reasons", hasItem("identity_reveal"));
    }

    @Test
    void adminApiNeedsTheKey() {
        given().contentType(ContentType.JSON).body(Map.of("display_name", "X", "provider", "simulated"))
                .put("/api/v1/admin/models/t-new").then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", "Bearer wrong").get("/api/v1/admin/models").then().statusCode(401);
        UpstreamStubs.server().resetRequests();
        given().header("Authorization", "Bearer colosseum-dev-admin").contentType(ContentType.JSON)
                .body(Map.of("display_name", "New", "provider", "simulated", "visibility", "private"))
                .put("/api/v1/admin/models/t-new").then().statusCode(200)
                .body("display_name", equalTo("New (simulated)")).body("enabled", equalTo(true));
        given().header("X-Admin-Key", "colosseum-dev-admin").contentType(ContentType.JSON)
                .body(Map.of("display_name", "Bad", "provider", "carrier-pigeon"))
                .put("/api/v1/admin/models/t-bad").then().statusCode(422).body("field", equalTo("provider"));
        given().get("/api/v1/models").then().body("models.id", not(hasItem("t-new")))
                .body("models.id", not(hasItem("t-secret"))).body("models.size()", greaterThan(3));
        given().header("X-Admin-Key", "colosseum-dev-admin").get("/api/v1/models").then()
                .body("models.id", hasItem("t-new"));
        assertFalse(UpstreamStubs.server().findAll(com.github.tomakehurst.wiremock.client.WireMock
                .putRequestedFor(urlPathEqualTo("/api/v1/models/t-new"))).isEmpty());
        given().header("X-Admin-Key", "colosseum-dev-admin").delete("/api/v1/admin/models/t-new").then().statusCode(200);
        given().header("X-Admin-Key", "colosseum-dev-admin").delete("/api/v1/admin/models/t-new").then().statusCode(404);
    }

    @Test
    void finishedBattlesLeaveMemoryAfterTheirTimeToLiveBattlesBeingGeneratedNever() throws Exception {
        String finished = start(Map.of("prompt", "Name three rivers", "mode", "named", "model_a", "t-beta",
                "model_b", "t-gamma"));
        Sse.readAll(base.toString(), finished);
        String generating = start(Map.of("prompt", "Tell me a long story about the sea", "mode", "named",
                "model_a", "t-slow", "model_b", "t-steady"));
        assertEquals(0, service.expireIdle(System.nanoTime()), "nothing is past its time to live yet");
        assertTrue(service.inMemory(finished));

        long afterTtl = System.nanoTime() + Duration.ofHours(3).toNanos();
        assertTrue(service.expireIdle(afterTtl) >= 1);
        assertFalse(service.inMemory(finished));
        assertTrue(service.inMemory(generating), "a battle still being generated is never expired");
        given().delete("/api/v1/battles/" + generating).then().statusCode(204);
        assertFalse(service.inMemory(generating));
    }
}

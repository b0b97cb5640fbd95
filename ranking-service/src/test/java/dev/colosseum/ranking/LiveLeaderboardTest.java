package dev.colosseum.ranking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Votes go into a real vote-service; ranking-service follows its log through the cursor API into its own
 * PostgreSQL schema; the live leaderboard must equal the rank command (arena-stats Ranker) on exactly the
 * votes that count.
 */
@QuarkusTest
@QuarkusTestResource(LiveStackResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveLeaderboardTest {
    static final List<ObjectNode> COUNTED = new ArrayList<>();
    static int excludedSeen;
    static int namedSeen;
    static boolean loaded;

    @BeforeEach
    void loadVotes() {
        if (loaded) {
            return;
        }
        SimVotes sim = new SimVotes(LiveStackResource.MODELS, 7, Instant.parse("2026-11-20T00:00:00Z"));
        for (int i = 0; i < 900; i++) {
            boolean reveal = i % 23 == 5;
            boolean named = i % 29 == 7;
            ObjectNode v = sim.next("b", reveal, named);
            HttpResponse<String> r = LiveStackResource.votes.post(v.toString());
            assertEquals(201, r.statusCode(), r.body());
            JsonNode receipt = read(r.body());
            if (named) {
                namedSeen++;
            } else if (receipt.path("excluded").asBoolean()) {
                excludedSeen++;
            } else {
                COUNTED.add(v);
            }
        }
        loaded = true;
        awaitCounted(COUNTED.size());
    }

    static JsonNode read(String s) {
        try {
            return SimVotes.JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void awaitCounted(long expected) {
        long end = System.currentTimeMillis() + 60_000;
        long counted = -1;
        while (System.currentTimeMillis() < end) {
            counted = given().get("/api/v1/status").then().statusCode(200).extract().jsonPath().getLong("counted_votes");
            if (counted == expected) {
                return;
            }
            VoteServiceProcess.sleep(100);
        }
        throw new AssertionError("ranking-service counted " + counted + " votes, expected " + expected);
    }

    /** The rank command's JSON on the counted votes that pass {@code keep}. */
    static JsonNode expected(Predicate<ObjectNode> keep, String... options) {
        StringBuilder jsonl = new StringBuilder();
        for (ObjectNode v : COUNTED) {
            if (keep.test(v)) {
                jsonl.append(v).append('\n');
            }
        }
        return read(RankCommand.rank(jsonl.toString(), options));
    }

    static void assertSameBoard(JsonNode want, Response got, boolean style) {
        List<Map<String, Object>> rows = got.jsonPath().getList("models");
        Map<String, Map<String, Object>> byModel = new HashMap<>();
        for (Map<String, Object> r : rows) {
            byModel.put((String) r.get("model"), r);
        }
        assertEquals(want.path("models").size(), rows.size(), "models listed");
        for (JsonNode w : want.path("models")) {
            String model = w.path("model").asText();
            Map<String, Object> g = byModel.get(model);
            assertNotNull(g, "missing " + model);
            assertEquals(w.path("rating").asDouble(), ((Number) g.get("rating")).doubleValue(), 0.01, model + " rating");
            assertEquals(w.path("ci_low").asDouble(), ((Number) g.get("ci_low")).doubleValue(), 0.01, model + " ci_low");
            assertEquals(w.path("ci_high").asDouble(), ((Number) g.get("ci_high")).doubleValue(), 0.01, model + " ci_high");
            assertEquals(w.path("rank").asInt(), ((Number) g.get(style ? "rank_style_control" : "rank")).intValue(), model + " rank");
            assertEquals(w.path("battles").asInt(), ((Number) g.get("votes")).intValue(), model + " votes");
            assertEquals(w.path("elo_online").asDouble(), ((Number) g.get("elo_online")).doubleValue(), 0.01, model + " elo");
        }
    }

    @Test
    @Order(1)
    void leaderboardEqualsTheRankCommandOnTheCountedVotes() throws Exception {
        assertTrue(excludedSeen > 0 && namedSeen > 0, "the data holds excluded and named votes");
        JsonNode want = expected(v -> true);
        Response got = given().queryParam("min_votes", 0).queryParam("include_deprecated", true)
                .get("/api/v1/leaderboard").then().statusCode(200).extract().response();
        assertEquals(COUNTED.size(), got.jsonPath().getInt("n_votes"));
        assertSameBoard(want, got, false);
    }

    @Test
    @Order(2)
    void styleControlAndCategoriesEqualTheRankCommand() throws Exception {
        JsonNode want = expected(v -> true, "style");
        Response got = given().queryParam("min_votes", 0).queryParam("include_deprecated", true)
                .queryParam("style_control", true)
                .get("/api/v1/leaderboard").then().statusCode(200).extract().response();
        assertSameBoard(want, got, true);
        for (String f : List.of("tokens", "headers", "lists", "bold")) {
            assertEquals(want.path("style_coefficients").path(f).path("coefficient").asDouble(),
                    got.jsonPath().getDouble("style_coefficients." + f + ".value"), 1e-6, f);
        }
        assertTrue(got.jsonPath().getDouble("style_coefficients.tokens.value") > 0.1, "planted length effect found");

        JsonNode coding = expected(v -> v.toString().contains("\"coding\""));
        Response gotCoding = given().queryParam("category", "coding").queryParam("min_votes", 0)
                .queryParam("include_deprecated", true).get("/api/v1/leaderboard").then().statusCode(200).extract().response();
        assertSameBoard(coding, gotCoding, false);

        JsonNode german = expected(v -> "German".equals(v.path("language").asText()), "simultaneous");
        Response gotGerman = given().queryParam("category", "german").queryParam("ci", "simultaneous")
                .queryParam("min_votes", 0).queryParam("include_deprecated", true)
                .get("/api/v1/leaderboard").then().statusCode(200).extract().response();
        assertSameBoard(german, gotGerman, false);

        JsonNode anchored = expected(v -> true, "anchor=sim-cobalt=1114");
        Response gotAnchored = given().queryParam("anchor", "sim-cobalt=1114").queryParam("min_votes", 0)
                .queryParam("include_deprecated", true).get("/api/v1/leaderboard").then().statusCode(200).extract().response();
        assertSameBoard(anchored, gotAnchored, false);

        Response sandwich = given().queryParam("min_votes", 0).queryParam("include_deprecated", true)
                .get("/api/v1/leaderboard").then().statusCode(200).extract().response();
        Response boot = given().queryParam("ci", "bootstrap").queryParam("rounds", 200).queryParam("seed", 3)
                .queryParam("min_votes", 0).queryParam("include_deprecated", true)
                .get("/api/v1/leaderboard").then().statusCode(200).body("ci", equalTo("bootstrap")).extract().response();
        for (int i = 0; i < 6; i++) {
            String model = boot.jsonPath().getString("models[" + i + "].model");
            double rating = boot.jsonPath().getDouble("models[" + i + "].rating");
            double width = boot.jsonPath().getDouble("models[" + i + "].ci_high") - boot.jsonPath().getDouble("models[" + i + "].ci_low");
            double sw = sandwich.jsonPath().getDouble("models.find { it.model == '" + model + "' }.ci_high")
                    - sandwich.jsonPath().getDouble("models.find { it.model == '" + model + "' }.ci_low");
            assertEquals(sandwich.jsonPath().getDouble("models.find { it.model == '" + model + "' }.rating"), rating, 1e-6);
            assertTrue(boot.jsonPath().getDouble("models[" + i + "].ci_low") < rating
                    && rating < boot.jsonPath().getDouble("models[" + i + "].ci_high"), model);
            assertTrue(width > 0.6 * sw && width < 1.6 * sw, model + " bootstrap width " + width + " vs sandwich " + sw);
        }

        List<Map<String, Object>> cats = given().get("/api/v1/categories").then().statusCode(200).extract().jsonPath().getList("$");
        Map<String, Integer> votes = new HashMap<>();
        for (Map<String, Object> c : cats) {
            votes.put((String) c.get("name"), ((Number) c.get("votes")).intValue());
        }
        assertEquals(COUNTED.size(), votes.get("overall"));
        assertEquals(coding.path("n_battles").asInt(), votes.get("coding"));
        assertEquals(german.path("n_battles").asInt(), votes.get("language:german"));
        assertTrue(votes.containsKey("multi_turn") && votes.containsKey("hard_prompt"));
    }

    @Test
    @Order(3)
    void hiddenModelsAndRanksAmongTheShown() {
        Response all = given().queryParam("min_votes", 0).queryParam("include_deprecated", true)
                .get("/api/v1/leaderboard").then().statusCode(200).extract().response();
        assertTrue(all.jsonPath().getList("models.model").contains("sim-fjord"));
        Response noDeprecated = given().queryParam("min_votes", 0).get("/api/v1/leaderboard").then().statusCode(200)
                .extract().response();
        assertFalse(noDeprecated.jsonPath().getList("models.model").contains("sim-fjord"), "deprecated model hidden");
        assertEquals(5, noDeprecated.jsonPath().getList("models").size());
        // default threshold 300: each model has fewer than 300 votes here
        given().get("/api/v1/leaderboard").then().statusCode(200).body("models.size()", equalTo(0));
        int perModel = all.jsonPath().getInt("models.find { it.model == 'sim-dune' }.votes");
        Response threshold = given().queryParam("min_votes", perModel).queryParam("include_deprecated", true)
                .get("/api/v1/leaderboard").then().statusCode(200).extract().response();
        assertFalse(threshold.jsonPath().getList("models.model").contains("sim-dune"), "≤ min_votes hidden");
    }

    @Test
    @Order(4)
    void badParametersAreProblems() {
        for (String[] q : new String[][]{{"category", "astrology"}, {"ci", "jackknife"}, {"style_control", "maybe"},
                {"min_votes", "-1"}, {"anchor", "no-such-model=1000"}, {"covariates", "shoe_size"}, {"rounds", "0"}}) {
            given().queryParam(q[0], q[1]).get("/api/v1/leaderboard").then().statusCode(400)
                    .contentType(startsWith("application/problem+json")).body("status", equalTo(400))
                    .body("field", equalTo(q[0]));
        }
        given().queryParam("policy", "roulette").get("/api/v1/sampling").then().statusCode(400).body("field", equalTo("policy"));
        given().queryParam("category", "nope").get("/api/v1/matrices").then().statusCode(400).body("field", equalTo("category"));
        given().body("{\"model_a\":\"x\",\"model_b\":\"y\",\"winner\":\"nobody\"}\n".getBytes(StandardCharsets.UTF_8)).contentType("application/x-ndjson")
                .post("/api/v1/rank").then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("detail", startsWith("line 1"));
    }

    @Test
    @Order(5)
    void statelessRankEqualsTheRankCommand() throws Exception {
        StringBuilder jsonl = new StringBuilder();
        for (ObjectNode v : COUNTED) {
            jsonl.append(v).append('\n');
        }
        JsonNode want = expected(v -> true, "style");
        String got = given().body(jsonl.toString().getBytes(StandardCharsets.UTF_8)).contentType("application/x-ndjson").queryParam("style_control", true)
                .post("/api/v1/rank").then().statusCode(200).extract().asString();
        assertEquals(want, read(got));

        // the CLI's --solver fastchat --anchor-ci shifted, as query parameters
        JsonNode wantFastchat = expected(v -> true, "anchor=sim-cobalt=1114", "solver=fastchat", "anchor-ci=shifted");
        assertNotEquals(expected(v -> true, "anchor=sim-cobalt=1114"), wantFastchat, "the options change the result");
        String gotFastchat = given().body(jsonl.toString().getBytes(StandardCharsets.UTF_8)).contentType("application/x-ndjson")
                .queryParam("anchor", "sim-cobalt=1114").queryParam("solver", "fastchat").queryParam("anchor_ci", "shifted")
                .post("/api/v1/rank").then().statusCode(200).extract().asString();
        assertEquals(wantFastchat, read(gotFastchat));
        for (String[] bad : new String[][] {{"solver", "lbfgs"}, {"anchor_ci", "absolute"}}) {
            given().body(jsonl.toString().getBytes(StandardCharsets.UTF_8)).contentType("application/x-ndjson")
                    .queryParam(bad[0], bad[1]).post("/api/v1/rank").then().statusCode(400)
                    .contentType(startsWith("application/problem+json")).body("field", equalTo(bad[0]));
        }
        long before = given().get("/api/v1/status").then().extract().jsonPath().getLong("counted_votes");
        assertEquals(COUNTED.size(), before, "the stateless endpoint stored nothing");
    }

    @Test
    @Order(6)
    void covariatesMatricesHistoryDriftParetoSampling() throws Exception {
        Response cov = given().queryParam("covariates", "price,latency_ms,params_b").queryParam("min_votes", 0)
                .queryParam("include_deprecated", true).get("/api/v1/leaderboard").then().statusCode(200).extract().response();
        assertEquals(List.of("price", "latency_ms", "params_b"), cov.jsonPath().getList("covariates"));
        assertEquals(6, cov.jsonPath().getList("models").size());
        assertNotNull(cov.jsonPath().get("style_coefficients.price.value"));

        Response mx = given().get("/api/v1/matrices").then().statusCode(200).extract().response();
        List<String> order = mx.jsonPath().getList("models");
        assertEquals(6, order.size());
        List<List<Number>> counts = mx.jsonPath().getList("counts");
        long total = 0;
        long ties = COUNTED.stream().filter(v -> v.path("winner").asText().startsWith("tie")).count();
        for (List<Number> row : counts) {
            for (Number c : row) {
                total += c.longValue();
            }
        }
        assertEquals(2 * (COUNTED.size() - ties), total, "non-tie battles counted in both orders");
        List<List<Number>> predicted = mx.jsonPath().getList("predicted");
        assertTrue(predicted.get(0).get(order.size() - 1).doubleValue() > 0.5, "best beats worst");

        Response hist = given().queryParam("points", 5).get("/api/v1/models/sim-atlas/history").then().statusCode(200)
                .extract().response();
        List<Map<String, Object>> points = hist.jsonPath().getList("points");
        assertEquals(5, points.size());
        JsonNode want = expected(v -> true);
        double last = ((Number) points.get(4).get("rating")).doubleValue();
        double atlas = Double.NaN;
        for (JsonNode m : want.path("models")) {
            if (m.path("model").asText().equals("sim-atlas")) {
                atlas = m.path("rating").asDouble();
            }
        }
        assertEquals(atlas, last, 0.01, "last history point = current rating");
        given().get("/api/v1/models/nobody/history").then().statusCode(404);

        Response drift = given().queryParam("min_votes", 10).get("/api/v1/drift").then().statusCode(200).extract().response();
        assertTrue(drift.jsonPath().getInt("models_checked") >= 4);
        assertTrue(drift.jsonPath().getDouble("z_threshold") > 1.96);
        // the simulated strengths never change: nothing may be flagged at a Bonferroni-corrected 5%
        given().queryParam("min_votes", 10).get("/api/v1/drift/significant").then().statusCode(200)
                .body("models.size()", equalTo(0));

        Response pareto = given().queryParam("min_votes", 0).queryParam("include_deprecated", true)
                .get("/api/v1/pareto").then().statusCode(200).extract().response();
        List<Map<String, Object>> pts = pareto.jsonPath().getList("models");
        assertEquals(6, pts.size());
        Map<String, Object> cheapest = pts.get(0);
        assertEquals(true, cheapest.get("frontier"), "the cheapest model is on the frontier");
        for (Map<String, Object> p : pts) {
            if (Boolean.TRUE.equals(p.get("frontier"))) {
                for (Map<String, Object> q : pts) {
                    boolean dominates = ((Number) q.get("price")).doubleValue() < ((Number) p.get("price")).doubleValue()
                            && ((Number) q.get("rating")).doubleValue() >= ((Number) p.get("rating")).doubleValue();
                    assertFalse(dominates, q.get("model") + " dominates frontier model " + p.get("model"));
                }
            }
        }

        for (String policy : List.of("active", "active-eq9", "fastchat")) {
            Response s = given().queryParam("policy", policy).get("/api/v1/sampling").then().statusCode(200).extract().response();
            assertEquals(policy, s.jsonPath().getString("policy"));
            List<String> models = s.jsonPath().getList("models");
            assertFalse(models.contains("sim-fjord"), "deprecated models are not sampled");
            assertEquals(5, models.size());
            List<Number> weights = s.jsonPath().getList("pairs.weight");
            assertEquals(10, weights.size());
            if (policy.equals("active")) {
                // greedy design: weights are virtual-vote counts, ≥ 0, summing to the design budget
                assertTrue(weights.stream().allMatch(w -> w.doubleValue() >= 0));
                assertEquals(200.0, weights.stream().mapToDouble(Number::doubleValue).sum(), 1e-9);
            } else {
                assertTrue(weights.stream().allMatch(w -> w.doubleValue() > 0));
            }
        }
        Response fc = given().queryParam("policy", "fastchat").queryParam("models", "sim-atlas,sim-breeze,sim-cobalt")
                .get("/api/v1/sampling").then().statusCode(200).extract().response();
        double sum = fc.jsonPath().getList("pairs.weight", Double.class).stream().mapToDouble(Double::doubleValue).sum();
        assertEquals(1.0, sum, 1e-6, "FastChat pair probabilities sum to 1");
    }

    @Test
    @Order(10)
    void aNewVoteShowsUpInTheOverallLeaderboard() {
        int before = given().queryParam("min_votes", 0).get("/api/v1/leaderboard").then().statusCode(200)
                .extract().jsonPath().getInt("n_votes");
        SimVotes sim = new SimVotes(LiveStackResource.MODELS, 99, Instant.parse("2026-11-27T00:00:00Z"));
        ObjectNode v = sim.next("late", false, false);
        assertEquals(201, LiveStackResource.votes.post(v.toString()).statusCode());
        COUNTED.add(v);
        long end = System.currentTimeMillis() + 30_000;
        int now = before;
        while (System.currentTimeMillis() < end && now == before) {
            now = given().queryParam("min_votes", 0).get("/api/v1/leaderboard").then().statusCode(200)
                    .extract().jsonPath().getInt("n_votes");
        }
        assertEquals(before + 1, now);
    }
}

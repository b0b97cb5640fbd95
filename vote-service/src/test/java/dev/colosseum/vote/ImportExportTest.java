package dev.colosseum.vote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colosseum.embedded.EmbeddedPostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresTestResource.class)
class ImportExportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Path sample() {
        return Path.of(System.getProperty("colosseum.shared.dir", "../../shared"), "data", "arena",
                "lmarena_2024_sample10k_battles.jsonl");
    }

    @Test
    void tenThousandSampleRoundTripsAndReimportStoresNothing() throws Exception {
        byte[] file = Files.readAllBytes(sample());
        given().body(file).post("/api/v1/import").then().statusCode(401);

        Response first = given().header("X-Admin-Key", Votes.ADMIN).contentType("application/x-ndjson").body(file)
                .post("/api/v1/import?source=sample10k");
        first.then().statusCode(200).body("read", equalTo(10000)).body("stored", equalTo(10000))
                .body("skipped", equalTo(0));
        assertTrue(first.jsonPath().getInt("historical_models_registered") >= 50, first.asString());
        given().get("/api/v1/import/status").then().statusCode(200).body("state", equalTo("done"));

        given().header("X-Admin-Key", Votes.ADMIN).contentType("application/x-ndjson").body(file)
                .post("/api/v1/import?source=sample10k").then().statusCode(200)
                .body("stored", equalTo(0)).body("skipped", equalTo(10000))
                .body("skipped_reasons.already_stored", equalTo(10000));

        // imported models are historical: they do not validate live votes
        given().get("/api/v1/models").then().statusCode(200);
        List<Map<String, Object>> models = given().get("/api/v1/models").jsonPath().getList("models");
        assertTrue(models.stream().anyMatch(m -> "chatgpt-4o-latest".equals(m.get("id"))
                && Boolean.TRUE.equals(m.get("historical"))));
        Votes.client().body(Votes.body(Votes.battleId(), "chatgpt-4o-latest", "sim-atlas", "tie", Votes.voterId()))
                .post("/api/v1/votes").then().statusCode(422).body("field", equalTo("model_a"));

        Map<String, JsonNode> original = new HashMap<>();
        for (String line : Files.readAllLines(sample())) {
            JsonNode n = JSON.readTree(line);
            original.put(n.get("question_id").asText(), n);
        }
        String exported = given().get("/api/v1/export?format=jsonl&model=").then().statusCode(200)
                .extract().asString();
        int matched = 0;
        for (String line : exported.split("\n")) {
            JsonNode n = JSON.readTree(line);
            assertTrue(n.hasNonNull("question_id"), "[" + line + "] of " + exported.length() + ": " + exported.substring(0, Math.min(300, exported.length())));
            JsonNode o = original.get(n.get("question_id").asText());
            if (o == null) {
                continue; // a live vote from another test
            }
            matched++;
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                assertEquals(f.getValue(), n.get(f.getKey()), "field " + f.getKey() + " of " + o.get("question_id"));
            }
        }
        assertEquals(10000, matched);

        // filtered by model: every line names it, and the count matches the source
        long expected = original.values().stream().filter(n -> n.get("model_a").asText().equals("gpt-4o-2024-05-13")
                || n.get("model_b").asText().equals("gpt-4o-2024-05-13")).count();
        String filtered = given().get("/api/v1/export?format=jsonl&model=gpt-4o-2024-05-13").then().statusCode(200)
                .extract().asString();
        String[] lines = filtered.isEmpty() ? new String[0] : filtered.split("\n");
        assertEquals(expected, lines.length, filtered.substring(0, 700).replace("\n", "<NL>"));
        assertTrue(expected > 0);

        String csv = given().get("/api/v1/export?format=csv&model=gpt-4o-2024-05-13").then().statusCode(200)
                .extract().asString();
        String[] csvLines = csv.split("\n");
        assertTrue(csvLines[0].startsWith("id,model_a,model_b,prompt,response_a,response_b,winner_model_a"));
        assertEquals(expected + 1, csvLines.length);

        // stats: both sides of 10k battles
        Response stats = given().get("/api/v1/stats");
        stats.then().statusCode(200);
        long perModel = stats.jsonPath().getList("per_model.votes", Long.class).stream().mapToLong(Long::longValue).sum();
        long total = stats.jsonPath().getLong("total");
        assertEquals(2 * total, perModel);
        assertTrue(total >= 10000);

        given().get("/api/v1/export?format=xml").then().statusCode(400);
        given().get("/api/v1/export?from=yesterday").then().statusCode(400).body("field", equalTo("from"));
    }

    /** A file over the 10 MB body limit imports from the import directory, streamed; as a body it is refused. */
    @Test
    void fileOverTheBodyLimitImportsFromTheImportDirectory() throws Exception {
        Path dir = Path.of("target/import-test");
        Files.createDirectories(dir);
        Path big = dir.resolve("big.jsonl");
        String run = Votes.battleId().substring(1, 9);
        String modelA = "big-a-" + run;
        String modelB = "big-b-" + run;
        String padding = "x".repeat(900);
        int rows = 12_000;
        String[] winners = {"model_a", "model_b", "tie", "tie (bothbad)"};
        try (java.io.BufferedWriter w = Files.newBufferedWriter(big)) {
            for (int i = 0; i < rows; i++) {
                w.write("{\"question_id\":\"big-" + run + "-" + i + "\",\"model_a\":\"" + modelA + "\",\"model_b\":\""
                        + modelB + "\",\"winner\":\"" + winners[i % 4] + "\",\"judge\":\"arena_user_" + (i % 97)
                        + "\",\"turn\":1,\"anony\":true,\"language\":\"English\",\"tstamp\":" + (1717000000 + i)
                        + ",\"conversation_a\":[{\"role\":\"user\",\"content\":\"question " + i + " " + padding
                        + "\"},{\"role\":\"assistant\",\"content\":\"answer a\"}],\"conversation_b\":[{\"role\":\"user\","
                        + "\"content\":\"question " + i + " " + padding + "\"},{\"role\":\"assistant\",\"content\":\"answer b\"}]}\n");
            }
        }
        long size = Files.size(big);
        assertTrue(size > 10L * 1024 * 1024 + 1, "the generated file exceeds the body limit: " + size);

        // as a request body it is over the limit: 413, or the connection closed while the body was still being sent
        try {
            int status = given().header("X-Admin-Key", Votes.ADMIN).contentType("application/x-ndjson")
                    .body(Files.readAllBytes(big)).post("/api/v1/import?source=too-big").statusCode();
            assertEquals(413, status);
        } catch (Exception refusedMidBody) {
            assertTrue(refusedMidBody.toString().contains("Protocol") || refusedMidBody instanceof java.io.IOException,
                    refusedMidBody.toString());
        }
        assertTrue(given().get("/api/v1/stats").jsonPath().<Map<String, Object>>getList("per_model").stream()
                .noneMatch(m -> modelA.equals(m.get("model"))), "nothing of the refused body was stored");

        given().contentType("application/json").body("{\"path\":\"big.jsonl\"}").post("/api/v1/import/file")
                .then().statusCode(401);
        given().header("X-Admin-Key", Votes.ADMIN).contentType("application/json")
                .body("{\"path\":\"../../pom.xml\"}").post("/api/v1/import/file")
                .then().statusCode(404).body("field", equalTo("path"));
        given().header("X-Admin-Key", Votes.ADMIN).contentType("application/json")
                .body("{\"path\":\"missing.jsonl\"}").post("/api/v1/import/file")
                .then().statusCode(404).body("field", equalTo("path"));

        given().header("X-Admin-Key", Votes.ADMIN).contentType("application/json")
                .body("{\"path\":\"big.jsonl\",\"format\":\"jsonl\",\"source\":\"big-file\"}").post("/api/v1/import/file")
                .then().statusCode(200).body("read", equalTo(rows)).body("stored", equalTo(rows)).body("skipped", equalTo(0));
        List<Map<String, Object>> perModel = given().get("/api/v1/stats").jsonPath().getList("per_model");
        assertEquals(rows, perModel.stream().filter(m -> modelA.equals(m.get("model")))
                .mapToInt(m -> ((Number) m.get("votes")).intValue()).sum());
        // streamed conversations arrive whole
        String exported = given().get("/api/v1/export?format=jsonl&model=" + modelA).then().statusCode(200).extract().asString();
        assertEquals(rows, exported.split("\n").length);
        assertTrue(exported.contains("question 11999 " + padding));
        Files.delete(big);
    }

    @Test
    void importReportsBadRowsWithReasons() {
        String body = """
                {"question_id":"bad1","model_a":"x-1","model_b":"x-2","winner":"model_c"}
                {"question_id":"bad2","model_a":"x-1","winner":"model_a"}
                not json at all
                {"question_id":"good-csv-1","model_a":"x-1","model_b":"x-2","winner":"tie","tstamp":1717000000}
                """;
        given().header("X-Admin-Key", Votes.ADMIN).body(body).post("/api/v1/import?format=jsonl&source=crafted")
                .then().statusCode(200).body("read", equalTo(4)).body("stored", equalTo(1)).body("skipped", equalTo(3))
                .body("skipped_reasons.unknown_winner", equalTo(1)).body("skipped_reasons.missing_field", equalTo(1))
                .body("skipped_reasons.malformed_json", equalTo(1));
        String csv = "id,model_a,model_b,prompt,response_a,response_b,winner_model_a,winner_model_b,winner_tie\n"
                + "k1,x-1,x-3,\"[\"\"hi\"\"]\",\"[\"\"hello\"\"]\",\"[\"\"hey\"\"]\",0,1,0\n";
        given().header("X-Admin-Key", Votes.ADMIN).body(csv).post("/api/v1/import?format=csv&source=kaggle")
                .then().statusCode(200).body("stored", equalTo(1));
        String exported = given().get("/api/v1/export?format=csv&model=x-3").then().statusCode(200).extract().asString();
        assertTrue(exported.contains("k1,x-1,x-3,\"[\"\"hi\"\"]\",\"[\"\"hello\"\"]\",\"[\"\"hey\"\"]\",0,1,0"), exported);
    }
}

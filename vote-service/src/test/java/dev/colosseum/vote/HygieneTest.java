package dev.colosseum.vote;

import dev.colosseum.embedded.EmbeddedPostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Test profile: prompts are capped at the 90th percentile of prompt frequencies. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresTestResource.class)
class HygieneTest {

    private static String vote(String battle, String a, String b, String winner, String voter, String mode,
                               String prompt, String answerA, String answerB) {
        return "{\"battle_id\":\"" + battle + "\",\"model_a\":\"" + a + "\",\"model_b\":\"" + b + "\",\"winner\":\""
                + winner + "\",\"mode\":\"" + mode + "\",\"voter_id\":\"" + voter + "\","
                + "\"conversation_a\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"},{\"role\":\"assistant\",\"content\":\""
                + answerA + "\"}],\"conversation_b\":[{\"role\":\"user\",\"content\":\"" + prompt
                + "\"},{\"role\":\"assistant\",\"content\":\"" + answerB + "\"}]}";
    }

    private static long post(String body) {
        return Votes.client().body(body).post("/api/v1/votes").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    @Test
    void identityRevealInAnswersIsFlaggedButPromptsAreNotChecked() {
        long revealed = post(vote(Votes.battleId(), "sim-atlas", "sim-breeze", "model_a", Votes.voterId(), "anony",
                "Tell me about yourself", "I am Claude, an assistant made by Anthropic.", "I am a helpful assistant."));
        given().get("/api/v1/votes/" + revealed).then().body("excluded", equalTo(true))
                .body("exclusion_reasons", equalTo(List.of("identity_reveal")));
        given().get("/api/v1/votes/" + revealed + "/exclusions").then().statusCode(200)
                .body("rules[0].rule", equalTo("identity_reveal"))
                .body("rules[0].detail", containsString("answer a, message 2 names 'claude'"));

        // the user naming a model reveals nothing; nor do words that merely contain a vendor name
        long asked = post(vote(Votes.battleId(), "sim-atlas", "sim-breeze", "model_b", Votes.voterId(), "anony",
                "Are you ChatGPT or Gemini?", "I am an AI assistant.", "Llamas and googlers are fine; palms too."));
        given().get("/api/v1/votes/" + asked).then().body("excluded", equalTo(false));
        given().get("/api/v1/votes/" + asked + "/exclusions").then().body("rules.size()", equalTo(0));

        long answerB = post(vote(Votes.battleId(), "sim-atlas", "sim-breeze", "tie", Votes.voterId(), "anony",
                "hi", "Hello!", "Hi, I'm GPT-4 from OpenAI."));
        given().get("/api/v1/votes/" + answerB + "/exclusions").then()
                .body("rules[0].detail", containsString("answer b"));

        long named = post(vote(Votes.battleId(), "sim-atlas", "sim-breeze", "tie", Votes.voterId(), "named",
                "hi there", "Hello!", "Hi!"));
        given().get("/api/v1/votes/" + named).then().body("excluded", equalTo(true))
                .body("exclusion_reasons", equalTo(List.of("named_mode")));
    }

    @Test
    void frequentPromptsAreCappedAndAnomalousVotersFlaggedWithEvidenceInTheLog() {
        // twelve distinct prompts, one prompt asked six times
        for (int i = 0; i < 12; i++) {
            post(vote(Votes.battleId(), "sim-atlas", "sim-breeze", "tie", Votes.voterId(), "anony",
                    "distinct prompt " + Votes.battleId(), "a", "b"));
        }
        List<Long> repeated = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            repeated.add(post(vote(Votes.battleId(), "sim-breeze", "sim-atlas", "model_a", Votes.voterId(), "anony",
                    "What is the capital of France?", "Paris", "Paris.")));
        }
        // sixty voters agree that cobalt beats dune
        for (int i = 0; i < 60; i++) {
            post(vote(Votes.battleId(), "sim-cobalt", "sim-dune", "model_a", Votes.voterId(), "anony",
                    "cobalt or dune " + Votes.battleId(), "x", "y"));
        }
        // an honest regular agrees six times; a contrarian always says dune wins
        String honest = Votes.voterId();
        String contrarian = Votes.voterId();
        List<Long> contrarianVotes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            post(vote(Votes.battleId(), "sim-cobalt", "sim-dune", "model_a", honest, "anony",
                    "honest " + Votes.battleId(), "x", "y"));
        }
        for (int i = 0; i < 10; i++) {
            contrarianVotes.add(post(vote(Votes.battleId(), "sim-dune", "sim-cobalt", "model_a", contrarian, "anony",
                    "contrarian " + Votes.battleId(), "x", "y")));
        }

        given().post("/api/v1/hygiene/run").then().statusCode(401);
        JsonPath report = given().header("X-Admin-Key", Votes.ADMIN).post("/api/v1/hygiene/run").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(1, report.getInt("prompt_cap"), report.prettify());
        assertTrue(report.getInt("anomalous_voters") >= 1, report.prettify());

        given().get("/api/v1/votes/" + repeated.get(0)).then().body("excluded", equalTo(false));
        for (long id : repeated.subList(1, 6)) {
            given().get("/api/v1/votes/" + id).then().body("excluded", equalTo(true))
                    .body("exclusion_reasons", hasItem("prompt_duplicate"));
            given().get("/api/v1/votes/" + id + "/exclusions").then()
                    .body("rules[0].detail", containsString("occurs 6 times"));
        }
        for (long id : contrarianVotes) {
            given().get("/api/v1/votes/" + id).then().body("excluded", equalTo(true))
                    .body("exclusion_reasons", hasItem("anomalous_voter"));
        }
        given().get("/api/v1/votes/" + contrarianVotes.get(0) + "/exclusions").then()
                .body("rules.rule", hasItem("anomalous_voter")).body("rules[0].detail", containsString(contrarian));

        // the log carries the later decisions as exclusion items after the votes themselves
        Map<Long, String> exclusionItems = new HashMap<>();
        String cursor = "";
        while (true) {
            JsonPath page = given().queryParam("after", cursor).queryParam("limit", 5000).get("/api/v1/votes")
                    .then().statusCode(200).extract().jsonPath();
            for (Map<String, Object> item : page.<Map<String, Object>>getList("items")) {
                if ("exclusion".equals(item.get("kind"))) {
                    exclusionItems.put(((Number) item.get("vote_id")).longValue(), item.get("exclusion_reasons").toString());
                }
            }
            cursor = page.getString("next_cursor");
            if (!page.getBoolean("has_more")) {
                break;
            }
        }
        for (long id : contrarianVotes) {
            assertTrue(exclusionItems.getOrDefault(id, "").contains("anomalous_voter"), "log item for " + id);
        }
        assertTrue(exclusionItems.get(repeated.get(5)).contains("prompt_duplicate"));

        // a second pass decides nothing new
        JsonPath again = given().header("X-Admin-Key", Votes.ADMIN).post("/api/v1/hygiene/run").then().statusCode(200)
                .extract().jsonPath();
        long before = exclusionItems.size();
        long after = countExclusionItems();
        assertEquals(before, after, again.prettify());
        given().get("/api/v1/votes/" + repeated.get(0)).then().body("exclusion_reasons", not(hasItem("prompt_duplicate")));
    }

    private static long countExclusionItems() {
        long n = 0;
        String cursor = "";
        while (true) {
            JsonPath page = given().queryParam("after", cursor).queryParam("limit", 5000).get("/api/v1/votes")
                    .then().statusCode(200).extract().jsonPath();
            for (Map<String, Object> item : page.<Map<String, Object>>getList("items")) {
                if ("exclusion".equals(item.get("kind"))) {
                    n++;
                }
            }
            cursor = page.getString("next_cursor");
            if (!page.getBoolean("has_more")) {
                return n;
            }
        }
    }
}

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
        // honest regulars agree six times, with the favourite on either side; a contrarian always says dune wins,
        // with dune shown on the left
        String honest = Votes.voterId();
        String honestRight = Votes.voterId();
        String contrarian = Votes.voterId();
        List<Long> contrarianVotes = new ArrayList<>();
        List<Long> honestVotes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            honestVotes.add(post(vote(Votes.battleId(), "sim-cobalt", "sim-dune", "model_a", honest, "anony",
                    "honest " + Votes.battleId(), "x", "y")));
            honestVotes.add(post(vote(Votes.battleId(), "sim-dune", "sim-cobalt", "model_b", honestRight, "anony",
                    "honest right " + Votes.battleId(), "x", "y")));
        }
        for (int i = 0; i < 10; i++) {
            contrarianVotes.add(post(vote(Votes.battleId(), "sim-dune", "sim-cobalt", "model_a", contrarian, "anony",
                    "contrarian " + Votes.battleId(), "x", "y")));
        }
        // on a second pair, sixty voters prefer eagle; a contrarian sees the underdog (falcon) on the right side
        String[] pair = registerPair("eagle", "falcon");
        for (int i = 0; i < 30; i++) {
            post(vote(Votes.battleId(), pair[0], pair[1], "model_a", Votes.voterId(), "anony", "ef " + Votes.battleId(), "x", "y"));
            post(vote(Votes.battleId(), pair[1], pair[0], "model_b", Votes.voterId(), "anony", "fe " + Votes.battleId(), "x", "y"));
        }
        String contrarianRight = Votes.voterId();
        List<Long> contrarianRightVotes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            contrarianRightVotes.add(post(vote(Votes.battleId(), pair[0], pair[1], "model_b", contrarianRight, "anony",
                    "contrarian right " + Votes.battleId(), "x", "y")));
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
        for (long id : contrarianRightVotes) {
            given().get("/api/v1/votes/" + id).then().body("excluded", equalTo(true))
                    .body("exclusion_reasons", hasItem("anomalous_voter"));
        }
        given().get("/api/v1/votes/" + contrarianRightVotes.get(0) + "/exclusions").then()
                .body("rules[0].rule", equalTo("anomalous_voter")).body("rules[0].detail", containsString(contrarianRight));
        for (long id : honestVotes) {
            given().get("/api/v1/votes/" + id).then().body("excluded", equalTo(false));
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

    /** Registers two fresh live models (unique names, so no other test's votes touch the pair). */
    private static String[] registerPair(String a, String b) {
        String suffix = Votes.battleId().substring(1, 9);
        String[] ids = {"sim-" + a + "-" + suffix, "sim-" + b + "-" + suffix};
        for (String id : ids) {
            given().header("X-Admin-Key", Votes.ADMIN).contentType("application/json")
                    .body("{\"id\":\"" + id + "\",\"provider\":\"simulated\"}").put("/api/v1/models/" + id)
                    .then().statusCode(200);
        }
        return ids;
    }

    private static List<Map<String, Object>> logItems() {
        List<Map<String, Object>> items = new ArrayList<>();
        String cursor = "";
        while (true) {
            JsonPath page = given().queryParam("after", cursor).queryParam("limit", 5000).get("/api/v1/votes")
                    .then().statusCode(200).extract().jsonPath();
            items.addAll(page.<Map<String, Object>>getList("items"));
            cursor = page.getString("next_cursor");
            if (!page.getBoolean("has_more")) {
                return items;
            }
        }
    }

    /**
     * A contrarian is flagged; then many other voters come to share that view, the next pass clears the voter:
     * the votes count again, the log carries exclusion items with excluded=false, and the exclusions endpoint
     * keeps the history (applied, then lifted).
     */
    @Test
    void aClearedVoterHasTheExclusionLiftedWithHistory() {
        String[] pair = registerPair("gale", "hail");
        for (int i = 0; i < 40; i++) {
            post(vote(Votes.battleId(), pair[0], pair[1], "model_a", Votes.voterId(), "anony", "gh " + Votes.battleId(), "x", "y"));
        }
        String voter = Votes.voterId();
        List<Long> mine = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            mine.add(post(vote(Votes.battleId(), pair[1], pair[0], "model_a", voter, "anony", "hg " + Votes.battleId(), "x", "y")));
        }
        given().header("X-Admin-Key", Votes.ADMIN).post("/api/v1/hygiene/run").then().statusCode(200);
        for (long id : mine) {
            given().get("/api/v1/votes/" + id).then().body("excluded", equalTo(true))
                    .body("exclusion_reasons", equalTo(List.of("anomalous_voter")));
        }
        // the crowd changes its mind: hail beats gale, shown on either side
        for (int i = 0; i < 100; i++) {
            post(vote(Votes.battleId(), pair[1], pair[0], "model_a", Votes.voterId(), "anony", "hg2 " + Votes.battleId(), "x", "y"));
            post(vote(Votes.battleId(), pair[0], pair[1], "model_b", Votes.voterId(), "anony", "gh2 " + Votes.battleId(), "x", "y"));
        }
        JsonPath report = given().header("X-Admin-Key", Votes.ADMIN).post("/api/v1/hygiene/run").then().statusCode(200)
                .extract().jsonPath();
        assertTrue(report.getLong("votes_lifted") >= mine.size(), report.prettify());
        for (long id : mine) {
            given().get("/api/v1/votes/" + id).then().body("excluded", equalTo(false))
                    .body("exclusion_reasons", equalTo(List.of()));
            given().get("/api/v1/votes/" + id + "/exclusions").then().statusCode(200)
                    .body("excluded", equalTo(false)).body("rules.size()", equalTo(0))
                    .body("history.action", equalTo(List.of("exclude", "lift")))
                    .body("history.rule", equalTo(List.of("anomalous_voter", "anomalous_voter")))
                    .body("history[1].detail", containsString("no longer flagged"));
        }
        // the log: for each of the voter's votes, the vote, then exclusion true, then exclusion false (in that order)
        Map<Long, List<Boolean>> states = new HashMap<>();
        for (Map<String, Object> item : logItems()) {
            if ("exclusion".equals(item.get("kind"))) {
                long id = ((Number) item.get("vote_id")).longValue();
                if (mine.contains(id)) {
                    states.computeIfAbsent(id, k -> new ArrayList<>()).add((Boolean) item.get("excluded"));
                    if (!(Boolean) item.get("excluded")) {
                        assertEquals(List.of(), item.get("exclusion_reasons"));
                    }
                }
            }
        }
        for (long id : mine) {
            assertEquals(List.of(true, false), states.get(id), "log items of vote " + id);
        }
        // a further pass changes nothing
        given().header("X-Admin-Key", Votes.ADMIN).post("/api/v1/hygiene/run").then().statusCode(200)
                .body("votes_lifted", equalTo(0));
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

package dev.colosseum.battle;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The optional LLM judge: a registry model (here an OpenAI-compatible WireMock upstream) labels the prompt at
 * vote time; its hard-prompt / creative-writing / instruction-following tags go to vote-service with the vote.
 */
@QuarkusTest
@TestProfile(JudgeTest.JudgeOn.class)
class JudgeTest {
    public static class JudgeOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("colosseum.battle.judge-model", "judge-stub");
        }
    }

    private static final String PROMPT = "Write a sonnet about a river that forgets its source, in strict iambic pentameter.";

    @TestHTTPResource("/")
    URL base;

    @BeforeEach
    void registerJudge() {
        given().header("X-Admin-Key", "colosseum-dev-admin").contentType(ContentType.JSON)
                .body(Map.of("display_name", "Judge", "provider", "openai", "organization", "Stub Org",
                        "base_url", UpstreamStubs.server().baseUrl() + "/v1", "upstream_model", "judge-stub",
                        "sampling_weight", 0))
                .put("/api/v1/admin/models/judge-stub").then().statusCode(200);
    }

    private JsonNode battleAndVote() throws Exception {
        String id = given().contentType(ContentType.JSON).body(Map.of("prompt", PROMPT, "mode", "anony"))
                .post("/api/v1/battles").then().statusCode(201).extract().path("battle_id");
        Sse.readAll(base.toString(), id);
        UpstreamStubs.server().resetRequests();
        List<String> shown = given().contentType(ContentType.JSON).body(Map.of("winner", "A"))
                .post("/api/v1/battles/" + id + "/vote").then().statusCode(200).extract().path("categories");
        List<LoggedRequest> votes = UpstreamStubs.server().findAll(postRequestedFor(urlPathEqualTo("/api/v1/votes")));
        assertEquals(1, votes.size());
        JsonNode vote = Sse.JSON.readTree(votes.get(0).getBodyAsString());
        List<String> stored = new ArrayList<>();
        vote.path("categories").forEach(c -> stored.add(c.asText()));
        assertEquals(shown, stored, "the voter sees the categories that were stored");
        return vote;
    }

    private static List<String> categories(JsonNode vote) {
        List<String> out = new ArrayList<>();
        vote.path("categories").forEach(c -> out.add(c.asText()));
        return out;
    }

    @Test
    void judgeTagsAreStoredWithTheVote() throws Exception {
        // six of the seven hard-prompt criteria, creative writing, not instruction following; split over chunks
        ProviderStubs.streamOk("judge-stub", List.of("{\"specificity\": true, \"domain_knowledge\": true, ",
                "\"complexity\": true, \"problem_solving\": true, \"creativity\": true, \"technical_accuracy\": true, ",
                "\"real_world\": false, \"creative_writing\": true, \"instruction_following\": false}"));
        JsonNode vote = battleAndVote();
        List<String> cats = categories(vote);
        assertTrue(cats.contains("hard_prompt"), cats.toString());
        assertTrue(cats.contains("creative_writing"), cats.toString());
        assertFalse(cats.contains("instruction_following"), cats.toString());

        List<LoggedRequest> asked = UpstreamStubs.server().findAll(postRequestedFor(urlPathEqualTo("/v1/chat/completions")));
        assertEquals(1, asked.size(), "one judge call per vote");
        JsonNode req = Sse.JSON.readTree(asked.get(0).getBodyAsString());
        assertEquals("judge-stub", req.path("model").asText());
        assertTrue(req.path("messages").get(0).path("content").asText().contains(PROMPT));
    }

    @Test
    void judgeCriteriaBelowTheHardPromptBarGiveOnlyTheirOwnTags() throws Exception {
        ProviderStubs.streamOk("judge-stub", List.of("Labels: {\"specificity\": true, \"domain_knowledge\": false, "
                + "\"complexity\": true, \"problem_solving\": false, \"creativity\": true, \"technical_accuracy\": false, "
                + "\"real_world\": true, \"creative_writing\": false, \"instruction_following\": true}"));
        List<String> cats = categories(battleAndVote());
        assertFalse(cats.contains("hard_prompt"), cats.toString());
        assertFalse(cats.contains("creative_writing"), cats.toString());
        assertTrue(cats.contains("instruction_following"), cats.toString());
    }

    @Test
    void aFailingJudgeDoesNotBlockTheVote() throws Exception {
        ProviderStubs.status("judge-stub", 500);
        List<String> cats = categories(battleAndVote());
        assertFalse(cats.contains("hard_prompt") || cats.contains("creative_writing")
                || cats.contains("instruction_following"), cats.toString());
    }
}

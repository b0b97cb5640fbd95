package dev.colosseum.battle;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** With no judge model configured the judge is off: no judge call and no judge tags, the vote is stored as usual. */
@QuarkusTest
class JudgeOffTest {
    @TestHTTPResource("/")
    URL base;

    @Test
    void noJudgeConfiguredMeansNoJudgeCallAndNoJudgeTags() throws Exception {
        String id = given().contentType(ContentType.JSON).body(Map.of("prompt",
                        "Write a sonnet about a river that forgets its source, in strict iambic pentameter."))
                .post("/api/v1/battles").then().statusCode(201).extract().path("battle_id");
        Sse.readAll(base.toString(), id);
        UpstreamStubs.server().resetRequests();
        given().contentType(ContentType.JSON).body(Map.of("winner", "tie")).post("/api/v1/battles/" + id + "/vote")
                .then().statusCode(200);
        assertEquals(0, UpstreamStubs.server().findAll(postRequestedFor(urlPathEqualTo("/v1/chat/completions"))).size());
        JsonNode vote = Sse.JSON.readTree(UpstreamStubs.server()
                .findAll(postRequestedFor(urlPathEqualTo("/api/v1/votes"))).get(0).getBodyAsString());
        for (JsonNode c : vote.path("categories")) {
            assertFalse(List.of("hard_prompt", "creative_writing", "instruction_following").contains(c.asText()),
                    vote.path("categories").toString());
        }
    }
}

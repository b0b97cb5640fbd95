package dev.colosseum.vote;

import dev.colosseum.embedded.EmbeddedPostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresTestResource.class)
class OpenApiMetricsTest {
    @Test
    void openApiDescribesTheVoteBodyAndSwaggerUiIsServed() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body(containsString("/api/v1/votes")).body(containsString("VoteRequest"))
                .body(containsString("battle_id")).body(containsString("/api/v1/export"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void prometheusCountsAcceptedAndRejectedVotesAndIngestLatency() {
        Votes.client().body(Votes.body(Votes.battleId())).post("/api/v1/votes").then().statusCode(201);
        Votes.client().body(Votes.body(Votes.battleId(), "sim-atlas", "nope", "tie", Votes.voterId()))
                .post("/api/v1/votes").then().statusCode(422);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("colosseum_votes_accepted_total"))
                .body(containsString("colosseum_votes_rejected_total"))
                .body(containsString("colosseum_vote_ingest_seconds"));
    }
}

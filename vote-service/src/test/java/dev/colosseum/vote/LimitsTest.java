package dev.colosseum.vote;

import dev.colosseum.embedded.EmbeddedPostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Test profile: 20 votes per voter per day, 2 requests/s per client with a burst of 100. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresTestResource.class)
class LimitsTest {

    @Test
    void dailyCapPerVoterIs429AndStoresNothing() {
        String voter = Votes.voterId();
        String lastBattle = null;
        String lastBody = null;
        for (int i = 0; i < 20; i++) {
            lastBattle = Votes.battleId();
            lastBody = Votes.body(lastBattle, "sim-atlas", "sim-cobalt", "model_b", voter);
            Votes.client().body(lastBody).post("/api/v1/votes").then().statusCode(201);
        }
        String over = Votes.battleId();
        Response r = Votes.client().body(Votes.body(over, "sim-atlas", "sim-cobalt", "model_b", voter)).post("/api/v1/votes");
        r.then().statusCode(429).body("field", equalTo("voter_id"));
        assertNotNull(r.header("Retry-After"));
        assertTrue(Long.parseLong(r.header("Retry-After")) > 0);
        // a retry of a vote stored before the cap still gets its first answer
        Votes.client().body(lastBody).post("/api/v1/votes").then().statusCode(200);
        // nothing was stored for the refused battle: another voter can use the battle id
        Votes.client().body(Votes.body(over)).post("/api/v1/votes").then().statusCode(201);
    }

    @Test
    void perClientRateLimitIs429WithRetryAfterAndStoresNothing() {
        int accepted = 0;
        int limited = 0;
        String limitedBattle = null;
        for (int i = 0; i < 200; i++) {
            String battle = Votes.battleId();
            Response r = given().header("X-Forwarded-For", "192.0.2.77").contentType("application/json")
                    .body(Votes.body(battle)).post("/api/v1/votes");
            if (r.statusCode() == 201) {
                accepted++;
            } else {
                assertEquals(429, r.statusCode(), r.asString());
                assertNotNull(r.header("Retry-After"));
                limited++;
                limitedBattle = battle;
            }
        }
        assertTrue(limited > 0, "a burst of 100 plus 2/s cannot absorb 200 requests made within 50 s");
        assertTrue(accepted >= 100, "the burst is honoured: " + accepted);
        // the refused vote was not stored
        Votes.client().body(Votes.body(limitedBattle)).post("/api/v1/votes").then().statusCode(201);
    }
}

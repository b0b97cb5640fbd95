package dev.colosseum.vote;

import dev.colosseum.embedded.EmbeddedPostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresTestResource.class)
class VoteApiTest {

    @Test
    void storesAVoteAndReturnsTheSameResultOnRetry() {
        String battle = Votes.battleId();
        String body = Votes.body(battle);
        Response first = Votes.client().header("Idempotency-Key", "key-" + battle).body(body)
                .post("/api/v1/votes");
        first.then().statusCode(201).body("battle_id", equalTo(battle)).body("excluded", equalTo(false));
        long id = first.jsonPath().getLong("id");
        long seq = first.jsonPath().getLong("seq");

        Votes.client().header("Idempotency-Key", "key-" + battle).body(body).post("/api/v1/votes")
                .then().statusCode(200).body("id", equalTo((int) id)).body("seq", equalTo((int) seq));

        given().get("/api/v1/votes/" + id).then().statusCode(200)
                .body("model_a", equalTo("sim-atlas")).body("features_a.tokens", equalTo(120.0f))
                .body("conversation_a", nullValue());
        given().get("/api/v1/votes/" + id + "/conversation").then().statusCode(200)
                .body("conversation_b[1].content", equalTo("Red bloom on old nails"));
    }

    @Test
    void battleIdIsTheDefaultKey() {
        String battle = Votes.battleId();
        String body = Votes.body(battle);
        Votes.client().body(body).post("/api/v1/votes").then().statusCode(201);
        Votes.client().body(body).post("/api/v1/votes").then().statusCode(200);
    }

    @Test
    void aDifferentVoteForTheSameBattleIsAConflict() {
        String battle = Votes.battleId();
        String voter = Votes.voterId();
        Votes.client().body(Votes.body(battle, "sim-atlas", "sim-breeze", "model_a", voter)).post("/api/v1/votes")
                .then().statusCode(201);
        Votes.client().body(Votes.body(battle, "sim-atlas", "sim-breeze", "model_b", voter)).post("/api/v1/votes")
                .then().statusCode(409).contentType(containsString("application/problem+json"))
                .body("field", equalTo("battle_id"));
        // same battle under another key is still the same battle
        Votes.client().header("Idempotency-Key", "other-" + battle)
                .body(Votes.body(battle, "sim-atlas", "sim-breeze", "model_a", voter)).post("/api/v1/votes")
                .then().statusCode(409);
        // the same key for a different battle
        String key = "shared-" + battle;
        Votes.client().header("Idempotency-Key", key).body(Votes.body(Votes.battleId())).post("/api/v1/votes")
                .then().statusCode(201);
        Votes.client().header("Idempotency-Key", key).body(Votes.body(Votes.battleId())).post("/api/v1/votes")
                .then().statusCode(409).body("field", equalTo("Idempotency-Key"));
    }

    @Test
    void invalidVotesAreRejectedNamingTheFieldAndNothingIsStored() {
        String battle = Votes.battleId();
        Map<String, String> cases = Map.of(
                Votes.body(battle, "sim-atlas", "sim-breeze", "model_c", Votes.voterId()), "winner",
                Votes.body(battle, "sim-atlas", "sim-atlas", "model_a", Votes.voterId()), "model_b",
                Votes.body(battle, "sim-atlas", "no-such-model", "model_a", Votes.voterId()), "model_b",
                Votes.body(battle).replace("\"turn\":1", "\"turn\":\"one\""), "turn",
                Votes.body(battle).replace("\"battle_id\":\"" + battle + "\"", "\"battle_id\":\"bad id!\""), "battle_id",
                Votes.body(battle).replace("\"tokens\":120", "\"tokens\":\"many\""), "features_a.tokens",
                Votes.body(battle).replace("\"mode\":\"anony\"", "\"mode\":\"open\""), "mode");
        cases.forEach((body, field) -> {
            Response r = Votes.client().body(body).post("/api/v1/votes");
            assertTrue(r.statusCode() == 400 || r.statusCode() == 422, field + " -> " + r.statusCode() + " " + r.asString());
            assertEquals(field, r.jsonPath().getString("field"), r.asString());
            assertTrue(r.contentType().startsWith("application/problem+json"));
        });
        Votes.client().body("{\"battle_id\":").post("/api/v1/votes").then().statusCode(400)
                .body("title", notNullValue());
        Votes.client().body("[]").post("/api/v1/votes").then().statusCode(400);
        // nothing was stored under that battle id: a valid vote now is new
        Votes.client().body(Votes.body(battle)).post("/api/v1/votes").then().statusCode(201);
    }

    @Test
    void modelsAreListedAndAdminCanRegister() {
        given().get("/api/v1/models").then().statusCode(200).body("models.id", org.hamcrest.Matchers.hasItem("sim-atlas"));
        given().contentType("application/json").body("{\"display_name\":\"New\"}").put("/api/v1/models/sim-new")
                .then().statusCode(401).contentType(containsString("application/problem+json"));
        given().contentType("application/json").header("X-Admin-Key", Votes.ADMIN)
                .body("{\"display_name\":\"New\",\"organization\":\"Test\"}").put("/api/v1/models/sim-new")
                .then().statusCode(200).body("historical", equalTo(false)).body("id", equalTo("sim-new"));
        Votes.client().body(Votes.body(Votes.battleId(), "sim-new", "sim-atlas", "tie", Votes.voterId()))
                .post("/api/v1/votes").then().statusCode(201);
        List<String> ids = given().get("/api/v1/models").jsonPath().getList("models.id");
        assertTrue(ids.contains("sim-new"));
    }
}

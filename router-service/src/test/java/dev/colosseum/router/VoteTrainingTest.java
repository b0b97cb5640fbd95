package dev.colosseum.router;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * router-service against a real vote-service: training from votes posted through vote-service's API and read
 * back through its cursor API, persistence of the version, and scheduled retraining only when new votes arrived.
 */
@QuarkusTest
@QuarkusTestResource(value = VoteServiceResource.class, restrictToAnnotatedClass = true)
class VoteTrainingTest {
    static final String KEY = VoteServiceResource.ADMIN_KEY;
    static final String[] MATH = {"Solve for x: %d x + 7 = 22 and show every step", "Compute the integral of x^%d sin x dx",
        "Prove that the sum of the first %d odd numbers is a square", "Find the eigenvalues of the matrix [[%d, 1], [1, 2]]",
        "How many primes are there below %d? Explain the sieve"};
    static final String[] CHAT = {"Say hello to my friend number %d", "Tell me a joke about cat number %d",
        "Good morning! This is greeting %d", "Suggest a name for my dog, my %dth pet", "Thanks for your help, round %d"};

    static String prompt(int i) {
        String[] pool = i % 2 == 0 ? MATH : CHAT;
        return String.format(pool[(i / 2) % pool.length], 3 + i);
    }

    /** Math prompts are won by the strong model (model_a); chit-chat is a tie or a weak win. */
    static void postVotes(int from, int to) {
        for (int i = from; i < to; i++) {
            String winner = i % 2 == 0 ? "model_a" : (i % 4 == 1 ? "tie" : "model_b");
            VoteServiceResource.postVote("rt-" + i, prompt(i), winner, sha256("voter-" + i));
        }
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Map<String, Object>> versions(String router) {
        List<Map<String, Object>> all = given().get("/api/v1/router/models").then().statusCode(200).extract().jsonPath().getList("$");
        return all.stream().filter(m -> router.equals(m.get("router"))).toList();
    }

    static boolean busy(String router) {
        List<Map<String, Object>> jobs = given().get("/api/v1/router/jobs").then().statusCode(200).extract().jsonPath().getList("$");
        return jobs.stream().anyMatch(j -> router.equals(j.get("router"))
                && ("queued".equals(j.get("state")) || "running".equals(j.get("state"))));
    }

    static void await(String what, long millis, java.util.function.BooleanSupplier ok) {
        long end = System.currentTimeMillis() + millis;
        while (!ok.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                fail("timed out waiting for " + what + "; vote-service log:\n" + VoteServiceResource.vote.tail());
            }
            sleep(250);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static double score(String model, String prompt, int version) {
        JsonPath d = given().contentType(ContentType.JSON).body(Map.of("model", model, "prompt", prompt))
                .post("/api/v1/route").then().statusCode(200).extract().jsonPath();
        assertEquals(version, d.getInt("router_version"));
        return d.getDouble("score");
    }

    @Test
    void trainsFromRealVotesPersistsServesAndRetrainsOnlyWhenVotesArrive() {
        // an empty vote log: the 1 s schedule has nothing to train on
        sleep(2500);
        assertTrue(versions("sw").isEmpty(), "sw trained without votes");
        assertTrue(given().get("/api/v1/router/jobs").then().statusCode(200).extract().jsonPath().getList("$").isEmpty(),
                "a training job started without votes");

        postVotes(0, 60);
        String job = given().contentType(ContentType.JSON).header("X-Admin-Key", KEY)
                .body("{\"router\":\"best\",\"source\":\"votes\"}").post("/api/v1/router/train")
                .then().statusCode(202).extract().path("job_id");
        JsonPath[] j = new JsonPath[1];
        await("training job " + job, 120_000, () -> {
            j[0] = given().get("/api/v1/router/jobs/" + job).then().statusCode(200).extract().jsonPath();
            return !List.of("queued", "running").contains(j[0].getString("state"));
        });
        assertEquals("succeeded", j[0].getString("state"), j[0].prettify());
        assertEquals(60, j[0].getInt("comparisons"));
        int version = j[0].getInt("version");

        // persisted in the router schema and active
        Map<String, Object> stored = versions("best").stream().filter(m -> ((Number) m.get("version")).intValue() == version)
                .findFirst().orElseThrow(() -> new AssertionError("version " + version + " not listed"));
        assertEquals(true, stored.get("active"));
        assertEquals(60, ((Number) stored.get("comparisons")).intValue());
        assertTrue(((List<?>) stored.get("models")).containsAll(List.of("strong-model", "weak-model")), stored.toString());
        assertTrue(((Number) stored.get("size_bytes")).intValue() > 0);

        // and it serves: a maths question scores above chit-chat
        double math = score("router-best-0.5", "Solve for x: 5 x - 4 = 41 and show every step", version);
        double chat = score("router-best-0.5", "Say hello to my neighbour, please", version);
        assertTrue(math > chat, "math " + math + " vs chat " + chat);

        // the schedule trained sw once the votes were in the log ...
        Predicate<Map<String, Object>> all60 = m -> ((Number) m.get("comparisons")).intValue() == 60;
        await("scheduled sw training on 60 votes", 120_000, () -> versions("sw").stream().anyMatch(all60) && !busy("sw"));
        int count = versions("sw").size();
        // ... and trains nothing more while no new vote arrives (several 1 s periods)
        sleep(4000);
        assertEquals(count, versions("sw").size(), "sw retrained without new votes");
        assertTrue(!busy("sw"));

        // new votes: a new sw version trained on all 70
        postVotes(60, 70);
        await("scheduled sw retraining on 70 votes", 120_000,
                () -> versions("sw").stream().anyMatch(m -> ((Number) m.get("comparisons")).intValue() == 70));
        assertTrue(versions("sw").size() > count);
    }
}

package dev.colosseum.vote;

import dev.colosseum.embedded.EmbeddedPostgresTestResource;
import dev.colosseum.vote.repository.StoredVote;
import dev.colosseum.vote.repository.VoteRepository;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Test profile: 20 votes per voter per day, 2 requests/s per client with a burst of 100. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresTestResource.class)
class LimitsTest {
    private static final int CAP = 20;

    @Inject
    VoteRepository repository;

    /** N concurrent requests of one voter with cap C: exactly C stored, the rest 429 with Retry-After. */
    @Test
    void concurrentVotesOfOneVoterStoreExactlyTheCap() throws Exception {
        String voter = Votes.voterId();
        int n = 45;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        List<Future<Response>> futures = new ArrayList<>();
        List<String> battles = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String battle = Votes.battleId();
            battles.add(battle);
            futures.add(pool.submit(() -> {
                start.await();
                return Votes.client().body(Votes.body(battle, "sim-atlas", "sim-cobalt", "tie", voter))
                        .post("/api/v1/votes");
            }));
        }
        start.countDown();
        int stored = 0;
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Response r = futures.get(i).get();
            if (r.statusCode() == 201) {
                stored++;
            } else {
                assertEquals(429, r.statusCode(), r.asString());
                assertEquals("voter_id", r.jsonPath().getString("field"));
                assertTrue(Long.parseLong(r.header("Retry-After")) > 0);
                refused.add(battles.get(i));
            }
        }
        pool.shutdown();
        assertEquals(CAP, stored);
        assertEquals(n - CAP, refused.size());
        // nothing was stored for a refused request: its battle id is still free
        for (String battle : refused) {
            Votes.client().body(Votes.body(battle)).post("/api/v1/votes").then().statusCode(201);
        }
    }

    /**
     * The cap holds in the database itself, not only through the service's in-process ordering: single-vote
     * statements of one voter run concurrently on separate connections (as several replicas would).
     */
    @Test
    void theCapIsAtomicAcrossConcurrentStatements() throws Exception {
        String voter = Votes.voterId();
        int n = 40;
        List<Uni<VoteRepository.Written>> writes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String battle = Votes.battleId();
            StoredVote v = new StoredVote(battle, battle, "h" + i, "sim-atlas", "sim-cobalt", "tie", "anony", voter,
                    null, Instant.now(), 1, null, "[]", null, null, null, "live", null, null, false, "[]", null, null,
                    List.of(), List.of());
            writes.add(Uni.createFrom().deferred(() -> repository.insertLive(List.of(v), CAP)).map(w -> w.get(0)));
        }
        List<?> results = Uni.join().all(writes).andFailFast().await().atMost(java.time.Duration.ofSeconds(60));
        long stored = results.stream().filter(w -> ((VoteRepository.Written) w).receipt() != null).count();
        long capped = results.stream().filter(w -> ((VoteRepository.Written) w).capped()).count();
        assertEquals(CAP, stored);
        assertEquals(n - CAP, capped);
    }

    @Test
    void dailyCapPerVoterIs429AndStoresNothing() {
        String voter = Votes.voterId();
        String lastBattle = null;
        String lastBody = null;
        for (int i = 0; i < CAP; i++) {
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

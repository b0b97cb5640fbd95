package dev.colosseum.vote;

import dev.colosseum.embedded.EmbeddedPostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresTestResource.class)
class VoteLogTest {

    /** Follows the log while writers insert: every acknowledged vote appears exactly once, in cursor order. */
    @Test
    void cursorPagingUnderConcurrentInsertsHasNoGapsAndNoRepeats() throws Exception {
        // start following from the current end of the log (earlier tests may have filled it)
        String cursor = "";
        while (true) {
            JsonPath page = given().queryParam("after", cursor).queryParam("limit", 5000).get("/api/v1/votes")
                    .then().statusCode(200).extract().jsonPath();
            cursor = page.getString("next_cursor");
            if (!page.getBoolean("has_more")) {
                break;
            }
        }
        int writers = 6;
        int perWriter = 40;
        Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            futures.add(pool.submit(() -> {
                for (int i = 0; i < perWriter; i++) {
                    long id = Votes.client().body(Votes.body(Votes.battleId())).post("/api/v1/votes")
                            .then().statusCode(201).extract().jsonPath().getLong("id");
                    acknowledged.add(id);
                }
                return null;
            }));
        }
        Thread closer = new Thread(() -> {
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            done.set(true);
        });
        closer.start();

        List<String> cursors = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        List<Long> repeats = new ArrayList<>();
        boolean finalPass = false;
        while (true) {
            JsonPath page = given().queryParam("after", cursor).queryParam("limit", 7).get("/api/v1/votes")
                    .then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> items = page.getList("items");
            for (Map<String, Object> item : items) {
                if (!"vote".equals(item.get("kind"))) {
                    continue;
                }
                long id = ((Number) ((Map<?, ?>) item.get("vote")).get("id")).longValue();
                if (!seen.add(id)) {
                    repeats.add(id);
                }
                cursors.add((String) item.get("cursor"));
                assertFalse(((Map<?, ?>) item.get("vote")).containsKey("conversation_a"));
            }
            cursor = page.getString("next_cursor");
            if (!page.getBoolean("has_more")) {
                if (finalPass) {
                    break;
                }
                if (done.get()) {
                    finalPass = true; // one more read after all writers finished
                }
                Thread.sleep(5);
            }
        }
        closer.join();
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(List.of(), repeats, "no vote is served twice");
        assertEquals(writers * perWriter, acknowledged.size());
        Set<Long> missing = new HashSet<>(acknowledged);
        missing.removeAll(seen);
        assertEquals(Set.of(), missing, "every acknowledged vote is in the log");
        for (int i = 1; i < cursors.size(); i++) {
            String[] a = cursors.get(i - 1).split("-");
            String[] b = cursors.get(i).split("-");
            long xa = Long.parseLong(a[0]);
            long xb = Long.parseLong(b[0]);
            assertTrue(xa < xb || (xa == xb && Long.parseLong(a[1]) < Long.parseLong(b[1])), "cursor order");
        }
    }

    @Test
    void badCursorsAndLimitsAreRejected() {
        given().queryParam("after", "abc").get("/api/v1/votes").then().statusCode(400);
        given().queryParam("limit", 0).get("/api/v1/votes").then().statusCode(400);
        given().queryParam("limit", 100000).get("/api/v1/votes").then().statusCode(400);
    }
}

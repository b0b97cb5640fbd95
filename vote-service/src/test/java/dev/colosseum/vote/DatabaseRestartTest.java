package dev.colosseum.vote;

import dev.colosseum.embedded.EmbeddedDb;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PostgreSQL is stopped and started again while clients keep voting: during the outage clients get 503
 * (never a 2xx for a vote that was not committed), retries with the same key succeed, and the final
 * table holds exactly one row per battle.
 */
@QuarkusTest
@TestProfile(DatabaseRestartTest.Profile.class)
class DatabaseRestartTest {
    public static class Profile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RestartableDbResource.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("colosseum.vote.limits.client-rate-per-second", "0",
                    "quarkus.datasource.reactive.idle-timeout", "PT1S");
        }
    }

    @TestHTTPResource("/api/v1/votes")
    URI votes;

    @Test
    void restartDuringLoadLosesNothingAndCountsNothingTwice() throws Exception {
        int clients = 4;
        int perClient = 50;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Map<String, Long> acknowledged = new ConcurrentHashMap<>();
        AtomicInteger unavailable = new AtomicInteger();
        AtomicInteger replayed = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                for (int i = 0; i < perClient; i++) {
                    String battle = Votes.battleId();
                    HttpRequest req = HttpRequest.newBuilder(votes).timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json").header("Idempotency-Key", "k-" + battle)
                            .POST(HttpRequest.BodyPublishers.ofString(Votes.body(battle))).build();
                    boolean stored = false;
                    for (int attempt = 0; attempt < 300 && !stored; attempt++) {
                        int status;
                        String body;
                        try {
                            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                            status = r.statusCode();
                            body = r.body();
                        } catch (java.io.IOException e) {
                            status = -1;
                            body = e.toString();
                        }
                        if (status == 201 || status == 200) {
                            long id = Long.parseLong(body.replaceAll(".*\"id\":(\\d+).*", "$1"));
                            acknowledged.put(battle, id);
                            if (status == 200) {
                                replayed.incrementAndGet();
                            }
                            stored = true;
                        } else if (status == 503) {
                            unavailable.incrementAndGet();
                            Thread.sleep(100);
                        } else {
                            unexpected.add(status + " " + body);
                            Thread.sleep(100);
                        }
                    }
                    if (!stored) {
                        unexpected.add("gave up on " + battle);
                    }
                    done.incrementAndGet();
                }
                return null;
            }));
        }
        // let some votes through, then restart PostgreSQL under load
        while (done.get() < clients * perClient / 4) {
            Thread.sleep(10);
        }
        int port = Integer.parseInt(System.getProperty(RestartableDbResource.PORT));
        Path dir = Path.of(System.getProperty(RestartableDbResource.DIR));
        assertTrue(RestartableDbResource.current != null, "the test sees the server started by its resource");
        RestartableDbResource.current.close();
        Thread.sleep(1500);
        EmbeddedDb restarted = EmbeddedDb.start(dir, port);
        RestartableDbResource.current = restarted; // stopped by the resource at the end

        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        assertEquals(List.of(), unexpected);
        assertTrue(unavailable.get() > 0, "the outage was seen as 503");
        assertEquals(clients * perClient, acknowledged.size());

        Set<String> inTable = new HashSet<>();
        Map<String, Long> idByBattle = new java.util.HashMap<>();
        try (Connection c = DriverManager.getConnection(restarted.jdbcUrl("postgres"), EmbeddedDb.USER, EmbeddedDb.PASSWORD);
             ResultSet rs = c.createStatement().executeQuery("SELECT battle_id, id FROM vote.votes")) {
            while (rs.next()) {
                assertTrue(inTable.add(rs.getString(1)), "one row per battle");
                idByBattle.put(rs.getString(1), rs.getLong(2));
            }
        }
        assertEquals(acknowledged.keySet(), inTable, "every acknowledged vote is stored, nothing else");
        acknowledged.forEach((battle, id) -> assertEquals(id, idByBattle.get(battle), "acknowledged id of " + battle));
    }
}

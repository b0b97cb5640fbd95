package dev.colosseum.ranking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real processes: vote-service and ranking-service (this module's packaged jar) on one embedded
 * PostgreSQL. ranking-service is killed (SIGKILL) while votes stream in, restarted, later stopped and
 * started again; exclusions decided after the fact (prompt de-duplication) arrive through the log in between.
 * At the end nothing is lost, nothing is counted twice, excluded votes are out, and the leaderboard equals
 * the rank command on exactly the votes that count.
 */
class RestartIT {
    @Test
    void restartsLoseNothingAndCountNothingTwice() throws Exception {
        List<String> models = LiveStackResource.MODELS;
        try (VoteServiceProcess votes = VoteServiceProcess.start(VoteServiceProcess.modelsFile(models).toPath(),
                Map.of("COLOSSEUM_VOTE_HYGIENE_DEDUP_PERCENTILE", "50"))) {
            Map<String, String> env = Map.of("COLOSSEUM_RANKING_PAGE_SIZE", "25", "COLOSSEUM_RANKING_IDLE_POLL_MS", "20");
            SimVotes sim = new SimVotes(models, 11, Instant.parse("2026-11-21T00:00:00Z"));
            Map<Long, ObjectNode> posted = new LinkedHashMap<>();
            AtomicBoolean failed = new AtomicBoolean();
            List<RankingServiceProcess> started = new ArrayList<>();
            try {
            RankingServiceProcess first = RankingServiceProcess.start(votes.db(), "ranking", votes.url(), env);
            started.add(first);
            Thread writer = new Thread(() -> {
                for (int i = 0; i < 700; i++) {
                    String prompt = i % 40 == 3 ? "What is the capital of France?" : null;
                    ObjectNode v = sim.next("r", i % 31 == 4, i % 37 == 9, prompt);
                    HttpResponse<String> r = votes.post(v.toString());
                    if (r.statusCode() != 201) {
                        failed.set(true);
                        return;
                    }
                    synchronized (posted) {
                        posted.put(LiveLeaderboardTest.read(r.body()).path("id").asLong(), v);
                    }
                }
            });
            writer.start();
            while (sizeOf(posted) < 250) {
                VoteServiceProcess.sleep(20);
            }
            first.kill();
            while (sizeOf(posted) < 400) {
                VoteServiceProcess.sleep(20);
            }
            RankingServiceProcess second = RankingServiceProcess.start(votes.db(), "ranking", votes.url(), env);
            started.add(second);
            writer.join();
            assertTrue(!failed.get(), "every vote accepted");
            HttpResponse<String> hygiene = votes.adminPost("/api/v1/hygiene/run");
            assertEquals(200, hygiene.statusCode(), hygiene.body());
            VoteServiceProcess.sleep(300);
            second.close();
            RankingServiceProcess third = RankingServiceProcess.start(votes.db(), "ranking", votes.url(), env);
            started.add(third);
            {
                // what counts: anonymous votes whose current exclusion flag (vote-service's word) is false
                List<ObjectNode> counted = new ArrayList<>();
                int excludedLater = 0;
                int anonymous = 0;
                for (Map.Entry<Long, ObjectNode> e : posted.entrySet()) {
                    JsonNode v = LiveLeaderboardTest.read(votes.get("/api/v1/votes/" + e.getKey()).body());
                    if (!"anony".equals(v.path("mode").asText())) {
                        continue;
                    }
                    anonymous++;
                    if (v.path("exclusion_reasons").toString().contains("prompt_duplicate")) {
                        excludedLater++;
                    }
                    if (!v.path("excluded").asBoolean()) {
                        counted.add(e.getValue());
                    }
                }
                assertTrue(excludedLater >= 10, "hygiene excluded duplicate prompts after the fact: " + excludedLater);
                long logItems = logLength(votes);
                long end = System.currentTimeMillis() + 60_000;
                JsonNode status = null;
                while (System.currentTimeMillis() < end) {
                    status = LiveLeaderboardTest.read(third.get("/api/v1/status").body());
                    if (status.path("log_items").asLong() == logItems && status.path("caught_up").asBoolean()) {
                        break;
                    }
                    VoteServiceProcess.sleep(100);
                }
                assertNotNull(status);
                assertEquals(logItems, status.path("log_items").asLong(), "every log item taken exactly once: " + status);
                assertEquals(counted.size(), status.path("counted_votes").asLong(), "counted votes");
                assertEquals(anonymous, status.path("stored_votes").asLong(), "stored votes");
                try (Connection c = DriverManager.getConnection(votes.db().jdbcUrl("ranking"), "postgres", "postgres");
                     Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT count(*), count(*) FILTER (WHERE NOT excluded),"
                             + " count(DISTINCT id) FROM ranking.vote")) {
                    rs.next();
                    assertEquals(anonymous, rs.getLong(1));
                    assertEquals(counted.size(), rs.getLong(2));
                    assertEquals(anonymous, rs.getLong(3));
                }
                StringBuilder jsonl = new StringBuilder();
                for (ObjectNode v : counted) {
                    jsonl.append(v).append('\n');
                }
                JsonNode want = LiveLeaderboardTest.read(RankCommand.rank(jsonl.toString()));
                JsonNode got = LiveLeaderboardTest.read(third.get("/api/v1/leaderboard?min_votes=0&include_deprecated=true").body());
                assertEquals(counted.size(), got.path("n_votes").asInt());
                Map<String, JsonNode> byModel = new HashMap<>();
                for (JsonNode m : got.path("models")) {
                    byModel.put(m.path("model").asText(), m);
                }
                assertEquals(want.path("models").size(), byModel.size());
                for (JsonNode w : want.path("models")) {
                    JsonNode g = byModel.get(w.path("model").asText());
                    assertNotNull(g);
                    assertEquals(w.path("rating").asDouble(), g.path("rating").asDouble(), 0.01);
                    assertEquals(w.path("ci_low").asDouble(), g.path("ci_low").asDouble(), 0.01);
                    assertEquals(w.path("ci_high").asDouble(), g.path("ci_high").asDouble(), 0.01);
                    assertEquals(w.path("battles").asInt(), g.path("votes").asInt());
                    assertEquals(w.path("elo_online").asDouble(), g.path("elo_online").asDouble(), 0.01);
                }
            }
            } finally {
                for (RankingServiceProcess p : started) {
                    p.close();
                }
            }
        }
    }

    private static int sizeOf(Map<Long, ObjectNode> m) {
        synchronized (m) {
            return m.size();
        }
    }

    private static long logLength(VoteServiceProcess votes) {
        long n = 0;
        String cursor = null;
        while (true) {
            JsonNode page = LiveLeaderboardTest.read(votes.get("/api/v1/votes?limit=1000"
                    + (cursor == null ? "" : "&after=" + java.net.URLEncoder.encode(cursor, java.nio.charset.StandardCharsets.UTF_8))).body());
            n += page.path("items").size();
            cursor = page.path("next_cursor").asText();
            if (!page.path("has_more").asBoolean()) {
                return n;
            }
        }
    }
}

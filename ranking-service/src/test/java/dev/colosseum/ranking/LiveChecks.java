package dev.colosseum.ranking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Checks shared by the tests that run real ranking-service processes against a real vote-service. */
final class LiveChecks {
    private LiveChecks() {
    }

    /** What should count, by vote-service's word: the anonymous votes and those of them not excluded now. */
    record Expected(List<ObjectNode> counted, int anonymous, int excludedLater) {
    }

    static Expected expected(VoteServiceProcess votes, Map<Long, ObjectNode> posted) {
        List<ObjectNode> counted = new ArrayList<>();
        int anonymous = 0;
        int excludedLater = 0;
        synchronized (posted) {
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
        }
        return new Expected(counted, anonymous, excludedLater);
    }

    /** Number of items in vote-service's log. */
    static long logLength(VoteServiceProcess votes) {
        long n = 0;
        String cursor = null;
        while (true) {
            JsonNode page = LiveLeaderboardTest.read(votes.get("/api/v1/votes?limit=1000"
                    + (cursor == null ? "" : "&after=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8))).body());
            n += page.path("items").size();
            cursor = page.path("next_cursor").asText();
            if (!page.path("has_more").asBoolean()) {
                return n;
            }
        }
    }

    /** Waits (at most 60 s) until the replica holds {@code logItems} log items and is caught up; asserts counts. */
    static void assertCaughtUp(RankingServiceProcess replica, long logItems, Expected want) {
        long end = System.currentTimeMillis() + 60_000;
        JsonNode status = null;
        while (System.currentTimeMillis() < end) {
            status = LiveLeaderboardTest.read(replica.get("/api/v1/status").body());
            if (status.path("log_items").asLong() == logItems && status.path("caught_up").asBoolean()) {
                break;
            }
            VoteServiceProcess.sleep(100);
        }
        assertNotNull(status);
        assertEquals(logItems, status.path("log_items").asLong(), "every log item taken exactly once: " + status);
        assertEquals(want.counted().size(), status.path("counted_votes").asLong(), "counted votes");
        assertEquals(want.anonymous(), status.path("stored_votes").asLong(), "stored votes");
    }

    /** The shared schema holds every anonymous vote once, with vote-service's current exclusion flag. */
    static void assertStored(VoteServiceProcess votes, Expected want) throws Exception {
        try (Connection c = DriverManager.getConnection(votes.db().jdbcUrl("ranking"), "postgres", "postgres");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), count(*) FILTER (WHERE NOT excluded),"
                     + " count(DISTINCT id) FROM ranking.vote")) {
            rs.next();
            assertEquals(want.anonymous(), rs.getLong(1), "stored rows");
            assertEquals(want.counted().size(), rs.getLong(2), "stored rows not excluded");
            assertEquals(want.anonymous(), rs.getLong(3), "distinct stored ids");
        }
    }

    /** The replica's overall leaderboard equals the rank command on the counted votes (0.01 Elo, exact counts). */
    static void assertMatchesRank(RankingServiceProcess replica, List<ObjectNode> counted) {
        StringBuilder jsonl = new StringBuilder();
        for (ObjectNode v : counted) {
            jsonl.append(v).append('\n');
        }
        JsonNode want = LiveLeaderboardTest.read(RankCommand.rank(jsonl.toString()));
        JsonNode got = LiveLeaderboardTest.read(replica.get("/api/v1/leaderboard?min_votes=0&include_deprecated=true").body());
        assertEquals(counted.size(), got.path("n_votes").asInt(), "n_votes");
        Map<String, JsonNode> byModel = new HashMap<>();
        for (JsonNode m : got.path("models")) {
            byModel.put(m.path("model").asText(), m);
        }
        assertEquals(want.path("models").size(), byModel.size());
        for (JsonNode w : want.path("models")) {
            String model = w.path("model").asText();
            JsonNode g = byModel.get(model);
            assertNotNull(g, model);
            assertEquals(w.path("rating").asDouble(), g.path("rating").asDouble(), 0.01, model);
            assertEquals(w.path("ci_low").asDouble(), g.path("ci_low").asDouble(), 0.01, model);
            assertEquals(w.path("ci_high").asDouble(), g.path("ci_high").asDouble(), 0.01, model);
            assertEquals(w.path("battles").asInt(), g.path("votes").asInt(), model);
            assertEquals(w.path("elo_online").asDouble(), g.path("elo_online").asDouble(), 0.01, model);
        }
    }
}

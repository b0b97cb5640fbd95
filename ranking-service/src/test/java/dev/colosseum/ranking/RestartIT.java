package dev.colosseum.ranking;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
            LiveChecks.Expected want = LiveChecks.expected(votes, posted);
            assertTrue(want.excludedLater() >= 10, "hygiene excluded duplicate prompts after the fact: " + want.excludedLater());
            LiveChecks.assertCaughtUp(third, LiveChecks.logLength(votes), want);
            LiveChecks.assertStored(votes, want);
            LiveChecks.assertMatchesRank(third, want.counted());
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
}

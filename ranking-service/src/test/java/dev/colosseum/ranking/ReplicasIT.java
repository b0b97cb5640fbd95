package dev.colosseum.ranking;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two ranking-service replicas (this module's packaged jar, two processes) share one schema on one embedded
 * PostgreSQL and follow one real vote-service. Votes stream in while both follow the log; both leaderboards
 * equal the rank command on the counted votes and the shared schema holds each vote once. Then one replica
 * is killed (SIGKILL) during traffic, after-the-fact exclusions arrive, the replica is started again, and
 * both replicas and the schema are checked again.
 */
class ReplicasIT {
    @Test
    void twoReplicasFollowTheLogWithoutDoubleCounting() throws Exception {
        List<String> models = LiveStackResource.MODELS;
        try (VoteServiceProcess votes = VoteServiceProcess.start(VoteServiceProcess.modelsFile(models).toPath(),
                Map.of("COLOSSEUM_VOTE_HYGIENE_DEDUP_PERCENTILE", "50"))) {
            Map<String, String> env = Map.of("COLOSSEUM_RANKING_PAGE_SIZE", "20", "COLOSSEUM_RANKING_IDLE_POLL_MS", "10");
            SimVotes sim = new SimVotes(models, 23, Instant.parse("2026-11-22T00:00:00Z"));
            Map<Long, ObjectNode> posted = new LinkedHashMap<>();
            List<RankingServiceProcess> started = new ArrayList<>();
            try {
                RankingServiceProcess one = RankingServiceProcess.start(votes.db(), "ranking", votes.url(), env);
                started.add(one);
                RankingServiceProcess two = RankingServiceProcess.start(votes.db(), "ranking", votes.url(), env);
                started.add(two);
                post(votes, sim, posted, 0, 300);
                LiveChecks.Expected want = LiveChecks.expected(votes, posted);
                long logItems = LiveChecks.logLength(votes);
                long written = 0;
                for (RankingServiceProcess r : List.of(one, two)) {
                    LiveChecks.assertCaughtUp(r, logItems, want);
                    LiveChecks.assertMatchesRank(r, want.counted());
                    written += LiveLeaderboardTest.read(r.get("/api/v1/status").body()).path("written_items").asLong();
                }
                assertEquals(logItems, written, "each log item stored by exactly one of the two replicas");
                LiveChecks.assertStored(votes, want);

                AtomicReference<RuntimeException> failure = new AtomicReference<>();
                Thread writer = new Thread(() -> {
                    try {
                        post(votes, sim, posted, 300, 500);
                    } catch (RuntimeException e) {
                        failure.set(e);
                    }
                });
                writer.start();
                while (sizeOf(posted) < 380 && writer.isAlive()) {
                    VoteServiceProcess.sleep(10);
                }
                one.kill();
                writer.join();
                if (failure.get() != null) {
                    throw failure.get();
                }
                HttpResponse<String> hygiene = votes.adminPost("/api/v1/hygiene/run");
                assertEquals(200, hygiene.statusCode(), hygiene.body());
                RankingServiceProcess again = RankingServiceProcess.start(votes.db(), "ranking", votes.url(), env);
                started.add(again);
                want = LiveChecks.expected(votes, posted);
                assertTrue(want.excludedLater() >= 5, "hygiene excluded duplicate prompts after the fact: " + want.excludedLater());
                logItems = LiveChecks.logLength(votes);
                for (RankingServiceProcess r : List.of(two, again)) {
                    LiveChecks.assertCaughtUp(r, logItems, want);
                    LiveChecks.assertMatchesRank(r, want.counted());
                }
                LiveChecks.assertStored(votes, want);
            } finally {
                for (RankingServiceProcess p : started) {
                    p.close();
                }
            }
        }
    }

    /** Posts votes {@code from} until {@code to} (every 40th repeats one prompt, so hygiene excludes some later). */
    private static void post(VoteServiceProcess votes, SimVotes sim, Map<Long, ObjectNode> posted, int from, int to) {
        for (int i = from; i < to; i++) {
            String prompt = i % 40 == 3 ? "Which is the longest river?" : null;
            ObjectNode v = sim.next("m", i % 31 == 4, i % 37 == 9, prompt);
            HttpResponse<String> r = votes.post(v.toString());
            if (r.statusCode() != 201) {
                throw new IllegalStateException("vote refused: " + r.statusCode() + " " + r.body());
            }
            synchronized (posted) {
                posted.put(LiveLeaderboardTest.read(r.body()).path("id").asLong(), v);
            }
        }
    }

    private static int sizeOf(Map<Long, ObjectNode> m) {
        synchronized (m) {
            return m.size();
        }
    }
}

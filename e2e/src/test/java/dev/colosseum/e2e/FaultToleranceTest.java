package dev.colosseum.e2e;

import dev.colosseum.cli.suite.ServiceSpec;
import dev.colosseum.sdk.vote.model.LogItem;
import dev.colosseum.sdk.vote.model.VoteView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kills vote-service and then ranking-service (SIGKILL) while votes are being posted, restarts them,
 * and checks: every vote the client saw accepted is in the vote log exactly once, ranking-service
 * counts exactly the log's non-excluded votes (nothing lost, nothing twice), and meanwhile the UI and
 * the router kept answering or failed cleanly with an HTTP error (no hang, no dropped connection).
 * Probed during each outage: the UI page, lists and leaderboard; starting a battle and a chat completion
 * through the router, which need neither service and must succeed. A vote cast through battle-service
 * while vote-service is down must be acknowledged then, or taken when the voter retries after the
 * restart, and reach the log exactly once. The vote log is read through the generated Java SDK.
 */
class FaultToleranceTest {
    static RunningSuite suite;
    static final List<String> MODELS = List.of("sim-atlas", "sim-breeze", "sim-cobalt");

    @BeforeAll
    static void up() {
        suite = RunningSuite.start("fault");
    }

    @AfterAll
    static void down() {
        if (suite != null) {
            suite.close();
        }
    }

    @Test
    void killingVoteAndRankingServiceDuringTrafficLosesAndDoublesNothing() throws Exception {
        String voteBase = suite.cfg.baseUrl(ServiceSpec.VOTE);
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        List<String> writerErrors = new CopyOnWriteArrayList<>();
        Thread writer = new Thread(() -> {
            Random rnd = new Random(7);
            int n = 0;
            while (!stop.get()) {
                String battleId = "fault-" + n++;
                int a = rnd.nextInt(3);
                int b = (a + 1 + rnd.nextInt(2)) % 3;
                Map<String, Object> vote = new HashMap<>();
                vote.put("battle_id", battleId);
                vote.put("model_a", MODELS.get(a));
                vote.put("model_b", MODELS.get(b));
                vote.put("winner", List.of("model_a", "model_b", "tie").get(rnd.nextInt(3)));
                vote.put("mode", "anony");
                vote.put("voter_id", Long.toHexString(rnd.nextLong()) + Long.toHexString(rnd.nextLong()));
                vote.put("battle_started_at", Instant.now().minusSeconds(30).toString());
                vote.put("turn", 1);
                vote.put("language", "English");
                // retried with the same battle_id (the idempotency key) until acknowledged; while the
                // test runs there is no limit, after it has asked to stop at most 600 more attempts
                for (int attempt = 0; !stop.get() || attempt < 600; attempt++) {
                    Http.Resp r = Http.post(voteBase + "/api/v1/votes", vote);
                    if (r.status() == 200 || r.status() == 201) {
                        accepted.add(battleId);
                        break;
                    }
                    if (r.status() == 429) {
                        sleep(250); // vote-service's per-client rate limit: slow down, same battle_id
                        continue;
                    }
                    if (r.status() >= 400 && r.status() < 500) {
                        writerErrors.add(battleId + ": HTTP " + r.status() + " " + r.body());
                        break;
                    }
                    sleep(100);
                }
                sleep(20);
            }
        }, "e2e-vote-writer");
        writer.start();

        List<String> unclean = new ArrayList<>();
        // a battle through the UI's API, answered and ready for its vote before vote-service goes down
        String uiBattle = startBattle("fault-ui-voter");
        RunningSuite.await("UI battle " + uiBattle + " answered", Duration.ofSeconds(60),
                () -> Http.get(suite.url(ServiceSpec.BATTLE, "/api/v1/battles/" + uiBattle)).json().path("votable").asBoolean());
        Thread.sleep(3000);
        suite.suite.kill(ServiceSpec.VOTE);
        probeWhileDown(unclean, "vote-service down");
        Http.Resp uiVote = Http.post(suite.url(ServiceSpec.BATTLE, "/api/v1/battles/" + uiBattle + "/vote"),
                Map.of("winner", "A"));
        clean(unclean, "vote-service down: vote through battle-service", uiVote);
        boolean uiVoteAcknowledged = uiVote.status() / 100 == 2;
        System.out.println("[fault] vote through battle-service while vote-service is down: HTTP " + uiVote.status()
                + " " + uiVote.body());
        Thread.sleep(1500);
        probeWhileDown(unclean, "vote-service down");
        suite.suite.startService(ServiceSpec.VOTE);
        suite.suite.awaitHealthy(ServiceSpec.VOTE, RunningSuite.START_TIMEOUT);
        if (!uiVoteAcknowledged) {
            // the voter tries again once vote-service is back: the same battle takes the vote
            Http.Resp[] retry = new Http.Resp[1];
            RunningSuite.await("the refused UI vote to be taken on retry", Duration.ofSeconds(60), () -> {
                retry[0] = Http.post(suite.url(ServiceSpec.BATTLE, "/api/v1/battles/" + uiBattle + "/vote"),
                        Map.of("winner", "A"));
                return retry[0].status() / 100 == 2 || (retry[0].status() / 100 == 4 && retry[0].status() != 429);
            });
            assertEquals(2, retry[0].status() / 100, "the voter's retry after the outage: " + retry[0].body());
        }
        Thread.sleep(3000);

        suite.suite.kill(ServiceSpec.RANKING);
        probeWhileDown(unclean, "ranking-service down");
        Thread.sleep(1500);
        suite.suite.startService(ServiceSpec.RANKING);
        suite.suite.awaitHealthy(ServiceSpec.RANKING, RunningSuite.START_TIMEOUT);
        Thread.sleep(3000);

        stop.set(true);
        writer.join(120_000);
        assertTrue(writerErrors.isEmpty(), "votes rejected as invalid: " + writerErrors);
        assertTrue(accepted.size() >= 20, "traffic flowed: " + accepted.size() + " votes accepted");
        assertTrue(unclean.isEmpty(), "UI/router must answer or fail with an HTTP error: " + unclean);

        // the log: every accepted vote exactly once, and nothing else of ours
        List<LogItem> items = VoteLog.items(voteBase);
        Map<String, Integer> perBattle = new HashMap<>();
        Map<Long, VoteView> votesById = new HashMap<>();
        Map<Long, Boolean> excluded = new HashMap<>();
        for (LogItem item : items) {
            if ("vote".equals(item.getKind())) {
                VoteView v = item.getVote();
                perBattle.merge(v.getBattleId(), 1, Integer::sum);
                votesById.put(v.getId(), v);
                excluded.put(v.getId(), Boolean.TRUE.equals(v.getExcluded()));
            } else if ("exclusion".equals(item.getKind())) {
                excluded.put(item.getVoteId(), Boolean.TRUE.equals(item.getExcluded()));
            }
        }
        for (String id : accepted) {
            assertEquals(1, perBattle.getOrDefault(id, 0), "accepted vote " + id + " in the log exactly once");
        }
        Set<String> ours = new HashSet<>();
        perBattle.keySet().stream().filter(k -> k.startsWith("fault-")).forEach(ours::add);
        assertEquals(accepted, ours, "the log holds exactly the accepted votes");
        // the vote cast through battle-service during the outage (acknowledged then, or on the voter's retry)
        assertEquals(1, perBattle.getOrDefault(uiBattle, 0), "the UI battle's vote is in the log exactly once");

        // ranking-service counts exactly the log's non-excluded anonymous votes
        Map<String, Integer> expected = new HashMap<>();
        votesById.forEach((id, v) -> {
            if (!excluded.get(id) && (v.getMode() == null || "anony".equals(v.getMode()))) {
                expected.merge(v.getModelA(), 1, Integer::sum);
                expected.merge(v.getModelB(), 1, Integer::sum);
            }
        });
        RunningSuite.await("ranking-service to catch up after its restart", Duration.ofSeconds(120),
                () -> expected.equals(leaderboardVotes()));
        assertEquals(expected, leaderboardVotes());
        // and it holds each of the log's votes once, by id: a lost vote and a vote counted twice for the
        // same pair of models would cancel out in the per-model counts, not here
        Http.Resp status = Http.get(suite.url(ServiceSpec.RANKING, "/api/v1/status"));
        assertEquals(votesById.size(), status.json().path("stored_votes").asLong(-1), "votes held: " + status.body());
    }

    /** The UI and the router must answer, or fail with an HTTP status; never hang or drop the connection. */
    private static void probeWhileDown(List<String> unclean, String when) {
        for (String url : List.of(suite.url(ServiceSpec.BATTLE, "/"),
                suite.url(ServiceSpec.BATTLE, "/api/v1/models"),
                suite.url(ServiceSpec.BATTLE, "/api/v1/leaderboard"),
                suite.url(ServiceSpec.ROUTER, "/v1/models"))) {
            clean(unclean, when + ": GET " + url, Http.get(url));
        }
        Http.Resp ui = Http.get(suite.url(ServiceSpec.BATTLE, "/"));
        if (ui.status() != 200) {
            unclean.add(when + ": the UI page answered HTTP " + ui.status());
        }
        // these two need neither vote- nor ranking-service, so they must keep working, not just fail cleanly:
        // starting a battle (battle-service pairs models locally when ranking-service is unreachable) ...
        answers(unclean, when + ": start a battle", Http.post(suite.url(ServiceSpec.BATTLE, "/api/v1/battles"),
                Map.of("prompt", "Name one Roman emperor.", "mode", "anony"), "X-Voter-Id", "fault-probe"));
        // ... and a chat completion through the router's OpenAI-compatible endpoint
        Http.Resp models = Http.get(suite.url(ServiceSpec.ROUTER, "/v1/models"));
        String model = models.json().path("data").path(0).path("id").asText("router");
        answers(unclean, when + ": chat completion through the router", Http.post(suite.url(ServiceSpec.ROUTER, "/v1/chat/completions"),
                Map.of("model", model, "messages", List.of(Map.of("role", "user", "content", "Say hello.")))));
    }

    private static void answers(List<String> unclean, String what, Http.Resp r) {
        if (r.status() / 100 != 2) {
            unclean.add(what + " -> HTTP " + r.status() + " " + r.body());
        }
    }

    /** An answer is clean when it is an HTTP status, and an error status comes with a body saying why. */
    private static void clean(List<String> unclean, String what, Http.Resp r) {
        if (r.status() < 0) {
            unclean.add(what + " -> no HTTP answer: " + r.body());
        } else if (r.status() >= 500 && r.body().isBlank()) {
            unclean.add(what + " -> HTTP " + r.status() + " without a body");
        }
    }

    private static String startBattle(String voter) {
        Http.Resp r = Http.post(suite.url(ServiceSpec.BATTLE, "/api/v1/battles"),
                Map.of("prompt", "Explain in one sentence what a gladiator was.", "mode", "anony"), "X-Voter-Id", voter);
        assertEquals(2, r.status() / 100, "start a battle: " + r.body());
        String id = r.json().path("battle_id").asText();
        assertTrue(!id.isBlank(), "battle id in " + r.body());
        return id;
    }

    private static Map<String, Integer> leaderboardVotes() {
        Http.Resp r = Http.get(suite.url(ServiceSpec.RANKING, "/api/v1/leaderboard?min_votes=0"));
        Map<String, Integer> out = new HashMap<>();
        if (r.ok()) {
            r.json().path("models").forEach(m -> {
                if (m.path("votes").asInt() > 0) {
                    out.put(m.path("model").asText(), m.path("votes").asInt());
                }
            });
        }
        return out;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

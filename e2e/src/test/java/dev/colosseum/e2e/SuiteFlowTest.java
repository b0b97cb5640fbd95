package dev.colosseum.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.colosseum.cli.suite.Seeder;
import dev.colosseum.cli.suite.ServiceSpec;
import dev.colosseum.sdk.battle.ApiClient;
import dev.colosseum.sdk.battle.ApiException;
import dev.colosseum.sdk.battle.api.BattleResourceApi;
import dev.colosseum.sdk.battle.model.BattleView;
import dev.colosseum.sdk.battle.model.StartBattle;
import dev.colosseum.sdk.battle.model.Vote;
import dev.colosseum.sdk.battle.model.VoteResult;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The product flow on the whole suite started as {@code ./colosseum up} starts it: battles through
 * battle-service, votes, the leaderboard moving, the vote log, router training from the stored votes,
 * and the OpenAI-compatible endpoint through langchain4j's OpenAI client, blocking and streaming.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SuiteFlowTest {
    static RunningSuite suite;
    static final Map<String, Integer> myVotesPerModel = new HashMap<>();
    static final List<String> myBattles = new ArrayList<>();

    @BeforeAll
    static void up() {
        suite = RunningSuite.start("flow");
    }

    @AfterAll
    static void down() {
        if (suite != null) {
            suite.close();
        }
    }

    static String battle(String path) {
        return suite.url(ServiceSpec.BATTLE, path);
    }

    @Test
    @Order(1)
    void everyServiceIsHealthyAndTheSimulatedModelsAreRegistered() throws Exception {
        for (ServiceSpec s : ServiceSpec.ALL) {
            Http.Resp r = Http.get(suite.url(s, "/q/health"));
            assertEquals(200, r.status(), s.module() + " health: " + r.body());
            assertEquals("UP", r.json().path("status").asText(), s.module());
        }
        Http.Resp models = Http.get(battle("/api/v1/models"));
        assertEquals(200, models.status(), models.body());
        List<String> ids = new ArrayList<>();
        JsonNode list = models.json().isArray() ? models.json() : models.json().path("models");
        list.forEach(m -> ids.add(m.path("id").asText()));
        assertTrue(ids.containsAll(List.of("sim-atlas", "sim-breeze", "sim-cobalt")), "battle-service models: " + ids);
        // battle-service registers its models in vote-service at start-up (CONTRACTS.md)
        RunningSuite.await("models registered in vote-service", Duration.ofSeconds(60), () -> {
            Http.Resp v = Http.get(suite.url(ServiceSpec.VOTE, "/api/v1/models"));
            List<String> vids = new ArrayList<>();
            v.json().path("models").forEach(m -> vids.add(m.path("id").asText()));
            return vids.containsAll(List.of("sim-atlas", "sim-breeze", "sim-cobalt"));
        });
    }

    @Test
    @Order(2)
    void anonymousBattlesAndVotesThroughTheSdkMoveTheLeaderboard() throws Exception {
        ApiClient client = new ApiClient();
        client.updateBaseUri(suite.cfg.baseUrl(ServiceSpec.BATTLE));
        BattleResourceApi battles = new BattleResourceApi(client);
        String[] winners = {"A", "B", "tie", "A", "bothbad", "A"};
        int counted = 0;
        for (int i = 0; i < 24; i++) {
            BattleView started = battles.apiV1BattlesPost(new StartBattle()
                    .prompt("Explain in two sentences why the sky is blue (" + i + ")").mode("anony").seed(1000L + i),
                    "e2e-voter-" + (i % 6));
            String id = started.getBattleId();
            assertNotNull(id, "battle id");
            assertTrue(started.getModels() == null || started.getModels().isEmpty(),
                    "an anonymous battle must not reveal its models before the vote");
            RunningSuite.await("battle " + id + " answered", Duration.ofSeconds(60), () -> {
                try {
                    return Boolean.TRUE.equals(battles.apiV1BattlesIdGet(id).getVotable());
                } catch (ApiException e) {
                    throw new AssertionError("GET battle " + id + ": HTTP " + e.getCode() + " " + e.getResponseBody());
                }
            });
            VoteResult vote = battles.apiV1BattlesIdVotePost(id, new Vote().winner(winners[i % winners.length]));
            assertNotNull(vote.getModelA(), "models revealed after the vote");
            assertNotNull(vote.getModelB(), "models revealed after the vote");
            String a = vote.getModelA().getId();
            String b = vote.getModelB().getId();
            assertFalse(a.equals(b), "a battle needs two different models");
            if (Boolean.TRUE.equals(vote.getCounted())) {
                counted++;
                myVotesPerModel.merge(a, 1, Integer::sum);
                myVotesPerModel.merge(b, 1, Integer::sum);
            }
            myBattles.add(id);
        }
        assertTrue(counted >= 20, "most anonymous votes count: " + counted);

        // every battle's vote is in the log exactly once
        Map<String, Integer> inLog = VoteLog.battleIdCounts(suite.cfg.baseUrl(ServiceSpec.VOTE));
        for (String id : myBattles) {
            assertEquals(1, inLog.getOrDefault(id, 0), "battle " + id + " in the vote log");
        }

        // ranking-service follows the log: each model's vote count equals the votes we cast
        RunningSuite.await("leaderboard to count our votes", Duration.ofSeconds(90), () -> {
            Map<String, Integer> shown = leaderboardVotes();
            return myVotesPerModel.entrySet().stream().allMatch(e -> e.getValue().equals(shown.get(e.getKey())));
        });
        JsonNode board = Http.get(suite.url(ServiceSpec.RANKING, "/api/v1/leaderboard?min_votes=0")).json();
        for (JsonNode row : board.path("models")) {
            assertTrue(row.path("ci_low").asDouble() <= row.path("rating").asDouble()
                    && row.path("rating").asDouble() <= row.path("ci_high").asDouble(), "rating inside its CI: " + row);
            assertTrue(row.path("rank").asInt() >= 1, row.toString());
        }
        // battle-service shows the same leaderboard to the UI
        Http.Resp viaBattle = Http.get(battle("/api/v1/leaderboard?min_votes=0"));
        assertEquals(200, viaBattle.status(), viaBattle.body());
    }

    static Map<String, Integer> leaderboardVotes() {
        Http.Resp r = Http.get(suite.url(ServiceSpec.RANKING, "/api/v1/leaderboard?min_votes=0"));
        Map<String, Integer> out = new HashMap<>();
        if (r.ok()) {
            r.json().path("models").forEach(m -> out.put(m.path("model").asText(), m.path("votes").asInt()));
        }
        return out;
    }

    @Test
    @Order(3)
    void badVotesAreRejectedWithProblemJsonAndStoreNothing() {
        int before = VoteLog.items(suite.cfg.baseUrl(ServiceSpec.VOTE)).size();
        Http.Resp r = Http.post(suite.url(ServiceSpec.VOTE, "/api/v1/votes"),
                Map.of("battle_id", "e2e-bad-1", "model_a", "sim-atlas", "model_b", "sim-atlas", "winner", "model_a"));
        assertEquals(4, r.status() / 100, r.body());
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        assertEquals(r.status(), r.json().path("status").asInt());
        Http.Resp bad = Http.post(suite.url(ServiceSpec.VOTE, "/api/v1/votes"),
                Map.of("battle_id", "e2e-bad-2", "model_a", "sim-atlas", "model_b", "sim-breeze", "winner", "left"));
        assertEquals(4, bad.status() / 100, bad.body());
        assertEquals("winner", bad.json().path("field").asText(bad.json().path("field_name").asText()), bad.body());
        assertEquals(before, VoteLog.items(suite.cfg.baseUrl(ServiceSpec.VOTE)).size(), "nothing stored");
    }

    @Test
    @Order(4)
    void routerTrainsFromTheBattleVotes() throws Exception {
        // the launcher's own training step, on the votes of the battles above (they carry conversations)
        Seeder seeder = new Seeder(suite.cfg, line -> System.out.println("[train] " + line));
        Seeder.StepResult trained = seeder.trainRouter(Duration.ofMinutes(5));
        assertTrue(trained.ok(), "training: " + trained.detail());
        assertFalse(trained.detail().startsWith("running"), "training finished: " + trained.detail());
        Http.Resp models = Http.get(suite.url(ServiceSpec.ROUTER, "/api/v1/router/models"));
        assertEquals(200, models.status(), models.body());
        JsonNode list = models.json().isArray() ? models.json() : models.json().path("models");
        assertTrue(list.size() >= 1, "a trained router version is listed: " + models.body());
        assertTrue(list.get(0).path("comparisons").asInt() >= 1, "trained on the stored votes: " + models.body());
    }

    @Test
    @Order(5)
    void openAiClientChatsThroughTheRouterBlockingAndStreaming() throws Exception {
        String base = suite.url(ServiceSpec.ROUTER, "/v1");
        Http.Resp models = Http.get(base + "/models");
        assertEquals(200, models.status(), models.body());
        JsonNode data = models.json().path("data");
        assertTrue(data.size() >= 1, models.body());
        String model = data.get(0).path("id").asText();

        OpenAiChatModel chat = OpenAiChatModel.builder().baseUrl(base).apiKey("e2e-key").modelName(model)
                .timeout(Duration.ofSeconds(60)).maxRetries(0).build();
        String answer = chat.chat("Write one sentence about the Colosseum in Rome.");
        assertNotNull(answer);
        assertFalse(answer.isBlank(), "non-streaming answer");

        OpenAiStreamingChatModel streaming = OpenAiStreamingChatModel.builder().baseUrl(base).apiKey("e2e-key")
                .modelName(model).timeout(Duration.ofSeconds(60)).build();
        StringBuilder partials = new StringBuilder();
        int[] chunks = {0};
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        streaming.chat("List three facts about gladiators.", new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                partials.append(partial);
                chunks[0]++;
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        ChatResponse full = done.get(90, TimeUnit.SECONDS);
        assertTrue(chunks[0] >= 2, "streamed in several chunks: " + chunks[0]);
        assertEquals(partials.toString(), full.aiMessage().text(), "the streamed chunks make the full answer");
    }

    @Test
    @Order(6)
    void realPublicVotesImportThroughTheLauncherSeedingStep() throws Exception {
        Path votes = suite.cfg.arenaDataDir().resolve("arena_2023_battles_with_prompts_1135.jsonl");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.exists(votes), "shared arena data present");
        int before = VoteLog.items(suite.cfg.baseUrl(ServiceSpec.VOTE)).size();
        Seeder seeder = new Seeder(suite.cfg, line -> System.out.println("[seed] " + line));
        Seeder.StepResult imported = seeder.importFile(votes);
        assertTrue(imported.ok(), "import: " + imported.detail());
        JsonNode summary = Http.JSON.readTree(imported.detail().replace("\u2026", ""));
        assertEquals(1135, summary.path("read").asInt(), imported.detail());
        assertEquals(summary.path("read").asInt(), summary.path("stored").asInt() + summary.path("skipped").asInt(), imported.detail());
        assertTrue(summary.path("stored").asInt() > 1000, imported.detail());
        int after = VoteLog.items(suite.cfg.baseUrl(ServiceSpec.VOTE)).size();
        assertEquals(before + summary.path("stored").asInt(), after, "each stored vote appears once in the log");
        // ranking-service follows: the imported models appear on the leaderboard
        RunningSuite.await("imported models on the leaderboard", Duration.ofSeconds(120),
                () -> leaderboardVotes().keySet().stream().anyMatch(m -> m.startsWith("gpt-4")));
    }
}

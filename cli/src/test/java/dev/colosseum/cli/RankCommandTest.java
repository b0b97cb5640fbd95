package dev.colosseum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** {@code ./colosseum rank} through picocli, as the launcher runs it. */
class RankCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static Path shared(String file) {
        String d = System.getProperty("colosseum.shared.dir");
        if (d == null) {
            fail("system property colosseum.shared.dir is not set");
        }
        Path p = Path.of(d, "data", "arena", file);
        assertTrue(Files.isRegularFile(p), "missing " + p);
        return p;
    }

    private static JsonNode reference(String name) throws IOException {
        return JSON.readTree(Path.of(System.getProperty("colosseum.shared.dir"), "data", "reference", name).toFile());
    }

    @Test
    void ranksTheRealArenaFileAsJson() throws IOException {
        Run r = run("rank", shared("arena_2023_battles_with_prompts_1135.jsonl").toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
        JsonNode json = JSON.readTree(r.out());
        assertEquals(1135, json.get("n_battles").asInt());
        assertEquals(29, json.get("n_models").asInt());
        assertTrue(json.get("style_coefficients") == null);
        Map<String, JsonNode> ours = new HashMap<>();
        json.get("models").forEach(m -> ours.put(m.get("model").asText(), m));
        JsonNode ref = reference("fastchat_arena_2023_battles_with_prompts_1135.json").path("leaderboards");
        for (JsonNode e : ref.path("bt_sandwich_arena_rank_restated")) {
            JsonNode m = ours.get(e.get("model").asText());
            // exact optimum vs FastChat's L-BFGS stop: within a fraction of an Elo point
            assertEquals(e.get("rating").asDouble(), m.get("rating").asDouble(), 0.5);
            assertEquals(e.get("ci_low").asDouble(), m.get("ci_low").asDouble(), 1.0);
            assertEquals(e.get("num_battles").asInt(), m.get("battles").asInt());
        }
        for (JsonNode e : ref.path("elo_online")) {
            assertEquals(e.get("rating").asDouble(), ours.get(e.get("model").asText()).get("elo_online").asDouble(), 0.01);
        }
        int prev = 0;
        for (JsonNode m : json.get("models")) {
            assertTrue(m.get("rank").asInt() >= prev);
            prev = m.get("rank").asInt();
        }
    }

    @Test
    void optionsAreHonoured() throws IOException {
        String file = shared("lmarena_2024_sample10k_battles.jsonl").toString();
        Run r = run("rank", file, "--ci", "bootstrap", "--rounds", "20", "--seed", "3",
                "--anchor", "mixtral-8x7b-instruct-v0.1=1114", "--min-battles", "100", "--exclude-ties");
        assertEquals(0, r.exit(), r.err());
        JsonNode json = JSON.readTree(r.out());
        assertEquals(10_000 - 1800 - 1762, json.get("n_battles").asInt());
        for (JsonNode m : json.get("models")) {
            assertTrue(m.get("battles").asInt() >= 100);
            if (m.get("model").asText().equals("mixtral-8x7b-instruct-v0.1")) {
                assertEquals(1114.0, m.get("rating").asDouble(), 1e-9);
            }
        }
        Run again = run("rank", file, "--ci", "bootstrap", "--rounds", "20", "--seed", "3",
                "--anchor", "mixtral-8x7b-instruct-v0.1=1114", "--min-battles", "100", "--exclude-ties");
        assertEquals(r.out(), again.out(), "seeded bootstrap is reproducible");
        Run table = run("rank", file, "--format", "table", "--ci", "simultaneous");
        assertEquals(0, table.exit(), table.err());
        assertTrue(table.out().startsWith("rank"), table.out());
        assertTrue(table.out().contains("chatgpt-4o-latest"));
    }

    @Test
    void styleControlFromConversations() throws IOException {
        Run r = run("rank", shared("arena_2024_100_with_conversations.jsonl").toString(), "--style-control");
        assertEquals(0, r.exit(), r.err());
        JsonNode json = JSON.readTree(r.out());
        JsonNode coefs = json.get("style_coefficients");
        for (String f : new String[]{"tokens", "headers", "lists", "bold"}) {
            JsonNode c = coefs.get(f);
            assertTrue(c.get("ci_low").asDouble() <= c.get("coefficient").asDouble());
            assertTrue(c.get("coefficient").asDouble() <= c.get("ci_high").asDouble());
        }
    }

    @Test
    void onlyAnonymousBattlesCount() throws IOException {
        Path f = tmp.resolve("mixed.jsonl");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            sb.append("{\"model_a\":\"x\",\"model_b\":\"y\",\"winner\":\"").append(i % 3 == 0 ? "model_b" : "model_a")
                    .append("\",\"anony\":true}\n");
            sb.append("{\"model_a\":\"y\",\"model_b\":\"z\",\"winner\":\"tie\",\"anony\":true}\n");
            sb.append("{\"model_a\":\"x\",\"model_b\":\"z\",\"winner\":\"model_b\",\"anony\":false}\n");
        }
        Files.writeString(f, sb.toString());
        Run r = run("rank", f.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode json = JSON.readTree(r.out());
        assertEquals(40, json.get("n_battles").asInt());
    }

    @Test
    void kaggleCsvIsAccepted() throws IOException {
        Path f = tmp.resolve("k.csv");
        StringBuilder sb = new StringBuilder("id,model_a,model_b,prompt,response_a,response_b,winner_model_a,winner_model_b,winner_tie\n");
        for (int i = 0; i < 30; i++) {
            String w = i % 3 == 0 ? "1,0,0" : i % 3 == 1 ? "0,1,0" : "0,0,1";
            sb.append(i).append(",m").append(i % 3).append(",m").append((i + 1) % 3)
                    .append(",\"[\"\"q\"\"]\",\"[\"\"a\"\"]\",\"[\"\"b\"\"]\",").append(w).append('\n');
        }
        Files.writeString(f, sb.toString(), StandardCharsets.UTF_8);
        Run r = run("rank", f.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(3, JSON.readTree(r.out()).get("n_models").asInt());
    }

    @Test
    void badInputNamesTheLineAndPrintsNothingOnStdout() throws IOException {
        Path f = tmp.resolve("bad.jsonl");
        Files.writeString(f, "{\"model_a\":\"x\",\"model_b\":\"y\",\"winner\":\"model_a\"}\n"
                + "{\"model_a\":\"x\",\"model_b\":\"y\",\"winner\":\"model_c\"}\n");
        Run r = run("rank", f.toString());
        assertNotEquals(0, r.exit());
        assertEquals("", r.out());
        assertTrue(r.err().contains("line 2"), r.err());
        assertTrue(r.err().contains("model_c"), r.err());

        Files.writeString(f, "{\"model_a\":\"x\",\"model_b\":\"x\",\"winner\":\"tie\"}\n");
        r = run("rank", f.toString());
        assertNotEquals(0, r.exit());
        assertEquals("", r.out());
        assertTrue(r.err().contains("line 1") && r.err().contains("same model"), r.err());

        Files.writeString(f, "{\"model_a\":\"x\",\"winner\":\"tie\"}\n");
        r = run("rank", f.toString());
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("line 1") && r.err().contains("model_b"), r.err());

        r = run("rank", tmp.resolve("missing.jsonl").toString());
        assertNotEquals(0, r.exit());
        assertEquals("", r.out());
        assertTrue(r.err().contains("cannot read"), r.err());

        r = run("rank", shared("arena_2023_battles_with_prompts_1135.jsonl").toString(), "--anchor", "gpt-4");
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("MODEL=RATING"), r.err());

        r = run("rank", shared("arena_2023_battles_with_prompts_1135.jsonl").toString(), "--style-control");
        assertNotEquals(0, r.exit());
        assertEquals("", r.out());
        assertTrue(r.err().contains("tokens"), r.err());
    }
}

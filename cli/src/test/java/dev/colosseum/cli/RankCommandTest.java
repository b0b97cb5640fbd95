package dev.colosseum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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

    private static final String FASTCHAT_ANCHOR = "mixtral-8x7b-instruct-v0.1";

    private static Map<String, JsonNode> models(String out) throws IOException {
        Map<String, JsonNode> m = new HashMap<>();
        JSON.readTree(out).get("models").forEach(x -> m.put(x.get("model").asText(), x));
        return m;
    }

    /**
     * {@code --solver fastchat} reproduces FastChat's published BT ratings for every model, and with
     * {@code --ci sandwich} arena-rank's sandwich intervals restated at them. FastChat anchors
     * mixtral-8x7b-instruct-v0.1 at 1114 when it is present (the 2024 sample): the point ratings
     * need {@code --anchor}, and since the reference moves the sum-zero intervals by the anchor's
     * shift instead of taking intervals relative to the anchor, the intervals need
     * {@code --anchor-ci shifted}.
     */
    @ParameterizedTest
    @CsvSource({"arena_2023_battles_with_prompts_1135.jsonl, fastchat_arena_2023_battles_with_prompts_1135.json, false",
            "lmarena_2024_sample10k_battles.jsonl, fastchat_lmarena_2024_sample10k.json, true"})
    void fastchatSolverMatchesFastChatsPublishedRatingsAndSandwichIntervals(String data, String reference,
                                                                            boolean anchored) throws IOException {
        String file = shared(data).toString();
        JsonNode ref = reference(reference).path("leaderboards");
        List<String> args = new ArrayList<>(List.of("rank", file, "--solver", "fastchat", "--format", "json"));
        if (anchored) {
            args.addAll(List.of("--anchor", FASTCHAT_ANCHOR + "=1114"));
        }
        Run r = run(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        Map<String, JsonNode> ours = models(r.out());
        JsonNode bt = ref.path("bt");
        assertEquals(bt.size(), ours.size());
        for (JsonNode e : bt) {
            JsonNode m = ours.get(e.get("model").asText());
            assertEquals(e.get("rating").asDouble(), m.get("rating").asDouble(), 0.01, e.get("model").asText());
            assertEquals(e.get("num_battles").asInt(), m.get("battles").asInt());
        }

        args.addAll(List.of("--ci", "sandwich", "--anchor-ci", "shifted"));
        Run sw = run(args.toArray(String[]::new));
        assertEquals(0, sw.exit(), sw.err());
        Map<String, JsonNode> swm = models(sw.out());
        JsonNode restated = ref.path("bt_sandwich_arena_rank_restated");
        assertEquals(restated.size(), swm.size());
        for (JsonNode e : restated) {
            String name = e.get("model").asText();
            JsonNode m = swm.get(name);
            assertEquals(e.get("rating").asDouble(), m.get("rating").asDouble(), 0.01, name);
            assertEquals(e.get("ci_low").asDouble(), m.get("ci_low").asDouble(), 0.01, "ci_low " + name);
            assertEquals(e.get("ci_high").asDouble(), m.get("ci_high").asDouble(), 0.01, "ci_high " + name);
        }

        // the default solver converges to the exact optimum, measurably away from FastChat's stop
        args.set(args.indexOf("fastchat"), "newton");
        Run newton = run(args.toArray(String[]::new));
        assertEquals(0, newton.exit(), newton.err());
        Map<String, JsonNode> nm = models(newton.out());
        double maxGap = 0;
        for (JsonNode e : bt) {
            String name = e.get("model").asText();
            double gap = Math.abs(nm.get(name).get("rating").asDouble() - e.get("rating").asDouble());
            assertTrue(gap < 1.0, name + " " + gap);
            maxGap = Math.max(maxGap, gap);
        }
        assertTrue(maxGap > 0.01, "Newton vs FastChat largest gap " + maxGap);
    }

    @Test
    void relativeAnchorIntervalsCollapseOnTheAnchorAndSolverValuesAreChecked() throws IOException {
        String file = shared("lmarena_2024_sample10k_battles.jsonl").toString();
        Run r = run("rank", file, "--solver", "fastchat", "--anchor", FASTCHAT_ANCHOR + "=1114");
        assertEquals(0, r.exit(), r.err());
        JsonNode mixtral = models(r.out()).get(FASTCHAT_ANCHOR);
        assertEquals(1114.0, mixtral.get("ci_low").asDouble(), 1e-6);
        assertEquals(1114.0, mixtral.get("ci_high").asDouble(), 1e-6);

        Run bad = run("rank", file, "--solver", "lbfgs");
        assertNotEquals(0, bad.exit());
        assertEquals("", bad.out());
        assertTrue(bad.err().contains("--solver") && bad.err().contains("fastchat"), bad.err());
        Run help = run("rank", "--help");
        assertTrue(help.out().contains("--solver") && help.out().contains("number-for-number parity"), help.out());
    }
}

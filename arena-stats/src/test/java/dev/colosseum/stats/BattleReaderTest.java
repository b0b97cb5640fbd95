package dev.colosseum.stats;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BattleReaderTest {

    private static List<BattleReader.Row> read(String text) throws IOException {
        List<BattleReader.Row> rows = new ArrayList<>();
        try (BattleReader r = BattleReader.open(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)))) {
            while (r.hasNext()) {
                rows.add(r.next());
            }
        }
        return rows;
    }

    @Test
    void jsonlWithFastChatFieldsAndDictMetadata() throws IOException {
        String text = "{\"question_id\":\"q1\",\"model_a\":\"x\",\"model_b\":\"y\",\"winner\":\"model_a\",\"tstamp\":1700000000.5,"
                + "\"anony\":true,\"language\":\"English\",\"turn\":2,\"judge\":\"u1\",\"category_tag\":{\"math\":true},"
                + "\"conv_metadata\":{\"sum_assistant_a_tokens\":120,\"sum_assistant_b_tokens\":80,"
                + "\"header_count_a\":{\"h1\":1,\"h2\":2,\"h3\":0,\"h4\":0,\"h5\":0,\"h6\":0},\"header_count_b\":0,"
                + "\"list_count_a\":{\"ordered\":3,\"unordered\":4},\"list_count_b\":1,"
                + "\"bold_count_a\":{\"**\":5,\"__\":1},\"bold_count_b\":0,\"context_a_tokens\":30,\"context_b_tokens\":20},"
                + "\"user_turns\":[\"hi\",\"more\"]}\n"
                + "\n"
                + "{\"model_a\":\"y\",\"model_b\":\"z\",\"winner\":\"tie (bothbad)\",\"anony\":false}\n";
        List<BattleReader.Row> rows = read(text);
        assertEquals(2, rows.size());
        BattleRecord r = rows.get(0).battle();
        assertEquals(1, r.line());
        assertEquals("q1", r.questionId());
        assertEquals(Outcome.MODEL_A, r.outcome());
        assertEquals(1700000000.5, r.tstamp());
        assertTrue(r.anony());
        assertEquals(2, r.turn());
        assertEquals("u1", r.judge());
        assertEquals(new StyleFeatures(120, 3, 7, 6), r.styleA());
        assertEquals(new StyleFeatures(80, 0, 1, 0), r.styleB());
        assertEquals(30.0, r.featuresA().get("context_tokens"));
        assertEquals("hi\n\nmore", r.userPrompt());
        assertTrue(r.extra().containsKey("category_tag"));
        BattleRecord r2 = rows.get(1).battle();
        assertEquals(3, r2.line());
        assertEquals(Outcome.TIE_BOTHBAD, r2.outcome());
        assertFalse(r2.anony());
        assertNull(r2.styleA());
    }

    @Test
    void badRowsNameTheirLineAndReadingContinues() throws IOException {
        String text = "{\"model_a\":\"x\",\"model_b\":\"y\",\"winner\":\"model_a\"}\n"
                + "{\"model_a\":\"x\",\"model_b\":\"y\",\"winner\":\"left\"}\n"
                + "{\"model_a\":\"x\",\"winner\":\"tie\"}\n"
                + "{\"model_a\":\"x\",\"model_b\":\"x\",\"winner\":\"tie\"}\n"
                + "{\"model_a\":\"x\",\"model_b\":\n"
                + "{\"model_a\":\"x\",\"model_b\":\"y\",\"winner\":\"model_b\"}\n";
        List<BattleReader.Row> rows = read(text);
        assertEquals(6, rows.size());
        assertTrue(rows.get(0).ok());
        assertEquals("unknown_winner", rows.get(1).bad().reason());
        assertTrue(rows.get(1).bad().message().startsWith("line 2:"), rows.get(1).bad().message());
        assertEquals("missing_field", rows.get(2).bad().reason());
        assertTrue(rows.get(2).bad().message().contains("model_b"));
        assertEquals("self_pair", rows.get(3).bad().reason());
        assertEquals(4, rows.get(3).bad().line());
        assertEquals("malformed_json", rows.get(4).bad().reason());
        assertEquals(5, rows.get(4).line());
        assertTrue(rows.get(5).ok());
        assertEquals(6, rows.get(5).battle().line());
    }

    @Test
    void strictReadThrowsWithTheLine() {
        String text = "{\"model_a\":\"x\",\"model_b\":\"y\",\"winner\":\"model_a\"}\n{\"model_a\":\"x\",\"model_b\":\"y\",\"winner\":\"draw\"}\n";
        BattleFormatException e = assertThrows(BattleFormatException.class,
                () -> BattleReader.readSet(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), true));
        assertEquals(2, e.badRow().line());
        assertTrue(e.getMessage().contains("draw"));
    }

    @Test
    void jsonArrayReportsTheLineOfEachObject() throws IOException {
        String text = "[\n  {\"model_a\":\"x\",\"model_b\":\"y\",\"winner\":\"model_a\"},\n"
                + "  {\"model_a\":\"x\",\n   \"model_b\":\"y\", \"winner\":\"nobody\"},\n"
                + "  {\"model_a\":\"y\",\"model_b\":\"x\",\"winner\":\"tie\",\"mode\":\"named\"}\n]";
        List<BattleReader.Row> rows = read(text);
        assertEquals(3, rows.size());
        assertEquals(2, rows.get(0).line());
        assertEquals(3, rows.get(1).bad().line());
        assertEquals(Boolean.FALSE, rows.get(2).battle().anony());
    }

    @Test
    void contractVotesWithFeatureMapsAndConversations() throws IOException {
        String text = "{\"battle_id\":\"b1\",\"model_a\":\"x\",\"model_b\":\"y\",\"winner\":\"model_b\",\"mode\":\"anony\","
                + "\"voted_at\":\"2026-11-28T04:01:00Z\",\"categories\":[\"coding\"],"
                + "\"features_a\":{\"tokens\":5,\"headers\":0,\"lists\":0,\"bold\":0,\"latency_ms\":830},"
                + "\"conversation_b\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\"# Title\\n**bold** text\\n- a\\n- b\"}]}";
        BattleRecord r = read(text).get(0).battle();
        assertEquals("b1", r.questionId());
        assertTrue(r.anony());
        assertEquals(1795838460.0, r.tstamp());
        assertEquals(List.of("coding"), r.categories());
        assertEquals(830.0, r.featuresA().get("latency_ms"));
        StyleFeatures b = r.styleB();
        assertNotNull(b);
        assertEquals(1, b.headers());
        assertEquals(2, b.lists());
        assertEquals(1, b.bold());
        assertEquals(StyleFeatures.countTokens("# Title\n**bold** text\n- a\n- b"), b.tokens());
        assertEquals(List.of("q"), r.userTurns());
    }

    @Test
    void kaggleCsvWithMultilineQuotedFields() throws IOException {
        String text = "id,model_a,model_b,prompt,response_a,response_b,winner_model_a,winner_model_b,winner_tie\n"
                + "1,x,y,\"[\"\"hello\"\"]\",\"[\"\"## Hi\\n**there**\"\"]\",\"[\"\"plain\"\"]\",1,0,0\n"
                + "2,y,z,\"line one\nline two\",a,b,0,0,1\n"
                + "3,z,x,p,a,b,1,1,0\n"
                + "4,z,x,p,a,b,0,1,0\n";
        List<BattleReader.Row> rows = read(text);
        assertEquals(4, rows.size());
        BattleRecord r1 = rows.get(0).battle();
        assertEquals("1", r1.questionId());
        assertEquals(Outcome.MODEL_A, r1.outcome());
        assertEquals(List.of("hello"), r1.userTurns());
        assertEquals(1, r1.styleA().headers());
        assertEquals(1, r1.styleA().bold());
        assertEquals(2, rows.get(0).line());
        assertEquals(Outcome.TIE, rows.get(1).battle().outcome());
        assertEquals("line one\nline two", rows.get(1).battle().userPrompt());
        assertEquals(3, rows.get(1).line());
        assertEquals("unknown_winner", rows.get(2).bad().reason());
        assertEquals(5, rows.get(2).line());
        assertEquals(Outcome.MODEL_B, rows.get(3).battle().outcome());
        assertEquals(6, rows.get(3).line());
    }

    @Test
    void csvWithoutWinnerColumnsIsRejected() throws IOException {
        List<BattleReader.Row> rows = read("model_a,model_b\nx,y\n");
        assertEquals(1, rows.size());
        assertEquals("missing_field", rows.get(0).bad().reason());
    }

    @Test
    void readsTheSharedConversationFileAndComputesStyle() throws IOException {
        int n = 0;
        try (InputStream in = Files.newInputStream(SharedData.arena("arena_2024_100_with_conversations.jsonl"));
             BattleReader r = BattleReader.open(in)) {
            assertEquals(BattleReader.Format.JSONL, r.format());
            while (r.hasNext()) {
                BattleReader.Row row = r.next();
                assertTrue(row.ok(), () -> row.bad().message());
                BattleRecord b = row.battle();
                assertNotNull(b.styleA());
                assertNotNull(b.styleB());
                assertTrue(b.styleA().tokens() > 0);
                assertNotNull(b.conversationA());
                assertNotNull(b.userPrompt());
                n++;
            }
        }
        assertEquals(100, n);
    }

    @Test
    void jsonArrayAndKaggleCsvOfTheSameVotesGiveTheSameRatings() throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper om = new com.fasterxml.jackson.databind.ObjectMapper();
        List<String> lines = Files.readAllLines(SharedData.arena(SharedData.ARENA_1135));
        StringBuilder array = new StringBuilder("[\n");
        StringBuilder csv = new StringBuilder("id,model_a,model_b,prompt,response_a,response_b,winner_model_a,winner_model_b,winner_tie\n");
        for (int i = 0; i < lines.size(); i++) {
            array.append(lines.get(i)).append(i + 1 < lines.size() ? ",\n" : "\n");
            com.fasterxml.jackson.databind.JsonNode n = om.readTree(lines.get(i));
            String w = n.get("winner").asText();
            String flags = w.equals("model_a") ? "1,0,0" : w.equals("model_b") ? "0,1,0" : "0,0,1";
            String prompt = "\"" + om.writeValueAsString(n.get("user_turns")).replace("\"", "\"\"") + "\"";
            csv.append(n.get("question_id").asText()).append(',').append(n.get("model_a").asText()).append(',')
                    .append(n.get("model_b").asText()).append(',').append(prompt).append(",\"[\"\"a\"\"]\",\"[\"\"b\"\"]\",")
                    .append(flags).append('\n');
        }
        array.append("]");
        BattleSet fromJsonl = SharedData.battles(SharedData.ARENA_1135);
        BattleSet fromArray = BattleReader.readSet(new ByteArrayInputStream(array.toString().getBytes(StandardCharsets.UTF_8)), true);
        BattleSet fromCsv = BattleReader.readSet(new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)), true);
        assertEquals(1135, fromArray.size());
        assertEquals(1135, fromCsv.size());
        double[] r0 = BradleyTerry.fit(PairTable.aggregate(fromJsonl)).ratings();
        double[] r1 = BradleyTerry.fit(PairTable.aggregate(fromArray)).ratings();
        double[] r2 = BradleyTerry.fit(PairTable.aggregate(fromCsv)).ratings();
        for (String model : fromJsonl.models()) {
            double expected = r0[fromJsonl.modelIndex(model)];
            assertEquals(expected, r1[fromArray.modelIndex(model)], 1e-9, model);
            assertEquals(expected, r2[fromCsv.modelIndex(model)], 1e-9, model);
        }
        try (BattleReader r = BattleReader.open(new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)))) {
            BattleRecord first = r.next().battle();
            assertEquals(om.readTree(lines.get(0)).get("user_turns").get(0).asText(), first.userTurns().get(0));
        }
    }

    @Test
    void sharedFilesReadCompletely() throws IOException {
        assertEquals(10_000, SharedData.battles(SharedData.SAMPLE_10K).size());
        assertEquals(1135, SharedData.battles(SharedData.ARENA_1135).size());
    }
}

package dev.colosseum.router.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Training comparisons from files: FastChat / Hugging Face arena JSONL (model_a, model_b, winner, and the
 * prompt from {@code prompt} or the first user turn of {@code conversation_a}), or correctness tables
 * (CSV/JSONL with {@code prompt} and quality columns).
 */
public final class TrainingFiles {
    private TrainingFiles() {
    }

    public static List<Comparison> load(String spec, String strong, String weak) {
        List<Path> files = QualityTable.resolve(spec);
        List<Comparison> out = new ArrayList<>();
        List<String> tables = new ArrayList<>();
        for (Path f : files) {
            if (f.toString().endsWith(".jsonl") && isArena(f)) {
                out.addAll(readArena(f));
            } else {
                tables.add(f.toString());
            }
        }
        if (!tables.isEmpty()) {
            QualityTable t = QualityTable.load(tables);
            String s = t.columns().contains(strong) ? strong : t.columns().get(0);
            String w = t.columns().contains(weak) ? weak : t.columns().stream().filter(c -> !c.equals(s)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(spec + ": needs two quality columns"));
            out.addAll(QualityTable.comparisons(t.rows(), s, w));
        }
        return out;
    }

    static boolean isArena(Path f) {
        try (BufferedReader br = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            String line;
            while ((line = br.readLine()) != null) {
                if (!line.isBlank()) {
                    JsonNode n = new ObjectMapper().readTree(line);
                    return n.has("model_a") && n.has("winner");
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Arena battles; winner model_a → 1, model_b → 0, any tie → ½. Rows without a prompt are skipped. */
    public static List<Comparison> readArena(Path f) {
        ObjectMapper om = new ObjectMapper();
        List<Comparison> out = new ArrayList<>();
        try (BufferedReader br = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            String line;
            while ((line = br.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = om.readTree(line);
                Comparison c = arenaRow(n, f.getFileName().toString());
                if (c != null) {
                    out.add(c);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static Comparison arenaRow(JsonNode n, String group) {
        String a = n.path("model_a").asText("");
        String b = n.path("model_b").asText("");
        if (a.isEmpty() || b.isEmpty() || a.equals(b)) {
            return null;
        }
        Double y = outcome(n.path("winner").asText(""));
        if (y == null) {
            return null;
        }
        String prompt = n.path("prompt").isTextual() ? n.get("prompt").asText() : firstUserTurn(n.path("conversation_a"));
        if (prompt == null || prompt.isBlank()) {
            return null;
        }
        return new Comparison(prompt, a, b, y, 1.0, group);
    }

    public static Double outcome(String winner) {
        switch (winner) {
            case "model_a":
                return 1.0;
            case "model_b":
                return 0.0;
            case "tie":
            case "tie (bothbad)":
                return 0.5;
            default:
                return null;
        }
    }

    public static String firstUserTurn(JsonNode conv) {
        if (conv != null && conv.isArray()) {
            for (JsonNode t : conv) {
                if ("user".equals(t.path("role").asText())) {
                    return t.path("content").asText();
                }
            }
        }
        return null;
    }
}

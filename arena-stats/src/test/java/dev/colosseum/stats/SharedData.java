package dev.colosseum.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Access to ../shared/data (system property colosseum.shared.dir); tests fail when it is missing. */
final class SharedData {
    static final String SAMPLE_10K = "lmarena_2024_sample10k";
    static final String ARENA_1135 = "arena_2023_battles_with_prompts_1135";

    private SharedData() {
    }

    static Path dir() {
        String d = System.getProperty("colosseum.shared.dir");
        if (d == null || d.isBlank()) {
            fail("system property colosseum.shared.dir is not set (the parent POM's surefire config sets it)");
        }
        Path p = Path.of(d, "data");
        assertTrue(Files.isDirectory(p), "shared data directory missing: " + p);
        return p;
    }

    static Path arena(String name) {
        String file = name.equals(SAMPLE_10K) ? "lmarena_2024_sample10k_battles.jsonl"
                : name.equals(ARENA_1135) ? "arena_2023_battles_with_prompts_1135.jsonl" : name;
        Path p = dir().resolve("arena").resolve(file);
        assertTrue(Files.isRegularFile(p), "missing data file " + p);
        return p;
    }

    static JsonNode reference(String name) throws IOException {
        Path p = dir().resolve("reference").resolve("fastchat_" + name + ".json");
        assertTrue(Files.isRegularFile(p), "missing reference file " + p);
        return new ObjectMapper().readTree(p.toFile());
    }

    /** Anonymous battles of a shared arena file. */
    static BattleSet battles(String name) throws IOException {
        try (InputStream in = Files.newInputStream(arena(name))) {
            return BattleReader.readSet(in, true);
        }
    }
}

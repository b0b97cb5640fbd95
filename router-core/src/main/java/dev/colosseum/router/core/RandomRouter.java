package dev.colosseum.router.core;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Baseline: a uniform score derived from a seeded hash of the prompt (deterministic per prompt). */
public final class RandomRouter implements Router {
    private final List<String> models;
    private final long seed;

    public RandomRouter(List<String> models, long seed) {
        this.models = List.copyOf(models);
        this.seed = seed;
    }

    @Override
    public String kind() {
        return "random";
    }

    @Override
    public List<String> models() {
        return models;
    }

    @Override
    public boolean needsEmbedding() {
        return false;
    }

    @Override
    public double winProbability(Query q, String a, String b) {
        long h = seed ^ 0x9E3779B97F4A7C15L;
        for (byte x : (q.text() + "\u0000" + a + "\u0000" + b).getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ x) * 0x100000001B3L;
            h ^= h >>> 29;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return (h >>> 11) * 0x1.0p-53;
    }

    @Override
    public void write(DataOutputStream out) throws IOException {
        Codec.writeStrings(out, models);
        out.writeLong(seed);
    }
}

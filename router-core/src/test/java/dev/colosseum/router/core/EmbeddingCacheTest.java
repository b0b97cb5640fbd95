package dev.colosseum.router.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The on-disk embedding cache survives damaged records (e.g. interleaved appends) and drops them. */
class EmbeddingCacheTest {
    static float[] unit(int seed) {
        float[] v = new float[Embedder.DIM];
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return Embedder.normalise(v);
    }

    @Test
    void damagedRecordsAreSkippedAndRemoved(@TempDir Path dir) throws Exception {
        EmbeddingCache c = EmbeddingCache.open(dir);
        c.put("a", unit(1));
        c.put("b", unit(2));
        c.put("not a unit vector", new float[Embedder.DIM]); // refused
        c.flush();
        Path f;
        try (var s = Files.list(dir)) {
            f = s.findFirst().orElseThrow();
        }
        long record = 32 + 4L * Embedder.DIM;
        assertEquals(2 * record, Files.size(f));
        // a foreign fragment in the middle of the file (what unlocked concurrent appends produced), then a good record
        Files.write(f, new byte[] {1, 2, 3, 4, 5}, StandardOpenOption.APPEND);
        EmbeddingCache other = EmbeddingCache.open(dir.resolve("other"));
        other.put("c", unit(3));
        other.flush();
        Files.write(f, Files.readAllBytes(dir.resolve("other").resolve(f.getFileName())), StandardOpenOption.APPEND);

        EmbeddingCache back = EmbeddingCache.open(dir);
        assertArrayEquals(unit(1), back.get("a"));
        assertArrayEquals(unit(2), back.get("b"));
        assertNull(back.get("not a unit vector"));
        // the fragment shifted the last record: it and the tail are dropped, the file keeps whole good records only
        assertEquals(2, back.damaged());
        assertEquals(2, back.size());
        assertEquals(2 * record, Files.size(f));
        assertEquals(0, EmbeddingCache.open(dir).damaged());
    }
}

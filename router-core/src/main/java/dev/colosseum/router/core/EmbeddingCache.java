package dev.colosseum.router.core;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Append-only on-disk cache of embedding vectors keyed by the SHA-256 of the text. One file per embedding
 * model; each record is the 32-byte digest followed by {@link Embedder#DIM} floats.
 * <p>
 * Several processes (evaluations, benchmarks, services) may share the file: new records are collected in
 * memory and appended as whole records in one write under an exclusive file lock, so records of different
 * processes never interleave. Loading checks every vector (finite, unit length: vectors are normalised) and
 * skips damaged records; when it finds any (e.g. written by an older version without the lock), it rewrites
 * the file with the good records only.
 */
public final class EmbeddingCache {
    private static final String FILE = "minilm-l6-v2-q.v1.bin";
    private static final int RECORD = 32 + 4 * Embedder.DIM;
    /** File locks are per process; this serialises the cache instances of one JVM around them. */
    private static final Object JVM_LOCK = new Object();
    private final Path file;
    private final ConcurrentHashMap<String, float[]> map = new ConcurrentHashMap<>();
    private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();
    private int damaged;

    private EmbeddingCache(Path file) {
        this.file = file;
    }

    public static Path defaultDirectory() {
        String env = System.getenv("COLOSSEUM_EMBEDDING_CACHE");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "colosseum", "embeddings");
    }

    public static EmbeddingCache open(Path dir) {
        EmbeddingCache c = new EmbeddingCache(dir.resolve(FILE));
        c.load();
        return c;
    }

    /** Damaged records skipped (and removed from the file) when the cache was opened. */
    public int damaged() {
        return damaged;
    }

    static boolean valid(float[] v) {
        double s = 0;
        for (float x : v) {
            if (!Float.isFinite(x)) {
                return false;
            }
            s += (double) x * x;
        }
        return Math.abs(s - 1) < 1e-3;
    }

    private void load() {
        if (!Files.exists(file)) {
            return;
        }
        synchronized (JVM_LOCK) {
            loadLocked();
        }
    }

    private void loadLocked() {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileLock lock = ch.lock()) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE - 16) {
                throw new IOException("embedding cache too large: " + size + " bytes");
            }
            java.nio.ByteBuffer all = java.nio.ByteBuffer.allocate((int) size);
            while (all.hasRemaining() && ch.read(all) >= 0) {
                // read the whole file
            }
            all.flip();
            int bad = 0;
            java.io.ByteArrayOutputStream good = new java.io.ByteArrayOutputStream();
            byte[] rec = new byte[RECORD];
            while (all.remaining() >= RECORD) {
                all.get(rec);
                java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(rec, 32, RECORD - 32);
                float[] v = new float[Embedder.DIM];
                for (int i = 0; i < v.length; i++) {
                    v[i] = bb.getFloat();
                }
                if (!valid(v)) {
                    bad++;
                    continue;
                }
                map.put(HexFormat.of().formatHex(rec, 0, 32), v);
                good.write(rec, 0, RECORD);
            }
            if (all.hasRemaining()) {
                bad++; // a truncated last record
            }
            damaged = bad;
            if (bad > 0) {
                // rewrite with the good records only (same lock held)
                Path tmp = file.resolveSibling(FILE + ".tmp");
                Files.write(tmp, good.toByteArray());
                Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read embedding cache " + file, e);
        }
    }

    public int size() {
        return map.size();
    }

    public float[] get(String text) {
        return map.get(key(text));
    }

    public synchronized void put(String text, float[] v) {
        String k = key(text);
        if (!valid(v) || map.putIfAbsent(k, v) != null) {
            return;
        }
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate(RECORD);
        bb.put(HexFormat.of().parseHex(k));
        for (float x : v) {
            bb.putFloat(x);
        }
        pending.write(bb.array(), 0, RECORD);
        if (pending.size() >= (1 << 16)) {
            flush();
        }
    }

    /** Appends the pending records in one write under an exclusive lock on the file. */
    public synchronized void flush() {
        if (pending.size() == 0) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            synchronized (JVM_LOCK) {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND); FileLock lock = ch.lock()) {
                    java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(pending.toByteArray());
                    while (bb.hasRemaining()) {
                        ch.write(bb);
                    }
                }
            }
            pending.reset();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write embedding cache " + file, e);
        }
    }

    static String key(String text) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

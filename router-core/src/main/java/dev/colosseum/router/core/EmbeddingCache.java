package dev.colosseum.router.core;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
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
 */
public final class EmbeddingCache {
    private static final String FILE = "minilm-l6-v2-q.v1.bin";
    private final Path file;
    private final ConcurrentHashMap<String, float[]> map = new ConcurrentHashMap<>();
    private DataOutputStream out;

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

    private void load() {
        if (!Files.exists(file)) {
            return;
        }
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw, 1 << 16))) {
            byte[] key = new byte[32];
            while (true) {
                try {
                    in.readFully(key);
                } catch (EOFException eof) {
                    break;
                }
                float[] v = new float[Embedder.DIM];
                try {
                    for (int i = 0; i < v.length; i++) {
                        v[i] = in.readFloat();
                    }
                } catch (EOFException truncated) {
                    break;
                }
                map.put(HexFormat.of().formatHex(key), v);
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
        if (map.putIfAbsent(k, v) != null) {
            return;
        }
        try {
            if (out == null) {
                Files.createDirectories(file.getParent());
                OutputStream os = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16));
            }
            out.write(HexFormat.of().parseHex(k));
            for (float x : v) {
                out.writeFloat(x);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write embedding cache " + file, e);
        }
    }

    public synchronized void flush() {
        if (out != null) {
            try {
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
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

package dev.colosseum.router.core;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Sentence embeddings computed in-process with all-MiniLM-L6-v2 (quantized ONNX, 384 dimensions) through
 * langchain4j; no network. Vectors are L2-normalised so a dot product is the cosine similarity. An optional
 * {@link EmbeddingCache} keyed by the SHA-256 of the text avoids recomputing vectors across runs.
 */
public final class Embedder implements AutoCloseable {
    public static final int DIM = 384;
    private final EmbeddingModel model;
    private final EmbeddingCache cache;

    public Embedder(EmbeddingCache cache) {
        this.model = new AllMiniLmL6V2QuantizedEmbeddingModel();
        this.cache = cache;
    }

    /** An embedder with the default on-disk cache (env COLOSSEUM_EMBEDDING_CACHE or ~/.cache/colosseum). */
    public static Embedder withDefaultCache() {
        return new Embedder(EmbeddingCache.open(EmbeddingCache.defaultDirectory()));
    }

    public static Embedder withoutCache() {
        return new Embedder(null);
    }

    public static Embedder withCache(Path dir) {
        return new Embedder(EmbeddingCache.open(dir));
    }

    public float[] embed(String text) {
        String t = text == null ? "" : text;
        if (cache != null) {
            float[] hit = cache.get(t);
            if (hit != null) {
                return hit;
            }
        }
        Embedding e = model.embed(t.isBlank() ? " " : t).content();
        float[] v = normalise(e.vector());
        if (cache != null) {
            cache.put(t, v);
        }
        return v;
    }

    /** Embeds many texts on {@code threads} worker threads, reporting each finished index. */
    public float[][] embedAll(List<String> texts, int threads, IntConsumer progress) {
        float[][] out = new float[texts.size()][];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        Runnable worker = () -> {
            int i;
            while ((i = next.getAndIncrement()) < texts.size()) {
                out[i] = embed(texts.get(i));
                int d = done.incrementAndGet();
                if (progress != null) {
                    progress.accept(d);
                }
            }
        };
        int n = Math.max(1, threads);
        Thread[] ts = new Thread[n - 1];
        for (int k = 0; k < ts.length; k++) {
            ts[k] = new Thread(worker, "embed-" + k);
            ts[k].start();
        }
        worker.run();
        for (Thread t : ts) {
            try {
                t.join();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while embedding", ex);
            }
        }
        if (cache != null) {
            cache.flush();
        }
        return out;
    }

    static float[] normalise(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        float n = (float) Math.sqrt(s);
        float[] r = new float[v.length];
        if (n == 0) {
            return r;
        }
        for (int i = 0; i < v.length; i++) {
            r[i] = v[i] / n;
        }
        return r;
    }

    public EmbeddingCache cache() {
        return cache;
    }

    @Override
    public void close() {
        if (cache != null) {
            cache.flush();
        }
    }
}

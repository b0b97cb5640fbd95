package dev.colosseum.router.core;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Sentence embeddings computed in-process with all-MiniLM-L6-v2 (quantized ONNX, 384 dimensions) through
 * langchain4j; no network. Vectors are L2-normalised so a dot product is the cosine similarity. An optional
 * {@link EmbeddingCache} keyed by the SHA-256 of the text avoids recomputing vectors across runs.
 * <p>
 * The model and tokenizer are the ones packaged in langchain4j's quantized all-MiniLM-L6-v2 artifact, run by
 * langchain4j's {@link OnnxBertBiEncoder} (same tokenisation, 510-token windows and mean pooling, so the
 * vectors are identical), but on an ONNX Runtime session we configure: {@link #threads()} intra-op threads
 * (default: the available processors, at most 4; env {@code COLOSSEUM_EMBEDDING_THREADS}), worker threads that
 * block instead of spin-waiting between operators (spinning burns the CPU other processes on a small shared
 * machine need), sequential execution and all graph optimisations.
 */
public final class Embedder implements AutoCloseable {
    public static final int DIM = 384;
    private static final String MODEL = "all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json";
    private final EmbeddingModel model;
    private final EmbeddingCache cache;
    private final int threads;

    public Embedder(EmbeddingCache cache) {
        this(cache, defaultThreads());
    }

    public Embedder(EmbeddingCache cache, int threads) {
        this.threads = Math.max(1, threads);
        this.model = load(this.threads);
        this.cache = cache;
    }

    /** Intra-op threads: env {@code COLOSSEUM_EMBEDDING_THREADS}, else the available processors (at most 4). */
    public static int defaultThreads() {
        String env = System.getenv("COLOSSEUM_EMBEDDING_THREADS");
        try {
            return env == null || env.isBlank() ? Math.min(4, Runtime.getRuntime().availableProcessors()) : Integer.parseInt(env.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("COLOSSEUM_EMBEDDING_THREADS must be a number, got " + env);
        }
    }

    /** ONNX Runtime intra-op threads per embedding. */
    public int threads() {
        return threads;
    }

    private static EmbeddingModel load(int threads) {
        ClassLoader cl = AllMiniLmL6V2QuantizedEmbeddingModel.class.getClassLoader();
        try (InputStream modelIn = cl.getResourceAsStream(MODEL); InputStream tokIn = cl.getResourceAsStream(TOKENIZER)) {
            if (modelIn == null || tokIn == null) {
                throw new IllegalStateException("the all-MiniLM-L6-v2 (quantized) model is not on the class path");
            }
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions so = new OrtSession.SessionOptions();
            so.setIntraOpNumThreads(threads);
            so.setInterOpNumThreads(1);
            so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            so.addConfigEntry("session.intra_op.allow_spinning", "0");
            OrtSession session = env.createSession(modelIn.readAllBytes(), so);
            OnnxBertBiEncoder encoder = new OnnxBertBiEncoder(env, session, tokIn, PoolingMode.MEAN);
            return new Model(encoder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot start the ONNX Runtime session: " + e.getMessage(), e);
        }
    }

    /** langchain4j's in-process embedding model around our configured encoder. */
    private static final class Model extends AbstractInProcessEmbeddingModel {
        private final OnnxBertBiEncoder encoder;

        Model(OnnxBertBiEncoder encoder) {
            super(Runnable::run);
            this.encoder = encoder;
        }

        @Override
        protected OnnxBertBiEncoder model() {
            return encoder;
        }

        @Override
        protected Integer knownDimension() {
            return DIM;
        }
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

package dev.colosseum.router.service;

import dev.colosseum.router.RouteDecision;
import dev.colosseum.router.RouterException;
import dev.colosseum.router.config.RouterServiceConfig;
import dev.colosseum.router.core.Calibration;
import dev.colosseum.router.core.Embedder;
import dev.colosseum.router.core.PromptFeatures;
import dev.colosseum.router.core.Query;
import dev.colosseum.router.core.RandomRouter;
import dev.colosseum.router.core.Router;
import dev.colosseum.router.core.RouterTrainer;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The active router per kind, its calibration and the routing decision. Model names:
 * {@code router-<kind>-<threshold>} (RouteLLM's form, threshold in [0, 1]) or {@code router-<kind>-p<percent>}
 * (the threshold that sends that percentage of prompts to the strong model, from the calibration).
 */
@ApplicationScoped
public class RouterEngine {
    private static final Pattern NAME = Pattern.compile("router-([a-z]+)-(p(\\d{1,3}(?:\\.\\d+)?)|(\\d*\\.?\\d+(?:[eE]-?\\d+)?))");

    /** A parsed router model name. */
    public record Spec(String kind, Double threshold, Double fraction) {
    }

    /** An active router with its version and calibration. */
    public record Active(Router router, int version, Calibration calibration) {
    }

    private final RouterServiceConfig config;
    private final Map<String, Active> active = new ConcurrentHashMap<>();
    private final Map<String, ArrayDeque<Double>> traffic = new ConcurrentHashMap<>();
    private final List<String> referencePrompts;
    private volatile Embedder embedder;

    public RouterEngine(RouterServiceConfig config) {
        this.config = config;
        this.referencePrompts = ReferencePrompts.load(config.referencePrompts().orElse(null));
        Router random = new RandomRouter(List.of(config.strong(), config.weak()), 42);
        active.put("random", new Active(random, 0, calibrate(random)));
        Router length = new dev.colosseum.router.core.LengthRouter(List.of(config.strong(), config.weak()));
        active.put("length", new Active(length, 0, calibrate(length)));
    }

    public Embedder embedder() {
        Embedder e = embedder;
        if (e == null) {
            synchronized (this) {
                if (embedder == null) {
                    embedder = Embedder.withDefaultCache();
                }
                e = embedder;
            }
        }
        return e;
    }

    public String strong() {
        return config.strong();
    }

    public String weak() {
        return config.weak();
    }

    public Map<String, Active> active() {
        return Map.copyOf(active);
    }

    public List<String> referencePrompts() {
        return referencePrompts;
    }

    public static Spec parse(String model) {
        if (model == null || model.isBlank()) {
            throw RouterException.badRequest("you must provide a model parameter", "model");
        }
        Matcher m = NAME.matcher(model);
        if (!m.matches()) {
            throw RouterException.modelNotFound("The model '" + model + "' does not exist: use router-<router>-<threshold> "
                    + "or router-<router>-p<strong percent>, routers " + RouterTrainer.KINDS);
        }
        String kind = m.group(1);
        if (m.group(3) != null) {
            double pct = Double.parseDouble(m.group(3));
            if (pct > 100) {
                throw RouterException.modelNotFound("The model '" + model + "' does not exist: strong percent must be 0..100");
            }
            return new Spec(kind, null, pct / 100);
        }
        double t = Double.parseDouble(m.group(4));
        if (t > 1) {
            throw RouterException.modelNotFound("The model '" + model + "' does not exist: threshold must be within [0, 1]");
        }
        return new Spec(kind, t, null);
    }

    /** Installs a trained router and calibrates it on the reference prompts. */
    public void activate(String kind, Router router, int version) {
        Calibration c = calibrate(router);
        active.put(kind, new Active(router, version, c));
        traffic.remove(kind);
        Log.infof("router %s v%d active (calibrated on %d %s prompts)", kind, version, c.size(), c.source());
    }

    Calibration calibrate(Router r) {
        double[] s = new double[referencePrompts.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = r.score(query(r, referencePrompts.get(i)), config.strong(), config.weak());
        }
        return new Calibration(s, "reference");
    }

    /** Re-calibrates from the recent routed prompts' scores; returns the new calibration or null if too few. */
    public Calibration recalibrateFromTraffic(String kind) {
        Active a = active.get(kind);
        ArrayDeque<Double> q = traffic.get(kind);
        if (a == null || q == null) {
            return null;
        }
        double[] s;
        synchronized (q) {
            if (q.size() < config.trafficMinimum()) {
                return null;
            }
            s = q.stream().mapToDouble(Double::doubleValue).toArray();
        }
        Calibration c = new Calibration(s, "traffic");
        active.put(kind, new Active(a.router(), a.version(), c));
        return c;
    }

    Query query(Router r, String prompt) {
        return r.needsEmbedding() ? Query.of(prompt, embedder())
                : new Query(prompt, new float[0], PromptFeatures.of(prompt));
    }

    /** Blocking: embeds the prompt and decides. Call from a worker thread. */
    public RouteDecision decide(String model, String prompt) {
        long t0 = System.nanoTime();
        Spec spec = parse(model);
        Active a = active.get(spec.kind());
        if (a == null) {
            if (!RouterTrainer.KINDS.contains(spec.kind())) {
                throw RouterException.modelNotFound("The model '" + model + "' does not exist: unknown router '"
                        + spec.kind() + "', known " + RouterTrainer.KINDS);
            }
            throw RouterException.modelNotFound("The model '" + model + "' does not exist yet: router '" + spec.kind()
                    + "' has no trained version (POST /api/v1/router/train)");
        }
        Router r = a.router();
        double score = r.score(query(r, prompt), config.strong(), config.weak());
        record(spec.kind(), score);
        double threshold = spec.threshold() != null ? spec.threshold() : a.calibration().thresholdFor(spec.fraction());
        boolean strong = score >= threshold;
        String chosen = strong ? config.strong() : config.weak();
        return new RouteDecision(spec.kind(), model, a.version(), score, threshold, spec.fraction(),
                a.calibration().source(), chosen, strong, config.strong(), config.weak(), (System.nanoTime() - t0) / 1e6);
    }

    private void record(String kind, double score) {
        ArrayDeque<Double> q = traffic.computeIfAbsent(kind, k -> new ArrayDeque<>());
        synchronized (q) {
            q.addLast(score);
            while (q.size() > config.trafficWindow()) {
                q.removeFirst();
            }
        }
    }

    /** Number of scores currently in the traffic window of a router. */
    public int trafficSize(String kind) {
        ArrayDeque<Double> q = traffic.get(kind);
        if (q == null) {
            return 0;
        }
        synchronized (q) {
            return q.size();
        }
    }

    /** Reference prompts: a configured JSONL file, else MT-Bench questions from the shared data, else built-ins. */
    static final class ReferencePrompts {
        private ReferencePrompts() {
        }

        static List<String> load(String configured) {
            List<Path> candidates = new ArrayList<>();
            if (configured != null && !configured.isBlank()) {
                candidates.add(Path.of(configured));
            }
            candidates.add(Path.of("../shared/data/mt_bench/question.jsonl"));
            candidates.add(Path.of("../../shared/data/mt_bench/question.jsonl"));
            candidates.add(Path.of("/work/shared/data/mt_bench/question.jsonl"));
            com.fasterxml.jackson.databind.ObjectMapper om = new com.fasterxml.jackson.databind.ObjectMapper();
            for (Path p : candidates) {
                if (!Files.isRegularFile(p)) {
                    continue;
                }
                try {
                    List<String> out = new ArrayList<>();
                    for (String line : Files.readAllLines(p)) {
                        if (line.isBlank()) {
                            continue;
                        }
                        var n = om.readTree(line);
                        if (n.path("prompt").isTextual()) {
                            out.add(n.get("prompt").asText());
                        } else if (n.path("turns").isArray() && n.get("turns").size() > 0) {
                            out.add(n.get("turns").get(0).asText());
                        }
                    }
                    if (!out.isEmpty()) {
                        return List.copyOf(out);
                    }
                } catch (java.io.IOException e) {
                    Log.warnf("cannot read reference prompts %s: %s", p, e.getMessage());
                }
            }
            return List.of("Hi!", "What is 2 + 2?", "Write a haiku about the sea.", "Summarise the plot of Hamlet.",
                    "Prove that there are infinitely many primes.", "Write a Python function that merges two sorted lists.",
                    "Explain the difference between TCP and UDP.", "Translate 'good morning' into French.",
                    "Derive the formula for the variance of a binomial distribution.",
                    "Design a database schema for a library with loans, members and fines, and explain the indexes.");
        }
    }
}

package dev.colosseum.cli.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Fills a fresh store and trains a first router: imports the real public votes found under
 * {@code <shared>/data/arena} into vote-service, or, when they are absent, posts a simulated history
 * drawn from the simulated models' configured strengths; then asks router-service to train.
 * Every step reports what the service answered and never aborts the launch.
 */
public final class Seeder {
    /** Imported in this order: the 10k sample, then the 2023 votes with prompts, then full conversations. */
    static final List<String> ARENA_FILES = List.of(
            "lmarena_2024_sample10k_battles.jsonl",
            "arena_2023_battles_with_prompts_1135.jsonl",
            "arena_2024_100_with_conversations.jsonl");

    private final SuiteConfig cfg;
    private final Consumer<String> progress;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    public Seeder(SuiteConfig cfg, Consumer<String> progress) {
        this.cfg = cfg;
        this.progress = progress;
    }

    /** Outcome of one step, for the summary and for tests. */
    public record StepResult(String step, boolean ok, String detail) {
    }

    public Path seededMarker() {
        return cfg.home().resolve("seeded");
    }

    /** Seeds once per data directory: later runs find the marker and keep the stored votes. */
    public List<StepResult> seedOnce() {
        if (Files.exists(seededMarker())) {
            progress.accept("store already seeded on an earlier run (" + seededMarker() + "); keeping its data");
            return List.of(new StepResult("seed", true, "already seeded"));
        }
        List<StepResult> results = cfg.hasArenaData() ? importArenaVotes() : List.of(simulateHistory(1500, 42));
        if (results.stream().anyMatch(StepResult::ok)) {
            try {
                Files.writeString(seededMarker(), Instant.now() + "\n");
            } catch (IOException e) {
                progress.accept("warning: could not write " + seededMarker() + ": " + e.getMessage());
            }
        }
        return results;
    }

    /** POST /api/v1/import for each public arena file (admin key), showing the import status meanwhile. */
    public List<StepResult> importArenaVotes() {
        List<StepResult> out = new ArrayList<>();
        for (String name : ARENA_FILES) {
            Path file = cfg.arenaDataDir().resolve(name);
            if (!Files.isRegularFile(file)) {
                continue;
            }
            out.add(importFile(file));
            if (!out.get(out.size() - 1).ok() && out.get(out.size() - 1).detail().startsWith("HTTP 404")) {
                break;
            }
        }
        return out;
    }

    public StepResult importFile(Path file) {
        return importFile(file, file.getFileName().toString().replaceAll("\\.jsonl$", ""));
    }

    /** POST /api/v1/import of one JSONL file under a source label. */
    public StepResult importFile(Path file, String label) {
        String url = cfg.baseUrl(ServiceSpec.VOTE) + "/api/v1/import?format=jsonl&source=" + label;
        progress.accept("importing votes from " + file.getFileName() + " into vote-service ...");
        for (String contentType : List.of("application/x-ndjson", "application/octet-stream", "text/plain")) {
            try {
                HttpRequest req = HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofMinutes(15))
                        .header("X-Admin-Key", cfg.adminKey())
                        .header("Content-Type", contentType)
                        .header("Accept", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofFile(file)).build();
                CompletableFuture<HttpResponse<String>> f = http.sendAsync(req, HttpResponse.BodyHandlers.ofString());
                while (!f.isDone()) {
                    try {
                        f.get(3, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.TimeoutException e) {
                        importStatus().ifPresent(s -> progress.accept("  import progress: " + s));
                    }
                }
                HttpResponse<String> r = f.get();
                if (r.statusCode() == 415) {
                    continue;
                }
                if (r.statusCode() / 100 == 2) {
                    progress.accept("  imported " + file.getFileName() + ": " + compact(r.body()));
                    return new StepResult("import " + label, true, compact(r.body()));
                }
                String detail = "HTTP " + r.statusCode() + " " + compact(r.body());
                progress.accept("  import of " + file.getFileName() + " not done: vote-service answered " + detail
                        + (r.statusCode() == 404 ? " (import endpoint not available in this build)" : ""));
                return new StepResult("import " + label, false, detail);
            } catch (IOException | java.util.concurrent.ExecutionException e) {
                progress.accept("  import of " + file.getFileName() + " failed: " + e.getMessage());
                return new StepResult("import " + label, false, String.valueOf(e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new StepResult("import " + label, false, "interrupted");
            }
        }
        return new StepResult("import " + label, false, "no accepted content type (HTTP 415)");
    }

    private java.util.Optional<String> importStatus() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                            URI.create(cfg.baseUrl(ServiceSpec.VOTE) + "/api/v1/import/status"))
                    .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? java.util.Optional.of(compact(r.body())) : java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }

    /**
     * Imports {@code n} simulated anonymous battles between the simulated models of the registry, as a
     * FastChat-style JSONL file through vote-service's import (so the history is not throttled like live
     * votes). Outcomes follow Bradley–Terry with each model's configured {@code simulated.strength}
     * (natural-log scale) and 10% ties; the import source is {@code simulated-history}.
     */
    public StepResult simulateHistory(int n, long seed) {
        List<String> names = new ArrayList<>();
        List<Double> strengths = new ArrayList<>();
        for (JsonNode m : registryModels()) {
            if ("simulated".equals(m.path("provider").asText()) && m.path("enabled").asBoolean(true)) {
                names.add(m.path("id").asText());
                strengths.add(m.path("simulated").path("strength").asDouble(0.0));
            }
        }
        if (names.size() < 2) {
            progress.accept("no simulated models in the registry: no simulated history");
            return new StepResult("simulated history", false, "fewer than two simulated models");
        }
        progress.accept("no public vote files found under " + cfg.arenaDataDir()
                + ": importing " + n + " simulated battles between " + names.size() + " simulated models");
        Random rnd = new Random(seed);
        long t0 = Instant.now().minus(Duration.ofDays(7)).getEpochSecond();
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int a = rnd.nextInt(names.size());
            int b = rnd.nextInt(names.size() - 1);
            if (b >= a) {
                b++;
            }
            double pa = 1.0 / (1.0 + Math.exp(strengths.get(b) - strengths.get(a)));
            String winner = rnd.nextDouble() < 0.1 ? "tie" : (rnd.nextDouble() < pa ? "model_a" : "model_b");
            ObjectNode v = json.createObjectNode()
                    .put("question_id", "simhist-" + seed + "-" + i)
                    .put("model_a", names.get(a)).put("model_b", names.get(b))
                    .put("winner", winner).put("anony", true)
                    .put("tstamp", t0 + i * 300L)
                    .put("turn", 1).put("language", "English");
            jsonl.append(v).append('\n');
        }
        try {
            Path file = Files.createTempFile("simulated-history-", ".jsonl");
            try {
                Files.writeString(file, jsonl);
                StepResult r = importFile(file, "simulated-history");
                return new StepResult("simulated history", r.ok(), r.detail());
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            return new StepResult("simulated history", false, e.getMessage());
        }
    }

    /** The model registry: battle-service first, vote-service second, the config file last. */
    public List<JsonNode> registryModels() {
        for (String url : List.of(cfg.baseUrl(ServiceSpec.BATTLE) + "/api/v1/models",
                cfg.baseUrl(ServiceSpec.VOTE) + "/api/v1/models")) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    List<JsonNode> models = modelList(json.readTree(r.body()));
                    if (!models.isEmpty()) {
                        return models;
                    }
                }
            } catch (IOException e) {
                // try the next source
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
        try {
            if (Files.exists(cfg.modelsFile())) {
                return modelList(json.readTree(cfg.modelsFile().toFile()));
            }
        } catch (IOException e) {
            progress.accept("warning: cannot read " + cfg.modelsFile() + ": " + e.getMessage());
        }
        return List.of();
    }

    static List<JsonNode> modelList(JsonNode root) {
        JsonNode arr = root.isArray() ? root : root.path("models");
        List<JsonNode> out = new ArrayList<>();
        if (arr instanceof ArrayNode a) {
            a.forEach(out::add);
        }
        return out;
    }

    /** Trains only when router-service lists no trained version yet (a second {@code up} keeps the router). */
    public StepResult trainRouterUnlessTrained(Duration wait) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                            URI.create(cfg.baseUrl(ServiceSpec.ROUTER) + "/api/v1/router/models"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                List<JsonNode> versions = modelList(json.readTree(r.body()));
                if (!versions.isEmpty()) {
                    progress.accept("router already trained (" + versions.size() + " version(s)); not training again");
                    return new StepResult("train router", true, "already trained");
                }
            }
        } catch (IOException e) {
            // fall through: the training request reports what is wrong
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new StepResult("train router", false, "interrupted");
        }
        return trainRouter(wait);
    }

    /** POST /api/v1/router/train, then follows the job until it ends or {@code wait} passes. */
    public StepResult trainRouter(Duration wait) {
        String base = cfg.baseUrl(ServiceSpec.ROUTER);
        progress.accept("training a first router from the stored votes (router-service) ...");
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/router/train"))
                    .timeout(Duration.ofSeconds(60))
                    .header("X-Admin-Key", cfg.adminKey()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"router\":\"best\",\"source\":\"votes\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                String detail = "HTTP " + r.statusCode() + " " + compact(r.body());
                progress.accept("  router training not started: router-service answered " + detail
                        + (r.statusCode() == 404 ? " (training endpoint not available in this build)" : ""));
                return new StepResult("train router", false, detail);
            }
            String jobId = json.readTree(r.body()).path("job_id").asText("");
            if (jobId.isEmpty()) {
                return new StepResult("train router", true, compact(r.body()));
            }
            long deadline = System.nanoTime() + wait.toNanos();
            String last = "";
            while (System.nanoTime() < deadline) {
                HttpResponse<String> s = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/router/jobs/" + jobId))
                        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
                last = compact(s.body());
                if (s.statusCode() != 200) {
                    return new StepResult("train router", false, "job " + jobId + ": HTTP " + s.statusCode() + " " + last);
                }
                JsonNode job = json.readTree(s.body());
                String state = job.path("status").asText(job.path("state").asText("")).toLowerCase();
                if (Stream.of("done", "succeeded", "success", "completed", "finished").anyMatch(state::equals)) {
                    progress.accept("  router trained: " + last);
                    return new StepResult("train router", true, last);
                }
                if (Stream.of("failed", "error", "cancelled").anyMatch(state::equals)) {
                    progress.accept("  router training failed: " + last);
                    return new StepResult("train router", false, last);
                }
                progress.accept("  training: " + last);
                Suite.sleep(2000);
            }
            progress.accept("  router training still running in the background (job " + jobId + ")");
            return new StepResult("train router", true, "running: " + last);
        } catch (IOException e) {
            progress.accept("  router training request failed: " + e.getMessage());
            return new StepResult("train router", false, String.valueOf(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new StepResult("train router", false, "interrupted");
        }
    }

    static String compact(String body) {
        String s = body == null ? "" : body.replaceAll("\\s+", " ").trim();
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}

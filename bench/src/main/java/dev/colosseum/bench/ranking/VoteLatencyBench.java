package dev.colosseum.bench.ranking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.colosseum.embedded.EmbeddedDb;
import dev.colosseum.embedded.ServiceProcess;

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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Time for a vote to appear in the overall leaderboard, with real processes on loopback: embedded
 * PostgreSQL, vote-service and ranking-service (their built jars, default follower settings). For each vote:
 * from vote-service's 201 until {@code GET /api/v1/leaderboard} on ranking-service reports it in
 * {@code n_votes}. Prints p50 / p99 / max.
 *
 * <p>Arguments: [votes=1000] [warmup=200]. Run from the repository root (bench/ranking-latency.sh).
 */
public final class VoteLatencyBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private VoteLatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        int votes = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        Path root = Path.of("").toAbsolutePath();
        Path voteJar = root.resolve("vote-service/target/quarkus-app/quarkus-run.jar");
        Path rankingJar = root.resolve("ranking-service/target/quarkus-app/quarkus-run.jar");
        for (Path p : List.of(voteJar, rankingJar)) {
            if (!Files.exists(p)) {
                throw new IllegalStateException("not built: " + p);
            }
        }
        List<String> models = new ArrayList<>();
        StringBuilder registry = new StringBuilder("{\"models\":[");
        for (int i = 0; i < 10; i++) {
            String id = "sim-bench-" + i;
            models.add(id);
            registry.append(i == 0 ? "" : ",").append("{\"id\":\"").append(id)
                    .append("\",\"display_name\":\"Bench ").append(i).append(" (simulated)\",\"provider\":\"simulated\"}");
        }
        registry.append("]}");
        Path modelsFile = Files.createTempFile("bench-models-", ".json");
        Files.writeString(modelsFile, registry.toString());
        try (EmbeddedDb db = EmbeddedDb.startEphemeral()) {
            db.ensureDatabase("votes");
            db.ensureDatabase("ranking");
            Map<String, String> voteEnv = new HashMap<>(ServiceProcess.databaseEnv(db, "votes"));
            voteEnv.putAll(Map.of("COLOSSEUM_MODELS_FILE", modelsFile.toString(),
                    "VOTE_DAILY_CAP", "10000000", "VOTE_CLIENT_RATE", "1000000", "VOTE_CLIENT_BURST", "1000000",
                    "COLOSSEUM_ADMIN_KEY", "bench-admin", "VOTE_HYGIENE_INTERVAL", "PT1H"));
            try (ServiceProcess voteService = start("vote-service", voteJar, voteEnv)) {
                String voteUrl = voteService.url();
                Map<String, String> rankingEnv = new HashMap<>(ServiceProcess.databaseEnv(db, "ranking"));
                rankingEnv.put("COLOSSEUM_VOTE_URL", voteUrl);
                try (ServiceProcess rankingService = start("ranking-service", rankingJar, rankingEnv)) {
                    measure(votes, warmup, models, voteUrl, rankingService.url());
                }
            }
        }
    }

    private static ServiceProcess start(String name, Path jar, Map<String, String> env) throws IOException {
        Path log = Files.createTempFile(name + "-", ".log");
        System.out.println("starting " + jar + " (log " + log + ")");
        return ServiceProcess.start(name, jar, ServiceProcess.freePort(), env, "1g", log, null, "/q/health",
                Duration.ofSeconds(120));
    }

    private static void measure(int votes, int warmup, List<String> models, String voteUrl, String rankingUrl)
            throws IOException, InterruptedException {
        Random rnd = new Random(3);
        Instant t = Instant.now().minusSeconds(3600L * 24);
        long expected = 0;
        double[] lat = new double[votes];
        for (int k = 0; k < warmup + votes; k++) {
            ObjectNode v = vote(k, rnd, models, t.plusSeconds(k));
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(voteUrl + "/api/v1/votes"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(v.toString()))
                    .build(), HttpResponse.BodyHandlers.ofString());
            long accepted = System.nanoTime();
            if (r.statusCode() != 201) {
                throw new IllegalStateException("vote rejected: " + r.statusCode() + " " + r.body());
            }
            expected++;
            while (true) {
                JsonNode lb = JSON.readTree(get(rankingUrl + "/api/v1/leaderboard?min_votes=0"));
                if (lb.path("n_votes").asLong() >= expected) {
                    break;
                }
                Thread.sleep(1);
            }
            if (k >= warmup) {
                lat[k - warmup] = (System.nanoTime() - accepted) / 1e6;
            }
        }
        Arrays.sort(lat);
        System.out.printf(Locale.ROOT, "vote -> overall leaderboard (real vote-service + ranking-service, default "
                        + "200 ms idle poll), %d votes after %d warm-up: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                votes, warmup, lat[(int) Math.ceil(0.5 * votes) - 1], lat[(int) Math.ceil(0.99 * votes) - 1],
                lat[votes - 1]);
        System.out.println("load average while measuring: " + RefitBench.loadAverage());
        JsonNode status = JSON.readTree(get(rankingUrl + "/api/v1/status"));
        System.out.printf(Locale.ROOT, "ranking-service state: %d counted votes, ~%.1f MB held by the vote store%n",
                status.path("counted_votes").asLong(), status.path("memory_bytes").asLong() / 1e6);
    }

    static ObjectNode vote(int k, Random rnd, List<String> models, Instant at) {
        int a = rnd.nextInt(models.size());
        int b = rnd.nextInt(models.size() - 1);
        if (b >= a) {
            b++;
        }
        ObjectNode v = JSON.createObjectNode();
        v.put("battle_id", "bench-" + k + "-" + rnd.nextInt(1_000_000));
        v.put("model_a", models.get(a));
        v.put("model_b", models.get(b));
        v.put("winner", rnd.nextDouble() < 0.1 ? "tie" : a < b ? (rnd.nextDouble() < 0.7 ? "model_a" : "model_b")
                : (rnd.nextDouble() < 0.3 ? "model_a" : "model_b"));
        v.put("mode", "anony");
        v.put("voter_id", "bench-voter-" + k);
        v.put("voted_at", at.toString());
        v.put("language", "English");
        v.putObject("features_a").put("tokens", 100 + rnd.nextInt(900));
        v.putObject("features_b").put("tokens", 100 + rnd.nextInt(900));
        v.putArray("conversation_a").addObject().put("role", "user").put("content", "bench prompt " + k);
        v.putArray("conversation_b").addObject().put("role", "user").put("content", "bench prompt " + k);
        return v;
    }

    static String get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}

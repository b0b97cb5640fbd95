package dev.colosseum.router;

import dev.colosseum.embedded.EmbeddedDb;
import dev.colosseum.embedded.ServiceProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A real vote-service (the built jar of the sibling module, started with {@link ServiceProcess}) on database
 * {@code votes} of an embedded PostgreSQL; router-service gets database {@code router} of the same server, a
 * registry with two simulated models, and a short retraining schedule for {@code sw}.
 */
public class VoteServiceResource implements QuarkusTestResourceLifecycleManager {
    static final String ADMIN_KEY = "router-test-admin";
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static ServiceProcess vote;
    private EmbeddedDb db;

    @Override
    public Map<String, String> start() {
        db = EmbeddedDb.startEphemeral();
        try {
            db.ensureDatabase("votes");
            db.ensureDatabase("router");
            Path models = Files.createTempFile("router-vote-models", ".json");
            Files.writeString(models, "{\"models\":["
                    + "{\"id\":\"strong-model\",\"display_name\":\"Strong\",\"organization\":\"Test\",\"provider\":\"simulated\","
                    + "\"input_price_per_mtok\":10,\"output_price_per_mtok\":30},"
                    + "{\"id\":\"weak-model\",\"display_name\":\"Weak\",\"organization\":\"Test\",\"provider\":\"simulated\","
                    + "\"input_price_per_mtok\":0.1,\"output_price_per_mtok\":0.2}]}");
            Map<String, String> env = new HashMap<>(ServiceProcess.databaseEnv(db, "votes"));
            env.put("COLOSSEUM_ADMIN_KEY", ADMIN_KEY);
            env.put("COLOSSEUM_MODELS_FILE", models.toString());
            env.put("VOTE_DAILY_CAP", "1000000");
            env.put("VOTE_CLIENT_RATE", "100000");
            env.put("VOTE_CLIENT_BURST", "100000");
            env.put("VOTE_HYGIENE_INTERVAL", "PT1H");
            Path jar = Path.of("..", "vote-service", "target", "quarkus-app", "quarkus-run.jar").toAbsolutePath().normalize();
            vote = ServiceProcess.start("vote-service", jar, ServiceProcess.freePort(), env, "384m",
                    Files.createTempFile("router-test-vote-service", ".log"), null, "/q/health", Duration.ofSeconds(120));
            Map<String, String> cfg = new HashMap<>();
            cfg.put("quarkus.datasource.reactive.url", db.reactiveUrl("router"));
            cfg.put("quarkus.datasource.jdbc.url", db.jdbcUrl("router"));
            cfg.put("quarkus.datasource.username", EmbeddedDb.USER);
            cfg.put("quarkus.datasource.password", EmbeddedDb.PASSWORD);
            cfg.put("colosseum.router.vote-url", vote.url());
            cfg.put("colosseum.router.models-file", models.toString());
            cfg.put("colosseum.router.strong", "strong-model");
            cfg.put("colosseum.router.weak", "weak-model");
            cfg.put("colosseum.router.admin-key", ADMIN_KEY);
            cfg.put("colosseum.router.scheduled-routers", "sw");
            cfg.put("colosseum.router.retrain-every", "1s");
            cfg.put("colosseum.router.retrain-delay", "1s");
            return cfg;
        } catch (IOException | RuntimeException e) {
            stop();
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    /** Posts one vote through vote-service's API with a conversation whose first user turn is {@code prompt}. */
    static void postVote(String id, String prompt, String winner, String voter) {
        String conv = "[{\"role\":\"user\",\"content\":" + json(prompt) + "},{\"role\":\"assistant\",\"content\":\"An answer.\"}]";
        String body = "{\"battle_id\":\"" + id + "\",\"model_a\":\"strong-model\",\"model_b\":\"weak-model\",\"winner\":\""
                + winner + "\",\"mode\":\"anony\",\"voter_id\":\"" + voter + "\",\"turn\":1,\"language\":\"English\","
                + "\"conversation_a\":" + conv + ",\"conversation_b\":" + conv + "}";
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(vote.url() + "/api/v1/votes"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201 && r.statusCode() != 200) {
                throw new IllegalStateException("vote-service answered " + r.statusCode() + ": " + r.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String json(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    @Override
    public void stop() {
        if (vote != null) {
            vote.close();
            vote = null;
        }
        if (db != null) {
            db.close();
            db = null;
        }
    }
}

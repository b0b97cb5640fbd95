package dev.colosseum.ranking;

import dev.colosseum.embedded.EmbeddedDb;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real vote-service (the built jar of the sibling module) as a child process on its own database of a
 * shared embedded PostgreSQL; ranking-service instances get another database of the same server.
 */
public final class VoteServiceProcess implements AutoCloseable {
    public static final String ADMIN_KEY = "ranking-test-admin";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final EmbeddedDb db;
    private final Process process;
    private final int port;
    private final Path log;

    private VoteServiceProcess(EmbeddedDb db, Process process, int port, Path log) {
        this.db = db;
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static VoteServiceProcess start(Path modelsFile) {
        return start(modelsFile, Map.of());
    }

    public static VoteServiceProcess start(Path modelsFile, Map<String, String> extraEnv) {
        EmbeddedDb db = EmbeddedDb.startEphemeral();
        db.ensureDatabase("votes");
        db.ensureDatabase("ranking");
        int port = freePort();
        Path jar = Path.of("..", "vote-service", "target", "quarkus-app", "quarkus-run.jar").toAbsolutePath().normalize();
        if (!Files.exists(jar)) {
            db.close();
            throw new IllegalStateException("vote-service is not built: " + jar
                    + " (mvn -B -q -pl vote-service package -DskipTests)");
        }
        try {
            Path log = Files.createTempFile("vote-service-", ".log");
            List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx512m", "-jar", jar.toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> env = pb.environment();
            env.put("DB_URL", db.reactiveUrl("votes"));
            env.put("DB_JDBC_URL", db.jdbcUrl("votes"));
            env.put("DB_USER", EmbeddedDb.USER);
            env.put("DB_PASSWORD", EmbeddedDb.PASSWORD);
            env.put("PORT", Integer.toString(port));
            env.put("COLOSSEUM_ADMIN_KEY", ADMIN_KEY);
            env.put("COLOSSEUM_MODELS_FILE", modelsFile.toAbsolutePath().toString());
            env.put("VOTE_DAILY_CAP", "1000000");
            env.put("VOTE_CLIENT_RATE", "100000");
            env.put("VOTE_CLIENT_BURST", "100000");
            env.put("VOTE_HYGIENE_INTERVAL", "PT1H");
            env.putAll(extraEnv);
            Process p = pb.start();
            VoteServiceProcess vs = new VoteServiceProcess(db, p, port, log);
            vs.awaitHealthy(Duration.ofSeconds(90));
            return vs;
        } catch (IOException e) {
            db.close();
            throw new IllegalStateException(e);
        }
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void awaitHealthy(Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException("vote-service exited: " + tail());
            }
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/q/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(200);
        }
        throw new IllegalStateException("vote-service did not become healthy: " + tail());
    }

    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return e.toString();
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public EmbeddedDb db() {
        return db;
    }

    /** GET on vote-service. */
    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(url() + path)).GET().build());
    }

    /** Admin POST without a body on vote-service. */
    public HttpResponse<String> adminPost(String path) {
        return send(HttpRequest.newBuilder(URI.create(url() + path)).header("X-Admin-Key", ADMIN_KEY)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Posts a vote body; returns the HTTP status and body. */
    public HttpResponse<String> post(String json) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/api/v1/votes"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        db.close();
    }

    public static File modelsFile(List<String> ids) {
        try {
            Path f = Files.createTempFile("models-", ".json");
            StringBuilder sb = new StringBuilder("{\"models\": [");
            for (int i = 0; i < ids.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                String id = ids.get(i);
                sb.append("{\"id\":\"").append(id).append("\",\"display_name\":\"").append(id)
                        .append(" (simulated)\",\"organization\":\"Colosseum Sim\",\"provider\":\"simulated\",")
                        .append("\"input_price_per_mtok\":").append(0.1 * (i + 1)).append(",\"output_price_per_mtok\":")
                        .append(0.4 * (i + 1)).append(",\"params_b\":").append(7 * (i + 1))
                        .append(i == ids.size() - 1 ? ",\"deprecated\":true" : "").append('}');
            }
            sb.append("]}");
            Files.writeString(f, sb.toString());
            return f.toFile();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.colosseum.ranking;

import dev.colosseum.embedded.EmbeddedDb;
import dev.colosseum.embedded.ServiceProcess;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real vote-service (the built jar of the sibling module) as a child process on its own database of a
 * shared embedded PostgreSQL; ranking-service instances get another database of the same server.
 */
public final class VoteServiceProcess implements AutoCloseable {
    public static final String ADMIN_KEY = "ranking-test-admin";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** No request of a test waits longer than this (a stuck service fails the test instead of hanging it). */
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final EmbeddedDb db;
    private final ServiceProcess process;

    private VoteServiceProcess(EmbeddedDb db, ServiceProcess process) {
        this.db = db;
        this.process = process;
    }

    public static VoteServiceProcess start(Path modelsFile) {
        return start(modelsFile, Map.of());
    }

    public static VoteServiceProcess start(Path modelsFile, Map<String, String> extraEnv) {
        EmbeddedDb db = EmbeddedDb.startEphemeral();
        try {
            db.ensureDatabase("votes");
            db.ensureDatabase("ranking");
            Path jar = appCopy(Path.of("..", "vote-service", "target", "quarkus-app")).resolve("quarkus-run.jar");
            Map<String, String> env = new HashMap<>(ServiceProcess.databaseEnv(db, "votes"));
            env.put("COLOSSEUM_ADMIN_KEY", ADMIN_KEY);
            env.put("COLOSSEUM_MODELS_FILE", modelsFile.toAbsolutePath().toString());
            env.put("VOTE_DAILY_CAP", "1000000");
            env.put("VOTE_CLIENT_RATE", "100000");
            env.put("VOTE_CLIENT_BURST", "100000");
            env.put("VOTE_HYGIENE_INTERVAL", "PT1H");
            env.putAll(extraEnv);
            ServiceProcess p = ServiceProcess.start("vote-service", jar, ServiceProcess.freePort(), env, "512m",
                    Files.createTempFile("vote-service-", ".log"), null, "/q/health", Duration.ofSeconds(90));
            return new VoteServiceProcess(db, p);
        } catch (IOException | RuntimeException e) {
            db.close();
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    private static final Map<Path, Path> APP_COPIES = new HashMap<>();

    /**
     * A private copy of a built Quarkus application ({@code target/quarkus-app}), taken once per test JVM.
     * The working tree is shared: a module may be rebuilt while a test runs, and a running Quarkus jar whose
     * files are replaced under it stops loading classes. A copy that fails because a build is replacing the
     * files right now is retried.
     */
    static synchronized Path appCopy(Path quarkusApp) {
        Path src = quarkusApp.toAbsolutePath().normalize();
        Path done = APP_COPIES.get(src);
        if (done != null) {
            return done;
        }
        IOException last = null;
        for (int attempt = 0; attempt < 30; attempt++) {
            if (Files.isRegularFile(src.resolve("quarkus-run.jar"))) {
                try {
                    Path dst = copyTree(src);
                    APP_COPIES.put(src, dst);
                    return dst;
                } catch (IOException e) {
                    last = e;
                }
            }
            sleep(2000);
        }
        throw new IllegalStateException("could not copy the built application " + src, last);
    }

    private static Path copyTree(Path src) throws IOException {
        Path dst = Files.createTempDirectory("quarkus-app-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (var files = Files.walk(dst)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                System.err.println("could not remove " + dst + ": " + e);
            }
        }));
        ServiceProcess.privateCopy(src.resolve("quarkus-run.jar"), dst);
        return dst;
    }

    public String tail() {
        return process.tail();
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
        return process.url();
    }

    public EmbeddedDb db() {
        return db;
    }

    /** GET on vote-service. */
    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(TIMEOUT).GET().build());
    }

    /** Admin POST without a body on vote-service. */
    public HttpResponse<String> adminPost(String path) {
        return send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(TIMEOUT).header("X-Admin-Key", ADMIN_KEY)
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
            return HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/api/v1/votes")).timeout(TIMEOUT)
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
        process.close();
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

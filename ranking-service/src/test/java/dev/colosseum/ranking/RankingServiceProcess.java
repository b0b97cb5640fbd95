package dev.colosseum.ranking;

import dev.colosseum.embedded.EmbeddedDb;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** This module's built ranking-service jar as a child process (for restart tests and benchmarks). */
final class RankingServiceProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private RankingServiceProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static RankingServiceProcess start(EmbeddedDb db, String database, String voteUrl, Map<String, String> extraEnv) {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException("ranking-service is not packaged: " + jar);
        }
        int port = VoteServiceProcess.freePort();
        try {
            Path log = Files.createTempFile("ranking-service-", ".log");
            ProcessBuilder pb = new ProcessBuilder(List.of(VoteServiceProcess.javaBin(), "-Xmx512m", "-jar", jar.toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> env = pb.environment();
            env.put("DB_URL", db.reactiveUrl(database));
            env.put("DB_JDBC_URL", db.jdbcUrl(database));
            env.put("DB_USER", EmbeddedDb.USER);
            env.put("DB_PASSWORD", EmbeddedDb.PASSWORD);
            env.put("PORT", Integer.toString(port));
            env.put("COLOSSEUM_VOTE_URL", voteUrl);
            env.putAll(extraEnv);
            RankingServiceProcess p = new RankingServiceProcess(pb.start(), port, log);
            p.awaitHealthy(Duration.ofSeconds(90));
            return p;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void awaitHealthy(Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException("ranking-service exited: " + tail());
            }
            try {
                HttpResponse<String> r = VoteServiceProcess.send(HttpRequest.newBuilder(URI.create(url() + "/q/health")).build());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IllegalStateException e) {
                // not listening yet
            }
            VoteServiceProcess.sleep(200);
        }
        throw new IllegalStateException("ranking-service did not become healthy: " + tail());
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return e.toString();
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    HttpResponse<String> get(String path) {
        return VoteServiceProcess.send(HttpRequest.newBuilder(URI.create(url() + path)).GET().build());
    }

    /** SIGKILL: no shutdown hooks, whatever was in flight is lost. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
    }
}

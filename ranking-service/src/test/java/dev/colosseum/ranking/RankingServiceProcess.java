package dev.colosseum.ranking;

import dev.colosseum.embedded.EmbeddedDb;
import dev.colosseum.embedded.ServiceProcess;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** This module's built ranking-service jar as a child process (for restart tests and benchmarks). */
final class RankingServiceProcess implements AutoCloseable {
    private final ServiceProcess process;

    private RankingServiceProcess(ServiceProcess process) {
        this.process = process;
    }

    static RankingServiceProcess start(EmbeddedDb db, String database, String voteUrl, Map<String, String> extraEnv) {
        Path jar = VoteServiceProcess.appCopy(Path.of("target", "quarkus-app")).resolve("quarkus-run.jar");
        Map<String, String> env = new HashMap<>(ServiceProcess.databaseEnv(db, database));
        env.put("COLOSSEUM_VOTE_URL", voteUrl);
        env.putAll(extraEnv);
        try {
            return new RankingServiceProcess(ServiceProcess.start("ranking-service", jar, ServiceProcess.freePort(), env,
                    "512m", Files.createTempFile("ranking-service-", ".log"), null, "/q/health", Duration.ofSeconds(90)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    String tail() {
        return process.tail();
    }

    String url() {
        return process.url();
    }

    HttpResponse<String> get(String path) {
        return VoteServiceProcess.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(VoteServiceProcess.TIMEOUT).GET().build());
    }

    /** SIGKILL: no shutdown hooks, whatever was in flight is lost. */
    void kill() {
        process.kill();
    }

    @Override
    public void close() {
        process.close();
    }
}

package dev.colosseum.vote;

import dev.colosseum.embedded.EmbeddedDb;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A PostgreSQL on a fixed port with a persistent data directory, so that a test can stop it (fast shutdown
 * of the postmaster named in postmaster.pid) and start it again with the same data. Port and directory are
 * published as system properties because test resources and tests may live in different class loaders.
 */
public class RestartableDbResource implements QuarkusTestResourceLifecycleManager {
    static final String PORT = "vote-fault-test.port";
    static final String DIR = "vote-fault-test.dir";
    private Path dir;
    /** The running server (test resources and tests share the class loader in this Quarkus version). */
    static volatile EmbeddedDb current;

    @Override
    public Map<String, String> start() {
        try {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            dir = Files.createTempDirectory("vote-fault-pg");
            EmbeddedDb db = EmbeddedDb.start(dir.resolve("data"), port);
            current = db;
            System.setProperty(PORT, String.valueOf(port));
            System.setProperty(DIR, dir.resolve("data").toString());
            return Map.of(
                    "quarkus.datasource.reactive.url", db.reactiveUrl("postgres"),
                    "quarkus.datasource.jdbc.url", db.jdbcUrl("postgres"),
                    "quarkus.datasource.username", EmbeddedDb.USER,
                    "quarkus.datasource.password", EmbeddedDb.PASSWORD);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Fast shutdown (SIGINT) of the postmaster running in the data directory, waiting until it is gone. */
    static void stopPostmaster(Path data) throws Exception {
        Path pidFile = data.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        Process kill = new ProcessBuilder("kill", "-INT", String.valueOf(pid)).inheritIO().start();
        kill.waitFor();
        for (int i = 0; i < 600 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false); i++) {
            Thread.sleep(50);
        }
    }

    @Override
    public void stop() {
        try {
            if (current != null) {
                current.close();
                current = null;
            }
            stopPostmaster(dir.resolve("data"));
            if (dir != null) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

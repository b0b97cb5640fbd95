package dev.colosseum.e2e;

import dev.colosseum.cli.suite.ServiceSpec;
import dev.colosseum.cli.suite.Suite;
import dev.colosseum.cli.suite.SuiteConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The whole suite as {@code ./colosseum up} runs it (same launcher classes from the cli module): a real
 * embedded PostgreSQL held by the launcher's detached {@code db-serve} process, the four services'
 * {@code quarkus-run.jar} as separate processes on free ports,
 * simulated models from {@code e2e-models.json}. One per test class; {@link #close()} stops it all.
 */
final class RunningSuite implements AutoCloseable {
    static final Duration START_TIMEOUT = Duration.ofSeconds(300);

    final SuiteConfig cfg;
    final Suite suite;
    private final Thread shutdownHook;

    private RunningSuite(SuiteConfig cfg) {
        this.cfg = cfg;
        this.suite = new Suite(cfg, line -> System.out.println("[suite] " + line));
        this.shutdownHook = new Thread(suite::stopAll, "e2e-suite-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    static RunningSuite start(String name) {
        Path root = Path.of(System.getProperty("colosseum.root", "..")).toAbsolutePath().normalize();
        try {
            Path home = Files.createTempDirectory("colosseum-e2e-" + name + "-");
            Path models = home.resolve("models.json");
            try (InputStream in = RunningSuite.class.getResourceAsStream("/e2e-models.json")) {
                Files.copy(in, models, StandardCopyOption.REPLACE_EXISTING);
            }
            Map<String, Integer> ports = new LinkedHashMap<>();
            for (ServiceSpec s : ServiceSpec.ALL) {
                ports.put(s.name(), freePort());
            }
            Path shared = Path.of(System.getProperty("colosseum.shared.dir", root.resolve("../shared").toString()))
                    .toAbsolutePath().normalize();
            SuiteConfig cfg = new SuiteConfig(root, home, ports, freePort(), "e2e-admin-key", models, shared,
                    List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                    Map.of("COLOSSEUM_RANKING_MIN_VOTES", "0"));
            RunningSuite rs = new RunningSuite(cfg);
            for (ServiceSpec s : ServiceSpec.ALL) {
                if (!Files.exists(cfg.jar(s))) {
                    throw new IllegalStateException(cfg.jar(s) + " missing: the e2e module runs after the services are packaged");
                }
            }
            try {
                // exactly as `./colosseum up`: PostgreSQL held by a detached `db-serve` launcher process
                Path launcher = root.resolve("cli/target/colosseum-cli.jar");
                if (Files.exists(launcher)) {
                    rs.suite.startDatabaseDetached(launcher);
                } else {
                    rs.suite.startDatabaseInProcess();
                }
                rs.suite.startServices(START_TIMEOUT);
            } catch (RuntimeException e) {
                rs.close();
                throw e;
            }
            return rs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url(ServiceSpec s, String path) {
        return cfg.baseUrl(s) + path;
    }

    /** Kills a service hard and starts it again; returns once it is healthy. */
    void killAndRestart(ServiceSpec s, Duration downtime) throws InterruptedException {
        suite.kill(s);
        Thread.sleep(downtime.toMillis());
        suite.startService(s);
        suite.awaitHealthy(s, START_TIMEOUT);
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(250);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        suite.stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // the JVM is already shutting down and runs the hook itself
        }
        keepLogs();
        if (!Boolean.getBoolean("colosseum.e2e.keep")) {
            deleteTree(cfg.home());
        }
    }

    /** Copies the services' logs to {@code target/suite-logs/<home name>/} for after-the-fact reading. */
    private void keepLogs() {
        String target = System.getProperty("colosseum.e2e.logs");
        if (target == null || !Files.isDirectory(cfg.logsDir())) {
            return;
        }
        try (java.util.stream.Stream<Path> logs = Files.list(cfg.logsDir())) {
            Path dest = Files.createDirectories(Path.of(target, cfg.home().getFileName().toString()));
            for (Path log : logs.toList()) {
                Files.copy(log, dest.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            System.out.println("[suite] could not keep the logs: " + e.getMessage());
        }
    }

    /** Removes the suite's temporary home (database files, logs); -Dcolosseum.e2e.keep=true keeps it. */
    private static void deleteTree(Path dir) {
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.out.println("[suite] could not remove " + dir + ": " + e.getMessage());
        }
    }
}

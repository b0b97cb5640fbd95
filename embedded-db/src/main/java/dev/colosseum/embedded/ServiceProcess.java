package dev.colosseum.embedded;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A built Quarkus service ({@code target/quarkus-app/quarkus-run.jar}) run as a child process on a
 * loopback port, for tests and benchmarks that need real processes: start, wait until a health path
 * answers 200, read the log tail, kill or stop.
 */
public final class ServiceProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final int port;
    private final Path log;

    private ServiceProcess(String name, Process process, int port, Path log) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts {@code jar} with env {@code PORT=port} plus {@code env}, output to {@code log}, and waits until
     * {@code healthPath} answers 200. On failure the process is stopped and the log tail is in the message.
     */
    public static ServiceProcess start(String name, Path jar, int port, Map<String, String> env, String heap,
                                       Path log, Path workDir, String healthPath, Duration timeout) {
        return start(name, jar, port, env, List.of("-Xmx" + heap), log, workDir, healthPath, timeout);
    }

    /** As {@link #start(String, Path, int, Map, String, Path, Path, String, Duration)}, with JVM options of one's own. */
    public static ServiceProcess start(String name, Path jar, int port, Map<String, String> env, List<String> jvmOptions,
                                       Path log, Path workDir, String healthPath, Duration timeout) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(name + " is not built: " + jar);
        }
        List<String> command = new ArrayList<>();
        command.add(javaBin());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        pb.environment().putAll(env);
        pb.environment().put("PORT", Integer.toString(port));
        ServiceProcess p;
        try {
            p = new ServiceProcess(name, pb.start(), port, log);
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + name + ": " + e.getMessage(), e);
        }
        try {
            p.awaitHealthy(healthPath, timeout);
        } catch (RuntimeException e) {
            p.kill();
            throw e;
        }
        return p;
    }

    /** The env that points a service's datasource (reactive and Flyway) at {@code database} of {@code db}. */
    public static Map<String, String> databaseEnv(EmbeddedDb db, String database) {
        Map<String, String> env = new HashMap<>();
        env.put("DB_URL", db.reactiveUrl(database));
        env.put("DB_JDBC_URL", db.jdbcUrl(database));
        env.put("DB_USER", EmbeddedDb.USER);
        env.put("DB_PASSWORD", EmbeddedDb.PASSWORD);
        return env;
    }

    public static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Copies a built Quarkus application (the directory holding {@code quarkus-run.jar}, fast-jar layout) to
     * {@code to}, replacing whatever is there, and returns the copy's run jar. Tests and benchmarks run such a
     * copy because the working tree is shared: a rebuild replaces the original's files under a live JVM, which
     * then stops loading classes.
     */
    public static Path privateCopy(Path runJar, Path to) throws IOException {
        Path from = runJar.toAbsolutePath().getParent();
        if (Files.exists(to)) {
            try (var old = Files.walk(to)) {
                for (Path f : (Iterable<Path>) old.sorted(java.util.Comparator.reverseOrder())::iterator) {
                    Files.delete(f);
                }
            }
        }
        try (var files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        return to.resolve(runJar.getFileName().toString());
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void awaitHealthy(String healthPath, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited during start-up:\n" + tail());
            }
            try {
                HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(url() + healthPath))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(name + " did not become healthy on " + url() + healthPath + ":\n" + tail());
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    /** The process id (for jcmd and the like). */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The last 40 lines of the log. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** SIGKILL: no shutdown hooks, whatever was in flight is lost. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Graceful stop (SIGTERM), forced after 20 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

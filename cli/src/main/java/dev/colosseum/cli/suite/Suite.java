package dev.colosseum.cli.suite;

import dev.colosseum.embedded.EmbeddedDb;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Starts, watches and stops the suite: embedded PostgreSQL plus the four services, each as its own
 * process with a pid file under {@code <home>/run} and a log under {@code <home>/logs}. Used by
 * {@code ./colosseum up|down|status} and by the end-to-end tests.
 */
public final class Suite {
    private static final String PG = "postgres";

    private final SuiteConfig cfg;
    private final Consumer<String> progress;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private EmbeddedDb inProcessDb;

    public Suite(SuiteConfig cfg, Consumer<String> progress) {
        this.cfg = cfg;
        this.progress = progress;
    }

    public SuiteConfig config() {
        return cfg;
    }

    // ------------------------------------------------------------------ database

    /**
     * Starts PostgreSQL in a detached JVM ({@code db-serve}) that outlives this process; reuses the
     * data directory of an earlier run. Does nothing when the server already answers.
     */
    public void startDatabaseDetached(Path launcherJar) {
        if (processAlive(PG) && portOpen(cfg.pgPort())) {
            progress.accept("PostgreSQL already running on port " + cfg.pgPort());
            return;
        }
        if (portOpen(cfg.pgPort())) {
            throw new IllegalStateException("port " + cfg.pgPort() + " is taken by another program; "
                    + "set COLOSSEUM_PG_PORT to a free port");
        }
        boolean reuse = Files.isDirectory(cfg.pgDataDir()) && Files.exists(cfg.pgDataDir().resolve("PG_VERSION"));
        progress.accept((reuse ? "starting PostgreSQL (reusing data in " : "starting PostgreSQL (new data directory ")
                + cfg.home().relativize(cfg.pgDataDir()) + ") on port " + cfg.pgPort());
        Path ready = cfg.runDir().resolve("postgres.ready");
        deleteQuietly(ready);
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary());
        cmd.add("-Xmx128m");
        cmd.add("-cp");
        cmd.add(launcherJar.toString());
        cmd.add("dev.colosseum.cli.Main");
        cmd.add("db-serve");
        cmd.add("--data=" + cfg.pgDataDir());
        cmd.add("--port=" + cfg.pgPort());
        cmd.add("--ready-file=" + ready);
        Process p = spawn(PG, cmd, Map.of());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(ready)) {
            if (!p.isAlive()) {
                throw new IllegalStateException("PostgreSQL did not start; see " + logFile(PG) + "\n" + tail(PG, 20));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("PostgreSQL did not become ready in 120 s; see " + logFile(PG));
            }
            sleep(200);
        }
    }

    /** Starts PostgreSQL inside this JVM (tests); stopped by {@link #stopAll()}. */
    public void startDatabaseInProcess() {
        inProcessDb = EmbeddedDb.start(cfg.pgDataDir(), cfg.pgPort());
        inProcessDb.ensureDatabase(SuiteConfig.DATABASE);
    }

    // ------------------------------------------------------------------ services

    /** Starts a service process unless one is already healthy on its port. */
    public void startService(ServiceSpec s) {
        if (healthy(s)) {
            progress.accept(s.module() + " already running on port " + cfg.port(s));
            return;
        }
        if (portOpen(cfg.port(s))) {
            throw new IllegalStateException("port " + cfg.port(s) + " for " + s.module()
                    + " is taken by another program; set COLOSSEUM_" + s.name().toUpperCase() + "_PORT");
        }
        Path jar = cfg.jar(s);
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build first (./colosseum build)");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary());
        cmd.addAll(cfg.javaOptions(s));
        cmd.add("-jar");
        cmd.add(jar.toString());
        progress.accept("starting " + s.module() + " on port " + cfg.port(s));
        spawn(s.module(), cmd, cfg.serviceEnv(s));
    }

    /** Waits until {@code /q/health} answers UP; fails early when the process dies. */
    public void awaitHealthy(ServiceSpec s, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!healthy(s)) {
            if (!processAlive(s.module())) {
                throw new IllegalStateException(s.module() + " exited during start-up; last log lines ("
                        + logFile(s.module()) + "):\n" + tail(s.module(), 30));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(s.module() + " not healthy after " + timeout.toSeconds()
                        + " s; see " + logFile(s.module()) + "\n" + tail(s.module(), 30));
            }
            sleep(250);
        }
        progress.accept(s.module() + " is up: " + cfg.baseUrl(s));
    }

    /** Starts every service (vote-service first) and waits for all of them. */
    public void startServices(Duration timeout) {
        startService(ServiceSpec.VOTE);
        awaitHealthy(ServiceSpec.VOTE, timeout);
        for (ServiceSpec s : ServiceSpec.ALL) {
            if (s != ServiceSpec.VOTE) {
                startService(s);
            }
        }
        for (ServiceSpec s : ServiceSpec.ALL) {
            if (s != ServiceSpec.VOTE) {
                awaitHealthy(s, timeout);
            }
        }
    }

    /** Kills one service hard (fault tests) and waits until it is gone. */
    public void kill(ServiceSpec s) {
        pid(s.module()).flatMap(ProcessHandle::of).ifPresent(h -> {
            h.destroyForcibly();
            h.onExit().orTimeout(30, TimeUnit.SECONDS).join();
        });
        deleteQuietly(pidFile(s.module()));
    }

    /** Stops the services (router, battle, ranking, vote) then PostgreSQL; returns what was stopped. */
    public List<String> stopAll() {
        List<String> stopped = new ArrayList<>();
        List<ServiceSpec> order = new ArrayList<>(ServiceSpec.ALL);
        java.util.Collections.reverse(order);
        List<ProcessHandle> handles = new ArrayList<>();
        for (ServiceSpec s : order) {
            ownProcess(s.module()).ifPresent(h -> {
                h.destroy();
                handles.add(h);
                stopped.add(s.module());
            });
        }
        for (ProcessHandle h : handles) {
            awaitExit(h);
        }
        for (ServiceSpec s : order) {
            deleteQuietly(pidFile(s.module()));
        }
        ownProcess(PG).ifPresent(h -> {
            h.destroy();
            awaitExit(h);
            stopped.add("postgresql");
        });
        deleteQuietly(pidFile(PG));
        deleteQuietly(cfg.runDir().resolve("postgres.ready"));
        if (inProcessDb != null) {
            inProcessDb.close();
            inProcessDb = null;
            stopped.add("postgresql (in-process)");
        }
        return stopped;
    }

    private static void awaitExit(ProcessHandle h) {
        try {
            h.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            h.destroyForcibly();
        }
    }

    // ------------------------------------------------------------------ status

    /** One status line per component. */
    public Map<String, String> status() {
        Map<String, String> out = new LinkedHashMap<>();
        String pg = processAlive(PG) ? "running (pid " + pid(PG).orElse(-1L) + ")" : "not started by colosseum";
        out.put("postgresql :" + cfg.pgPort(), pg + (portOpen(cfg.pgPort()) ? ", accepting connections" : ", port closed"));
        for (ServiceSpec s : ServiceSpec.ALL) {
            String health = healthSummary(s);
            String proc = processAlive(s.module()) ? "pid " + pid(s.module()).orElse(-1L) : "no process";
            out.put(s.module() + " :" + cfg.port(s), health + " (" + proc + ")");
        }
        return out;
    }

    public boolean healthy(ServiceSpec s) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(cfg.baseUrl(s) + "/q/health"))
                    .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String healthSummary(ServiceSpec s) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(cfg.baseUrl(s) + "/q/health"))
                    .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? "UP" : "DOWN (HTTP " + r.statusCode() + ")";
        } catch (IOException e) {
            return "not answering";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    // ------------------------------------------------------------------ processes

    private Process spawn(String name, List<String> cmd, Map<String, String> env) {
        try {
            Files.createDirectories(cfg.logsDir());
            Files.createDirectories(cfg.runDir());
            List<String> full = new ArrayList<>();
            // own session: the process survives the terminal of the command that started it
            if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
                full.add("/usr/bin/setsid");
            }
            full.addAll(cmd);
            ProcessBuilder pb = new ProcessBuilder(full)
                    .directory(cfg.root().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(name).toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().putAll(env);
            Process p = pb.start();
            Files.writeString(pidFile(name), Long.toString(p.pid()), StandardCharsets.UTF_8);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + ": " + e.getMessage(), e);
        }
    }

    public Path logFile(String name) {
        return cfg.logsDir().resolve(name + ".log");
    }

    private Path pidFile(String name) {
        return cfg.runDir().resolve(name + ".pid");
    }

    private Optional<Long> pid(String name) {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile(name)).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * The live process of a pid file, if it is still ours: a Java process, or setsid just before it
     * replaces itself with java (pids are reused, so anything else is a stranger).
     */
    private Optional<ProcessHandle> ownProcess(String name) {
        return pid(name).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive)
                .filter(h -> h.info().command().map(c -> c.contains("java") || c.endsWith("setsid")).orElse(true));
    }

    private boolean processAlive(String name) {
        return ownProcess(name).isPresent();
    }

    public String tail(String name, int lines) {
        try {
            List<String> all = Files.readAllLines(logFile(name), StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log)";
        }
    }

    static boolean portOpen(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("localhost", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a left-over marker is harmless: it is rewritten on the next start
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

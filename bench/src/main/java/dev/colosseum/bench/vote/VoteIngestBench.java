package dev.colosseum.bench.vote;

import dev.colosseum.embedded.EmbeddedDb;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Durable vote ingest against the built vote-service jar and an embedded PostgreSQL, all on loopback.
 * Measures, in one run: the raw single-row INSERT rate of that PostgreSQL (one JDBC connection, autocommit),
 * then sustained POST /api/v1/votes with idempotency keys from concurrent clients for a fixed time,
 * printing throughput, p50/p99 latency, the ratio to the raw rate and an exact count check.
 *
 * <p>Usage: {@code VoteIngestBench [--seconds 60] [--clients 16] [--raw-seconds 15] [--max-votes 2000000]
 * [--jar vote-service/target/quarkus-app/quarkus-run.jar]}
 */
public final class VoteIngestBench {
    private static final String[] MODELS = {"sim-atlas", "sim-breeze", "sim-cobalt", "sim-dune", "sim-ember", "sim-fjord"};
    private static final String[] WINNERS = {"model_a", "model_b", "tie", "tie (bothbad)"};

    private VoteIngestBench() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(arg(args, "--seconds", "60"));
        int clients = Integer.parseInt(arg(args, "--clients", "16"));
        int rawSeconds = Integer.parseInt(arg(args, "--raw-seconds", "15"));
        long maxVotes = Long.parseLong(arg(args, "--max-votes", "2000000"));
        Path jar = Path.of(arg(args, "--jar", "vote-service/target/quarkus-app/quarkus-run.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("build vote-service first: " + jar + " is missing");
        }
        if (seconds > 600 || rawSeconds > 120 || clients > 256) {
            throw new IllegalArgumentException("bounded benchmark: seconds <= 600, raw-seconds <= 120, clients <= 256");
        }
        Path work = Files.createTempDirectory("vote-bench");
        Process service = null;
        try (EmbeddedDb db = EmbeddedDb.startEphemeral()) {
            db.ensureDatabase("colosseum");
            String jdbc = db.jdbcUrl("colosseum");
            System.out.printf(Locale.ROOT, "PostgreSQL on 127.0.0.1:%d (fsync=on, synchronous_commit=on)%n", db.port());

            double raw = rawInsertRate(jdbc, rawSeconds, 1);
            System.out.printf(Locale.ROOT, "raw single-row INSERT (1 JDBC connection, autocommit, %d s): %.0f rows/s%n",
                    rawSeconds, raw);
            double rawConcurrent = rawInsertRate(jdbc, rawSeconds, clients);
            System.out.printf(Locale.ROOT, "raw single-row INSERT (%d JDBC connections, autocommit, %d s): %.0f rows/s%n",
                    clients, rawSeconds, rawConcurrent);

            Path models = work.resolve("models.json");
            StringBuilder m = new StringBuilder("{\"models\":[");
            for (int i = 0; i < MODELS.length; i++) {
                m.append(i == 0 ? "" : ",").append("{\"id\":\"").append(MODELS[i]).append("\",\"provider\":\"simulated\"}");
            }
            Files.writeString(models, m.append("]}").toString());
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-jar", jar.toAbsolutePath().toString())
                    .redirectErrorStream(true).redirectOutput(work.resolve("vote-service.log").toFile());
            Map<String, String> env = pb.environment();
            env.put("PORT", String.valueOf(port));
            env.put("DB_URL", db.reactiveUrl("colosseum"));
            env.put("DB_JDBC_URL", jdbc);
            env.put("COLOSSEUM_MODELS_FILE", models.toString());
            env.put("VOTE_CLIENT_RATE", "0");
            env.put("VOTE_DAILY_CAP", "0");
            env.put("VOTE_HYGIENE_INTERVAL", "PT0S");
            long t0 = System.nanoTime();
            service = pb.start();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            waitReady(http, port, service, work.resolve("vote-service.log"));
            System.out.printf(Locale.ROOT, "vote-service up on 127.0.0.1:%d in %.1f s (log %s)%n", port,
                    (System.nanoTime() - t0) / 1e9, work.resolve("vote-service.log"));

            // warm-up (not measured): JIT, pool connections
            Load warm = load(http, port, clients, 5, maxVotes, "w");
            System.out.printf(Locale.ROOT, "warm-up: %d votes%n", warm.created.get());

            Load run = load(http, port, clients, seconds, maxVotes, "r");
            long[] lat = run.latencies();
            Arrays.sort(lat);
            double throughput = run.created.get() / run.elapsedSeconds;
            System.out.printf(Locale.ROOT, "%n== durable vote ingest: %d clients, %.1f s ==%n", clients, run.elapsedSeconds);
            System.out.printf(Locale.ROOT, "votes stored (201): %d, idempotent replays (200): %d, other statuses: %s%n",
                    run.created.get(), run.replayed.get(), run.other);
            System.out.printf(Locale.ROOT, "throughput: %.0f votes/s%n", throughput);
            System.out.printf(Locale.ROOT, "latency (all requests): p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    pct(lat, 0.50), pct(lat, 0.99), lat.length == 0 ? 0 : lat[lat.length - 1] / 1e6);
            System.out.printf(Locale.ROOT, "raw INSERT rate: %.0f rows/s; ratio ingest/raw: %.2f (target >= 0.50); "
                    + "p99 target < 50 ms: %s%n", raw, throughput / raw, pct(lat, 0.99) < 50 ? "met" : "NOT met");
            System.out.printf(Locale.ROOT, "raw INSERT rate with %d connections: %.0f rows/s; ratio ingest/raw(concurrent): %.2f%n",
                    clients, rawConcurrent, throughput / rawConcurrent);

            // exact count: every 2xx vote is in the table, nothing else
            Set<String> acknowledged = new HashSet<>(warm.battles);
            acknowledged.addAll(run.battles);
            Set<String> stored = new HashSet<>();
            try (Connection c = DriverManager.getConnection(jdbc, EmbeddedDb.USER, EmbeddedDb.PASSWORD);
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT battle_id FROM vote.votes")) {
                while (rs.next()) {
                    stored.add(rs.getString(1));
                }
            }
            boolean exact = stored.equals(acknowledged) && stored.size() == warm.created.get() + run.created.get();
            System.out.printf(Locale.ROOT, "count check: acknowledged %d, in table %d -> %s%n", acknowledged.size(),
                    stored.size(), exact ? "EXACT" : "MISMATCH");
            if (!exact) {
                System.exit(2);
            }
        } finally {
            if (service != null) {
                service.destroy();
                if (!service.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    service.destroyForcibly();
                }
            }
        }
    }

    /** Single-row autocommit INSERTs from {@code connections} JDBC connections for {@code seconds}; rows per second. */
    private static double rawInsertRate(String jdbc, int seconds, int connections) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbc, EmbeddedDb.USER, EmbeddedDb.PASSWORD);
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS bench_raw (id bigserial PRIMARY KEY, battle_id text NOT NULL UNIQUE, "
                    + "model_a text NOT NULL, model_b text NOT NULL, winner text NOT NULL, "
                    + "created_at timestamptz NOT NULL DEFAULT now())");
        }
        AtomicLong rows = new AtomicLong();
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        List<Exception> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < connections; t++) {
            String prefix = "raw" + connections + "-" + t + "-";
            Thread th = new Thread(() -> {
                try (Connection c = DriverManager.getConnection(jdbc, EmbeddedDb.USER, EmbeddedDb.PASSWORD);
                     PreparedStatement ps = c.prepareStatement(
                             "INSERT INTO bench_raw (battle_id, model_a, model_b, winner) VALUES (?, ?, ?, ?)")) {
                    c.setAutoCommit(true);
                    long n = 0;
                    while (System.nanoTime() < end) {
                        ps.setString(1, prefix + n);
                        ps.setString(2, MODELS[(int) (n % MODELS.length)]);
                        ps.setString(3, MODELS[(int) ((n + 1) % MODELS.length)]);
                        ps.setString(4, WINNERS[(int) (n % WINNERS.length)]);
                        ps.executeUpdate();
                        n++;
                    }
                    rows.addAndGet(n);
                } catch (SQLException e) {
                    errors.add(e);
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        if (!errors.isEmpty()) {
            throw errors.get(0);
        }
        return rows.get() / ((System.nanoTime() - start) / 1e9);
    }

    private static void waitReady(HttpClient http, int port, Process service, Path log) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new IllegalStateException("vote-service exited; see " + log);
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/q/health/ready")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("vote-service did not become ready; see " + log);
    }

    static final class Load {
        final AtomicLong created = new AtomicLong();
        final AtomicLong replayed = new AtomicLong();
        final Map<Integer, AtomicLong> other = new ConcurrentHashMap<>();
        final List<long[]> perThread = new ArrayList<>();
        final Set<String> battles = ConcurrentHashMap.newKeySet();
        double elapsedSeconds;

        long[] latencies() {
            int n = 0;
            for (long[] a : perThread) {
                n += (int) a[a.length - 1];
            }
            long[] all = new long[n];
            int k = 0;
            for (long[] a : perThread) {
                int len = (int) a[a.length - 1];
                System.arraycopy(a, 0, all, k, len);
                k += len;
            }
            return all;
        }
    }

    private static Load load(HttpClient http, int port, int clients, int seconds, long maxVotes, String prefix)
            throws InterruptedException {
        Load load = new Load();
        URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/votes");
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        AtomicLong issued = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < clients; t++) {
            int client = t;
            // latencies[0..n-1], last slot = n
            long[] latencies = new long[(int) Math.min(maxVotes / clients + 2, 4_000_000)];
            synchronized (load.perThread) {
                load.perThread.add(latencies);
            }
            Thread th = new Thread(() -> {
                int n = 0;
                long i = 0;
                while (System.nanoTime() < end && issued.incrementAndGet() <= maxVotes && n < latencies.length - 1) {
                    String battle = prefix + client + "x" + i;
                    boolean retry = i > 0 && i % 100 == 0;   // every 100th request repeats the previous vote
                    String b = retry ? prefix + client + "x" + (i - 1) : battle;
                    String body = body(b, i - (retry ? 1 : 0), client);
                    HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json").header("Idempotency-Key", "key-" + b)
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                    long t0 = System.nanoTime();
                    int status;
                    try {
                        status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
                    } catch (IOException | InterruptedException e) {
                        status = -1;
                    }
                    latencies[n++] = System.nanoTime() - t0;
                    if (status == 201) {
                        load.created.incrementAndGet();
                        load.battles.add(b);
                    } else if (status == 200) {
                        load.replayed.incrementAndGet();
                    } else {
                        load.other.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
                    }
                    i++;
                }
                latencies[latencies.length - 1] = n;
            }, "vote-client-" + t);
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        load.elapsedSeconds = (System.nanoTime() - start) / 1e9;
        return load;
    }

    private static String body(String battle, long i, int client) {
        int a = (int) (i % MODELS.length);
        int b = (a + 1 + (int) (i / MODELS.length % (MODELS.length - 1))) % MODELS.length;
        String voter = String.format(Locale.ROOT, "benchvoter%06d", client * 1000 + i % 1000);
        return "{\"battle_id\":\"" + battle + "\",\"model_a\":\"" + MODELS[a] + "\",\"model_b\":\"" + MODELS[b]
                + "\",\"winner\":\"" + WINNERS[(int) (i % WINNERS.length)] + "\",\"mode\":\"anony\",\"voter_id\":\""
                + voter + "\",\"turn\":1,\"language\":\"English\",\"categories\":[\"coding\"],"
                + "\"features_a\":{\"tokens\":" + (100 + i % 400) + ",\"headers\":1,\"lists\":2,\"bold\":0},"
                + "\"features_b\":{\"tokens\":" + (80 + i % 300) + ",\"headers\":0,\"lists\":1,\"bold\":1},"
                + "\"conversation_a\":[{\"role\":\"user\",\"content\":\"Explain idempotency " + battle + "\"},"
                + "{\"role\":\"assistant\",\"content\":\"A retried request has the same effect as the first one.\"}],"
                + "\"conversation_b\":[{\"role\":\"user\",\"content\":\"Explain idempotency " + battle + "\"},"
                + "{\"role\":\"assistant\",\"content\":\"Doing it twice equals doing it once.\"}]}";
    }

    private static double pct(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int idx = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
        return sorted[Math.max(0, idx)] / 1e6;
    }

    private static String arg(String[] args, String name, String dflt) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return dflt;
    }
}

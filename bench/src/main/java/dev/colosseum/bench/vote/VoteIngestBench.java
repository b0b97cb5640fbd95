package dev.colosseum.bench.vote;

import dev.colosseum.embedded.EmbeddedDb;
import dev.colosseum.embedded.ServiceProcess;

import java.io.IOException;
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
 * [--jar vote-service/target/quarkus-app/quarkus-run.jar] [--jfr service.jfr] [--daily-cap N (0 = off)]
 * [--service-opts "-Dquarkus.…=… (JVM options / config for the service)"]}
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
        ServiceProcess service = null;
        try (EmbeddedDb db = EmbeddedDb.startEphemeral()) {
            db.ensureDatabase("colosseum");
            String jdbc = db.jdbcUrl("colosseum");
            System.out.printf(Locale.ROOT, "PostgreSQL on 127.0.0.1:%d (fsync=on, synchronous_commit=on)%n", db.port());

            Connection rawProbe = DriverManager.getConnection(jdbc, EmbeddedDb.USER, EmbeddedDb.PASSWORD);
            Cpu rawBefore = Cpu.sample(rawProbe);
            double raw = rawInsertRate(jdbc, rawSeconds, 1);
            Cpu rawSpent = Cpu.sample(rawProbe).minus(rawBefore);
            rawProbe.close();
            System.out.printf(Locale.ROOT, "raw single-row INSERT (1 JDBC connection, autocommit, %d s): %.0f rows/s, "
                    + "PostgreSQL CPU %.3f ms per row%n", rawSeconds, raw, rawSpent.postgres * 1e3 / Math.max(1, raw * rawSeconds));
            double rawConcurrent = rawInsertRate(jdbc, rawSeconds, clients);
            System.out.printf(Locale.ROOT, "raw single-row INSERT (%d JDBC connections, autocommit, %d s): %.0f rows/s%n",
                    clients, rawSeconds, rawConcurrent);

            Path models = work.resolve("models.json");
            StringBuilder m = new StringBuilder("{\"models\":[");
            for (int i = 0; i < MODELS.length; i++) {
                m.append(i == 0 ? "" : ",").append("{\"id\":\"").append(MODELS[i]).append("\",\"provider\":\"simulated\"}");
            }
            Files.writeString(models, m.append("]}").toString());
            Map<String, String> env = ServiceProcess.databaseEnv(db, "colosseum");
            env.put("COLOSSEUM_MODELS_FILE", models.toString());
            env.put("VOTE_CLIENT_RATE", "0");
            String jfr = arg(args, "--jfr", "");
            String serviceOpts = arg(args, "--service-opts", "");
            if (!jfr.isEmpty()) {
                // profile the service: a JFR recording written when it stops
                serviceOpts += " -XX:StartFlightRecording=filename=" + Path.of(jfr).toAbsolutePath()
                        + ",settings=profile,dumponexit=true";
            }
            if (!serviceOpts.isBlank()) {
                env.put("JAVA_TOOL_OPTIONS", serviceOpts.trim());
            }
            // by default the service's daily cap (500) stays on, so the per-voter counter is part of every insert
            String cap = arg(args, "--daily-cap", "");
            if (!cap.isEmpty()) {
                env.put("VOTE_DAILY_CAP", cap);
            }
            env.put("VOTE_HYGIENE_INTERVAL", "PT0S");
            long t0 = System.nanoTime();
            // run a private copy, so that a rebuild of vote-service/target during the run cannot pull jars away
            Path runJar = ServiceProcess.privateCopy(jar, work.resolve("quarkus-app"));
            service = ServiceProcess.start("vote-service", runJar, ServiceProcess.freePort(), env, "512m",
                    work.resolve("vote-service.log"), null, "/q/health/ready", Duration.ofSeconds(120));
            int port = service.port();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            System.out.printf(Locale.ROOT, "vote-service up on 127.0.0.1:%d in %.1f s (log %s)%n", port,
                    (System.nanoTime() - t0) / 1e9, service.log());

            // warm-up (not measured): JIT, pool connections
            Load warm = load(port, clients, 10, maxVotes, "w");
            System.out.printf(Locale.ROOT, "warm-up: %d votes%n", warm.created.get());

            Connection probe = DriverManager.getConnection(jdbc, EmbeddedDb.USER, EmbeddedDb.PASSWORD);
            Cpu before = Cpu.sample(probe);
            Load run = load(port, clients, seconds, maxVotes, "r");
            Cpu spent = Cpu.sample(probe).minus(before);
            probe.close();
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
            long votes = Math.max(1, run.created.get() + run.replayed.get());
            System.out.printf(Locale.ROOT, "CPU per request: vote-service %.3f ms, PostgreSQL %.3f ms, load client %.3f ms "
                            + "(%d cores; machine load average %s)%n", spent.service * 1e3 / votes, spent.postgres * 1e3 / votes,
                    spent.client * 1e3 / votes, Runtime.getRuntime().availableProcessors(), loadAverage());
            System.out.printf(Locale.ROOT, "group commit: %s%n", batchSizes(http, port));
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
            try (Connection c = DriverManager.getConnection(jdbc, EmbeddedDb.USER, EmbeddedDb.PASSWORD);
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(DISTINCT xid), count(*) FROM vote.vote_log WHERE kind = 'vote'")) {
                rs.next();
                System.out.printf(Locale.ROOT, "transactions (distinct xids in the log): %d for %d votes, %.2f votes per commit%n",
                        rs.getLong(1), rs.getLong(2), rs.getLong(2) / (double) Math.max(1, rs.getLong(1)));
            }
            boolean exact = stored.equals(acknowledged) && stored.size() == warm.created.get() + run.created.get();
            System.out.printf(Locale.ROOT, "count check: acknowledged %d, in table %d -> %s%n", acknowledged.size(),
                    stored.size(), exact ? "EXACT" : "MISMATCH");
            if (!exact) {
                System.exit(2);
            }
        } finally {
            if (service != null) {
                service.close();
            }
            deleteTree(work.resolve("quarkus-app"));
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

    /**
     * A minimal blocking HTTP/1.1 keep-alive connection for the load clients: java.net.http.HttpClient spent
     * about 0.7 ms of CPU per request on these 2 cores, CPU the service under test then lacks. Any I/O error
     * counts as status -1 and the next request reconnects.
     */
    static final class KeepAlive {
        private final int port;
        private java.net.Socket socket;
        private java.io.OutputStream out;
        private java.io.InputStream in;

        KeepAlive(int port) {
            this.port = port;
        }

        int post(String path, String idempotencyKey, String json) {
            try {
                if (socket == null) {
                    socket = new java.net.Socket("127.0.0.1", port);
                    socket.setTcpNoDelay(true);
                    socket.setSoTimeout(30_000);
                    out = new java.io.BufferedOutputStream(socket.getOutputStream(), 8192);
                    in = new java.io.BufferedInputStream(socket.getInputStream(), 8192);
                }
                byte[] body = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
                        + "Idempotency-Key: " + idempotencyKey + "\r\nContent-Length: " + body.length + "\r\n\r\n";
                out.write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                String status = line();
                int code = Integer.parseInt(status.substring(9, 12));
                long length = -1;
                boolean chunked = false;
                boolean close = false;
                for (String h = line(); !h.isEmpty(); h = line()) {
                    String lower = h.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("content-length:")) {
                        length = Long.parseLong(lower.substring(15).trim());
                    } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                        chunked = true;
                    } else if (lower.startsWith("connection:") && lower.contains("close")) {
                        close = true;
                    }
                }
                if (chunked) {
                    for (long size = Long.parseLong(line().split(";")[0].trim(), 16); size > 0;
                         size = Long.parseLong(line().split(";")[0].trim(), 16)) {
                        skip(size);
                        line();
                    }
                    line();
                } else if (length > 0) {
                    skip(length);
                }
                if (close) {
                    close();
                }
                return code;
            } catch (IOException | RuntimeException e) {
                close();
                return -1;
            }
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            return sb.toString();
        }

        private void skip(long n) throws IOException {
            while (n > 0) {
                long k = in.skip(n);
                if (k <= 0) {
                    if (in.read() < 0) {
                        throw new IOException("connection closed");
                    }
                    k = 1;
                }
                n -= k;
            }
        }

        void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // already gone
                }
                socket = null;
            }
        }
    }

    private static Load load(int port, int clients, int seconds, long maxVotes, String prefix)
            throws InterruptedException {
        Load load = new Load();
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
                KeepAlive connection = new KeepAlive(port);
                int n = 0;
                long i = 0;
                while (System.nanoTime() < end && issued.incrementAndGet() <= maxVotes && n < latencies.length - 1) {
                    String battle = prefix + client + "x" + i;
                    boolean retry = i > 0 && i % 100 == 0;   // every 100th request repeats the previous vote
                    String b = retry ? prefix + client + "x" + (i - 1) : battle;
                    String body = body(b, i - (retry ? 1 : 0), client);
                    long t0 = System.nanoTime();
                    int status = connection.post("/api/v1/votes", "key-" + b, body);
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
                connection.close();
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

    /** CPU seconds used so far by the vote-service process, the PostgreSQL processes and this client JVM. */
    private record Cpu(double service, double postgres, double client) {
        Cpu minus(Cpu o) {
            return new Cpu(service - o.service, postgres - o.postgres, client - o.client);
        }

        /**
         * Reads /proc: the service is the child JVM; PostgreSQL is the postmaster (found as the parent of this
         * connection's backend; pg_ctl detaches it from us) with its children, live or reaped.
         */
        static Cpu sample(Connection pg) throws SQLException {
            double service = 0;
            for (ProcessHandle child : ProcessHandle.current().children().toList()) {
                if (child.info().command().orElse("").endsWith("/java")) {
                    service += ticks(child.pid(), false);
                }
            }
            double postgres = 0;
            long backend;
            try (Statement s = pg.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                backend = rs.getLong(1);
            }
            long postmaster = ProcessHandle.of(backend).flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElse(-1L);
            if (postmaster > 0) {
                postgres += ticks(postmaster, true);
                for (ProcessHandle c : ProcessHandle.of(postmaster).map(h -> h.children().toList()).orElse(List.of())) {
                    postgres += ticks(c.pid(), false);
                }
            }
            double client = ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
            return new Cpu(service, postgres, client);
        }

        /** utime + stime (+ cutime + cstime of reaped children) in seconds, assuming 100 clock ticks per second. */
        private static double ticks(long pid, boolean withReapedChildren) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // f[0] is field 3 (state): utime = field 14, stime 15, cutime 16, cstime 17
                long t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                if (withReapedChildren) {
                    t += Long.parseLong(f[13]) + Long.parseLong(f[14]);
                }
                return t / 100.0;
            } catch (IOException | RuntimeException gone) {
                return 0;
            }
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Mean votes per statement, from the service's Prometheus metrics. */
    private static String batchSizes(HttpClient http, int port) {
        try {
            String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            double count = 0;
            double sum = 0;
            for (String line : metrics.split("\n")) {
                if (line.startsWith("colosseum_vote_batch_size_count")) {
                    count = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                } else if (line.startsWith("colosseum_vote_batch_size_sum")) {
                    sum = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return count == 0 ? "no batches reported" : String.format(Locale.ROOT,
                    "%.0f statements for %.0f votes, %.2f votes per statement (commit) on average", count, sum, sum / count);
        } catch (IOException | InterruptedException | RuntimeException e) {
            return "metrics unavailable: " + e;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(f);
            }
        }
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

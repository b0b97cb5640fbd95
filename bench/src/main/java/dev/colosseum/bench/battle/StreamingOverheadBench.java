package dev.colosseum.bench.battle;

import dev.colosseum.battle.ChatMessage;
import dev.colosseum.battle.SimProfile;
import dev.colosseum.battle.provider.SimulatedEngine;
import dev.colosseum.embedded.ServiceProcess;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.channels.SocketChannel;
import java.nio.ByteBuffer;
import java.net.StandardSocketOptions;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Streaming overhead of battle-service: how much later each token reaches a client through
 * battle-service (POST a battle, read its SSE stream) than the simulated provider's own schedule, compared
 * with replaying the very same plans in-process ("calling the simulated provider directly"), at several
 * concurrency levels; then the heap held per open battle.
 * <p>
 * Because the simulated provider is deterministic, the client knows when every token was scheduled:
 * lateness(token i) = arrival_i − (t0 + plannedOffset_i). Added latency = lateness through the service −
 * lateness of the direct replay, at the same percentile.
 * <p>
 * Three paths see the same plans: {@code direct} (the plans replayed in-process on the same kind of timer pool),
 * {@code wire} (a minimal SSE server in this process replaying the plans over loopback HTTP to the very same
 * client code: what the client and the loopback cost without battle-service) and {@code service}. The client
 * is raw sockets with one reader thread per stream; {@code wire − direct} is the client's own share.
 */
public final class StreamingOverheadBench {
    private static final Pattern BATTLE_ID = Pattern.compile("\"battle_id\"\\s*:\\s*\"([0-9a-f]+)\"");
    private static final Pattern SIDE = Pattern.compile("\"side\"\\s*:\\s*\"([ab])\"");
    private static final String PROMPT = "Explain how a hash map handles collisions, with an example.";

    private final SimProfile profile;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newCachedThreadPool(r -> {
                // daemon threads: the JVM must exit once the figures are printed
                Thread t = new Thread(r, "bench-http");
                t.setDaemon(true);
                return t;
            })).build();
    private String base;
    private int port;
    private String host = "127.0.0.1";

    private StreamingOverheadBench(SimProfile profile) {
        this.profile = profile;
    }

    /** Lateness samples (ms) of one run. */
    /**
     * Lateness samples (ms) of one run; for the HTTP paths also where the first token's time goes: the POST's round
     * trip and the moment the event stream's head arrived, both from the POST being sent.
     */
    record Samples(Values ttft, Values tokens, Values lateness, Values post, Values streamOpen) {
        static Samples empty() {
            return new Samples(new Values(), new Values(), new Values(), new Values(), new Values());
        }
    }

    /**
     * Samples in a primitive array, grown in large steps: the client must not create garbage that survives (boxed
     * samples in lists did, and the client's own GC pauses then showed up as late tokens on every path).
     */
    static final class Values {
        private double[] v = new double[1 << 16];
        private int n;

        synchronized void add(double x) {
            if (n == v.length) {
                v = Arrays.copyOf(v, v.length * 4);
            }
            v[n++] = x;
        }

        synchronized int size() {
            return n;
        }

        synchronized double[] sorted() {
            double[] out = Arrays.copyOf(v, n);
            Arrays.sort(out);
            return out;
        }
    }

    public static void main(String[] args) throws Exception {
        int[] levels = {1, 50, 200};
        int rounds = 6;
        int openBattles = 1000;
        Path jar = Path.of("battle-service/target/quarkus-app/quarkus-run.jar");
        double tps = 50;
        int ttft = 100;
        int meanTokens = 80;
        // as the launcher runs battle-service (SuiteConfig.javaOptions); Kubernetes adds -XX:+UseZGC too
        List<String> serviceJvm = List.of("-Xmx768m", "-XX:+UseZGC");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--levels" -> levels = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--open-battles" -> openBattles = Integer.parseInt(args[++i]);
                case "--jar" -> jar = Path.of(args[++i]);
                case "--tokens-per-second" -> tps = Double.parseDouble(args[++i]);
                case "--ttft-ms" -> ttft = Integer.parseInt(args[++i]);
                case "--mean-tokens" -> meanTokens = Integer.parseInt(args[++i]);
                case "--service-jvm" -> serviceJvm = List.of(args[++i].trim().split("\\s+"));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        SimProfile profile = new SimProfile(0.0, meanTokens, 0.3, 0.5, 0.3, 0.5, ttft, tps, 0.0, "neutral");
        StreamingOverheadBench b = new StreamingOverheadBench(profile);
        b.run(jar, serviceJvm, levels, rounds, openBattles);
    }

    private void run(Path jar, List<String> serviceJvm, int[] levels, int rounds, int openBattles) throws Exception {
        Path models = Files.createTempFile("bench-models", ".json");
        Files.writeString(models, modelsJson());
        Path log = Files.createTempFile("bench-battle-service", ".log");
        Map<String, String> env = new HashMap<>();
        env.put("COLOSSEUM_MODELS_FILE", models.toString());
        env.put("COLOSSEUM_VOTE_URL", "http://127.0.0.1:9");
        env.put("COLOSSEUM_RANKING_URL", "http://127.0.0.1:9");
        env.put("QUARKUS_LOG_LEVEL", "WARN");
        try (ServiceProcess service = ServiceProcess.start("battle-service", jar.toAbsolutePath(),
                ServiceProcess.freePort(), env, serviceJvm, log, null, "/q/health/ready", Duration.ofSeconds(90));
             WireServer wire = new WireServer(profile)) {
            System.out.printf(Locale.ROOT, "battle-service streaming overhead (simulated models: ttft %d ms, %.0f tokens/s, ~%d tokens; "
                            + "%d cores; service JVM %s; service log %s)%n", profile.ttftMsOr(), profile.tokensPerSecondOr(),
                    profile.meanTokensOr(), Runtime.getRuntime().availableProcessors(), String.join(" ", serviceJvm), log);
            System.out.println("load before: " + uptime());
            idlePenaltyProbe();
            target(service.port());
            Samples cold = measureService(1, 1, 900_000);
            System.out.printf(Locale.ROOT, "cold: the first battle on the fresh service: POST round trip %.1f ms, first token %.1f ms "
                    + "late (not part of the figures below)%n", pct(cold.post, 50), pct(cold.ttft, 50));
            System.out.println("warm-up (steady state is measured, as a service that has been running sees it) ...");
            warmStarts(4, 4000);
            measureService(20, 3, 0);
            measureService(200, 2, 500_000);
            target(wire.port());
            measureService(20, 1, 0);
            measureDirect(20, 1, 0);
            awaitQuiet(service.pid());
            System.out.println();
            System.out.println("concurrent | path     | TTFT lateness p50 / p99 ms | per-token extra gap p50 / p99 ms "
                    + "| token lateness p50 / p99 ms | tokens");
            long seedBase = 1000;
            List<String> summary = new ArrayList<>();
            List<String> cpu = new ArrayList<>();
            for (int c : levels) {
                Samples direct = measureDirect(c, rounds, seedBase);
                target(wire.port());
                Samples viaWire = measureService(c, rounds, seedBase);
                target(service.port());
                double serviceCpu0 = cpuMs(service.pid());
                double clientCpu0 = cpuMs(ProcessHandle.current().pid());
                Samples viaService = measureService(c, rounds, seedBase);
                double serviceCpu = cpuMs(service.pid()) - serviceCpu0;
                double clientCpu = cpuMs(ProcessHandle.current().pid()) - clientCpu0;
                int tokens = viaService.lateness.size();
                cpu.add(String.format(Locale.ROOT, "%4d battles: battle-service %.0f ms CPU for %d tokens = %.1f µs per token "
                        + "(everything: start, stream, both sides); client %.1f µs per token", c, serviceCpu, tokens,
                        serviceCpu * 1000 / tokens, clientCpu * 1000 / tokens));
                String load = uptime();
                seedBase += 100_000;
                print(c, "direct", direct);
                print(c, "wire", viaWire);
                print(c, "service", viaService);
                System.out.printf(Locale.ROOT, "%10s   service: POST round trip p50 %.2f / p99 %.2f ms, event stream open at p50 %.2f / p99 %.2f ms "
                                + "after the POST was sent (the first token is planned %d ms ± 25%% after it)%n", "",
                        pct(viaService.post, 50), pct(viaService.post, 99), pct(viaService.streamOpen, 50),
                        pct(viaService.streamOpen, 99), profile.ttftMsOr());
                summary.add(String.format(Locale.ROOT,
                        "%4d battles: added TTFT p50 %.2f ms, p99 %.2f ms; added per-token p50 %.2f ms, p99 %.2f ms; "
                                + "added token lateness p99 %.2f ms | client+loopback alone (wire − direct): TTFT p99 %.2f ms, "
                                + "per-token p99 %.2f ms | %s",
                        c, pct(viaService.ttft, 50) - pct(direct.ttft, 50), pct(viaService.ttft, 99) - pct(direct.ttft, 99),
                        pct(viaService.tokens, 50) - pct(direct.tokens, 50), pct(viaService.tokens, 99) - pct(direct.tokens, 99),
                        pct(viaService.lateness, 99) - pct(direct.lateness, 99),
                        pct(viaWire.ttft, 99) - pct(direct.ttft, 99), pct(viaWire.tokens, 99) - pct(direct.tokens, 99), load));
            }
            System.out.println();
            System.out.println("added by battle-service (service − direct, same percentile):");
            summary.forEach(System.out::println);
            System.out.println();
            System.out.println("CPU time (user + system, from /proc; does not depend on the machine being busy):");
            cpu.forEach(System.out::println);
            System.out.println();
            target(service.port());
            memoryPerBattle(service.pid(), openBattles);
        }
    }

    private static int sink;

    /**
     * What this machine charges a process for having slept: the time to touch 2,048 pages of memory it already owns,
     * right after touching them and after sleeping 20, 200 and 1,000 ms. On ordinary hardware all four are about the
     * same (microseconds). In a sandbox whose memory is virtualised twice they grow with the sleep, and a service that
     * sleeps between tokens (one battle: a token every 20 ms) pays that on every wake-up; a busy one does not.
     */
    static void idlePenaltyProbe() throws InterruptedException {
        byte[] mem = new byte[8 << 20];
        for (int w = 0; w < 50; w++) {
            touchPages(mem);
        }
        StringBuilder out = new StringBuilder("machine probe: touching 8 MB of owned memory (2,048 pages) takes");
        for (long gapMs : new long[]{0, 20, 200, 1000}) {
            double[] xs = new double[gapMs >= 1000 ? 5 : 9];
            for (int i = 0; i < xs.length; i++) {
                Thread.sleep(gapMs);
                long t = System.nanoTime();
                touchPages(mem);
                xs[i] = (System.nanoTime() - t) / 1e6;
            }
            Arrays.sort(xs);
            out.append(String.format(Locale.ROOT, "%s %.2f ms after %d ms asleep", gapMs == 0 ? "" : ",", xs[xs.length / 2],
                    gapMs));
        }
        System.out.println(out.append(" (medians)"));
    }

    private static void touchPages(byte[] m) {
        int s = 0;
        for (int i = 0; i < m.length; i += 4096) {
            m[i]++;
            s += m[i];
        }
        sink += s;
    }

    /**
     * Starts and leaves {@code total} battles from {@code threads} clients without reading them: the start path (JSON,
     * REST, planning, counting tokens) runs often enough for the JIT to compile it, as in a service that has been up.
     */
    private void warmStarts(int threads, int total) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int client = t;
                futures.add(pool.submit(() -> {
                    try (Conn api = new Conn(host, port)) {
                        for (int i = client; i < total; i += threads) {
                            String body = startBody(7_000_000L + i);
                            Matcher m = BATTLE_ID.matcher(api.exchange("POST", "/api/v1/battles", body));
                            if (m.find()) {
                                api.exchange("DELETE", "/api/v1/battles/" + m.group(1), null);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (var f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Waits (at most a minute) until neither the service nor this JVM uses more than 5% of a core over a second (the
     * service idles at 2-5%: its timers, and retrying to register its models with the absent vote-service): the JIT
     * compiles what the warm-up made hot for a good while afterwards, and measuring then measures the compiler
     * threads competing for the two cores.
     */
    private static void awaitQuiet(long servicePid) throws InterruptedException {
        long self = ProcessHandle.current().pid();
        long t0 = System.nanoTime();
        int quiet = 0;
        while (quiet < 2 && System.nanoTime() - t0 < 60_000_000_000L) {
            double s0 = cpuMs(servicePid);
            double c0 = cpuMs(self);
            Thread.sleep(1000);
            quiet = cpuMs(servicePid) - s0 <= 50 && cpuMs(self) - c0 <= 50 ? quiet + 1 : 0;
        }
        System.out.printf(Locale.ROOT, "waited %.0f s for the JIT compilers to finish (service and client idle)%n",
                (System.nanoTime() - t0) / 1e9);
    }

    private void target(int p) {
        port = p;
        base = "http://" + host + ":" + p;
    }

    /** CPU time (user + system) a process used so far, in ms, from /proc/PID/stat (clock ticks of 10 ms). */
    static double cpuMs(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10.0;
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    /** The load average, printed with each figure (figures from a busy machine are marked as such). */
    static String uptime() {
        try {
            return "load average " + Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 4)[0] + " (1 min), "
                    + Files.readString(Path.of("/proc/loadavg")).trim().split(" ")[1] + " (5 min)";
        } catch (IOException e) {
            return "load average unknown";
        }
    }

    private String modelsJson() {
        String sim = String.format(Locale.ROOT, "{\"strength\": 0.0, \"mean_tokens\": %d, \"headers\": 0.3, \"lists\": 0.5, "
                        + "\"bold\": 0.3, \"code\": 0.5, \"ttft_ms\": %d, \"tokens_per_second\": %.3f, \"failure_rate\": 0.0}",
                profile.meanTokensOr(), profile.ttftMsOr(), profile.tokensPerSecondOr());
        return "{\"models\": [" + "{\"id\": \"bench-a\", \"display_name\": \"Bench A (simulated)\", \"provider\": \"simulated\", \"simulated\": "
                + sim + "}, {\"id\": \"bench-b\", \"display_name\": \"Bench B (simulated)\", \"provider\": \"simulated\", \"simulated\": "
                + sim + "}]}";
    }

    /** The body of a named battle between the two bench models, seeded as {@link #sideSeed} expects. */
    private static String startBody(long seed) {
        return "{\"prompt\": \"" + PROMPT + "\", \"mode\": \"named\", \"model_a\": \"bench-a\", \"model_b\": \"bench-b\", "
                + "\"seed\": " + seed + "}";
    }

    private static List<ChatMessage> history() {
        return List.of(ChatMessage.user(PROMPT));
    }

    /** Same seeds as the service uses for a named battle with seed s: side i gets s + i·7919 + turn. */
    private static long sideSeed(long seed, int side) {
        return seed + side * 7919L + 1;
    }

    /**
     * The same battles replayed in-process, with the same arrival pattern as {@link #measureService}: each of
     * {@code concurrency} clients starts at the same staggered moment and runs its rounds back to back, the next
     * battle starting as soon as both sides of the last one are complete.
     */
    private Samples measureDirect(int concurrency, int rounds, long seedBase) throws InterruptedException {
        Samples out = Samples.empty();
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(2);
        java.util.Random stagger = new java.util.Random(seedBase);
        CountDownLatch done = new CountDownLatch(concurrency);
        try {
            for (int c = 0; c < concurrency; c++) {
                int client = c;
                long delay = concurrency == 1 ? 0 : stagger.nextInt(1000);
                scheduler.schedule(() -> directBattle(scheduler, out, seedBase, client, 0, rounds, done), delay,
                        TimeUnit.MILLISECONDS);
            }
            if (!done.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("direct replay did not finish");
            }
        } finally {
            scheduler.shutdownNow();
        }
        return out;
    }

    private void directBattle(ScheduledThreadPoolExecutor scheduler, Samples out, long seedBase, int client, int round,
                              int rounds, CountDownLatch done) {
        if (round == rounds) {
            done.countDown();
            return;
        }
        long seed = seedBase + round * 1000L + client;
        java.util.concurrent.atomic.AtomicInteger sides = new java.util.concurrent.atomic.AtomicInteger(2);
        Runnable sideDone = () -> {
            if (sides.decrementAndGet() == 0) {
                directBattle(scheduler, out, seedBase, client, round + 1, rounds, done);
            }
        };
        for (int side = 0; side < 2; side++) {
            String model = side == 0 ? "bench-a" : "bench-b";
            SimulatedEngine.Plan plan = SimulatedEngine.plan(model, profile, history(), sideSeed(seed, side));
            long start = System.nanoTime();
            int[] idx = {0};
            long[] last = {0};
            SimulatedEngine.replay(plan, scheduler, start, new SimulatedEngine.Sink() {
                @Override
                public void delta(String piece) {
                    record(out, plan, last, idx[0]++, System.nanoTime() - start);
                }

                @Override
                public void complete() {
                    sideDone.run();
                }

                @Override
                public void fail(String message) {
                    sideDone.run();
                }
            });
        }
    }

    /**
     * TTFT lateness: first piece's arrival minus its planned time (from the POST being sent). Per-token delay:
     * how much longer the gap to the previous piece was than planned (arrival_i − arrival_{i−1} − planned gap).
     */
    private static void record(Samples out, SimulatedEngine.Plan plan, long[] lastArrival, int i, long elapsedNanos) {
        double ms = elapsedNanos / 1e6;
        out.lateness.add(ms - plan.offsetsMs()[i]);
        if (i == 0) {
            out.ttft.add(ms - plan.offsetsMs()[0]);
        } else {
            double gap = (elapsedNanos - lastArrival[0]) / 1e6;
            out.tokens.add(gap - (plan.offsetsMs()[i] - plan.offsetsMs()[i - 1]));
        }
        lastArrival[0] = elapsedNanos;
    }

    /**
     * {@code concurrency} clients, each running {@code rounds} battles back to back, their first battle
     * started at a random moment within the first second so the load is steady rather than one burst.
     */
    private Samples measureService(int concurrency, int rounds, long seedBase) throws Exception {
        Samples out = Samples.empty();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        AtomicLong errors = new AtomicLong();
        java.util.Random stagger = new java.util.Random(seedBase);
        CountDownLatch done = new CountDownLatch(concurrency);
        try (SseReader reader = new SseReader()) {
            for (int c = 0; c < concurrency; c++) {
                int client = c;
                long delay = concurrency == 1 ? 0 : stagger.nextInt(1000);
                pool.execute(() -> {
                    // like a browser: the API calls of one client share a kept-alive connection,
                    // each event stream has its own
                    try (Conn api = new Conn(host, port)) {
                        Thread.sleep(delay);
                        for (int r = 0; r < rounds; r++) {
                            try {
                                oneBattle(seedBase + r * 1000L + client, out, api, reader);
                            } catch (Exception e) {
                                errors.incrementAndGet();
                                System.err.println("battle failed: " + e);
                            }
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        done.countDown();
                    }
                });
            }
            if (!done.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("battles did not finish");
            }
        } finally {
            pool.shutdownNow();
        }
        if (errors.get() > 0) {
            System.out.println("  (" + errors.get() + " battles failed)");
        }
        return out;
    }

    private void oneBattle(long seed, Samples samples, Conn api, SseReader reader) throws Exception {
        SimulatedEngine.Plan[] plans = {
                SimulatedEngine.plan("bench-a", profile, history(), sideSeed(seed, 0)),
                SimulatedEngine.plan("bench-b", profile, history(), sideSeed(seed, 1))};
        String body = startBody(seed);
        long t0 = System.nanoTime();
        String created = api.exchange("POST", "/api/v1/battles", body);
        samples.post.add((System.nanoTime() - t0) / 1e6);
        if (!created.startsWith("HTTP/1.1 201")) {
            throw new IllegalStateException("POST answered " + created);
        }
        Matcher m = BATTLE_ID.matcher(created);
        if (!m.find()) {
            throw new IllegalStateException("no battle id in " + created);
        }
        String id = m.group(1);
        int[] idx = new int[2];
        int[] consumed = new int[2];
        int[] received = new int[2];
        long[][] last = new long[2][1];
        // one socket per stream, read by the shared selector thread: the lightest client, so the figures measure the service
        SocketChannel channel = SocketChannel.open(new InetSocketAddress(host, port));
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.write(ByteBuffer.wrap(("GET /api/v1/battles/" + id + "/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Accept: text/event-stream\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
        reader.read(channel, (line, now) -> {
            if (line.startsWith("HTTP/1.1 ")) {
                samples.streamOpen.add((now - t0) / 1e6);
            }
            if (line.contains("\"turn_complete\"")) {
                return true;
            }
            if (!line.startsWith("data:") || !line.contains("\"type\":\"delta\"")) {
                return false;
            }
            Matcher s = SIDE.matcher(line);
            if (!s.find()) {
                return false;
            }
            int side = s.group(1).equals("a") ? 0 : 1;
            // a delta may carry several pieces (the service merges deltas when a stream falls behind):
            // every piece whose text is now complete arrived at this moment
            received[side] += jsonString(line, "text").length();
            List<String> pieces = plans[side].pieces();
            while (idx[side] < pieces.size() && consumed[side] + pieces.get(idx[side]).length() <= received[side]) {
                consumed[side] += pieces.get(idx[side]).length();
                record(samples, plans[side], last[side], idx[side]++, now - t0);
            }
            return false;
        }).get(5, TimeUnit.MINUTES);
        if (idx[0] != plans[0].pieces().size() || idx[1] != plans[1].pieces().size()) {
            throw new IllegalStateException("expected " + plans[0].pieces().size() + "/" + plans[1].pieces().size()
                    + " pieces, got " + idx[0] + "/" + idx[1] + " (plans differ from the service's?)");
        }
        api.exchange("DELETE", "/api/v1/battles/" + id, null);
    }

    /**
     * A kept-alive HTTP/1.1 connection on raw sockets (the lightest client): status line and body of each answer
     * as text. Reconnects once when the server closed it.
     */
    static final class Conn implements AutoCloseable {
        private final String host;
        private final int port;
        private Socket socket;
        private java.io.BufferedInputStream in;
        private OutputStream out;

        Conn(String host, int port) {
            this.host = host;
            this.port = port;
        }

        String exchange(String method, String path, String body) throws IOException {
            try {
                return once(method, path, body);
            } catch (IOException stale) {
                close();
                return once(method, path, body);
            }
        }

        private String once(String method, String path, String body) throws IOException {
            if (socket == null) {
                socket = new Socket(host, port);
                socket.setTcpNoDelay(true);
                in = new java.io.BufferedInputStream(socket.getInputStream());
                out = socket.getOutputStream();
            }
            byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            out.write((method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + payload.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(payload);
            out.flush();
            String status = line();
            if (status.isEmpty()) {
                throw new IOException("connection closed");
            }
            int length = 0;
            boolean chunked = false;
            boolean close = false;
            for (String h = line(); !h.isEmpty(); h = line()) {
                String lower = h.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(h.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    close = true;
                }
            }
            StringBuilder text = new StringBuilder(status).append('\n');
            if (chunked) {
                for (int n = Integer.parseInt(line().trim(), 16); n > 0; n = Integer.parseInt(line().trim(), 16)) {
                    text.append(new String(in.readNBytes(n), StandardCharsets.UTF_8));
                    line();
                }
                line();
            } else {
                text.append(new String(in.readNBytes(length), StandardCharsets.UTF_8));
            }
            if (close) {
                close();
            }
            return text.toString();
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                if (c != '\r') {
                    b.append((char) c);
                }
            }
            return b.toString();
        }

        @Override
        public void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
                socket = null;
            }
        }
    }

    /** The value of a string field in one JSON line, unescaped. */
    static String jsonString(String json, String field) {
        int i = json.indexOf("\"" + field + "\":\"");
        if (i < 0) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (int j = i + field.length() + 4; j < json.length(); j++) {
            char c = json.charAt(j);
            if (c == '"') {
                break;
            }
            if (c == '\\' && j + 1 < json.length()) {
                char n = json.charAt(++j);
                switch (n) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'u' -> {
                        sb.append((char) Integer.parseInt(json.substring(j + 1, j + 5), 16));
                        j += 4;
                    }
                    default -> sb.append(n);
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private void memoryPerBattle(long pid, int n) throws Exception {
        double before = heapAfterGc(pid);
        List<String> ids = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        List<java.util.concurrent.Future<String>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long seed = 5_000_000L + i;
            futures.add(pool.submit(() -> {
                String body = startBody(seed);
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/battles"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                Matcher m = BATTLE_ID.matcher(r.body());
                if (!m.find()) {
                    throw new IllegalStateException(r.body());
                }
                String id = m.group(1);
                // read the stream to the end so the battle holds its complete answers
                HttpResponse<String> events = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/battles/" + id + "/events"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (!events.body().contains("turn_complete")) {
                    throw new IllegalStateException("battle " + id + " did not complete");
                }
                return id;
            }));
        }
        for (var f : futures) {
            ids.add(f.get());
        }
        pool.shutdown();
        double after = heapAfterGc(pid);
        System.out.printf(Locale.ROOT, "memory: %d open battles (finished turn, answers held for the vote) hold %.1f MB of heap: "
                + "%.1f KB per open battle%n", ids.size(), (after - before) / 1e6, (after - before) / ids.size() / 1024);
    }

    private double heapAfterGc(long pid) throws Exception {
        for (int i = 0; i < 2; i++) {
            Process p = new ProcessBuilder("jcmd", Long.toString(pid), "GC.run").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double sum = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    private static void print(int c, String path, Samples s) {
        System.out.printf(Locale.ROOT, "%10d | %-8s | %10.2f / %-10.2f   | %12.2f / %-12.2f    | %10.2f / %-10.2f    | %d%n",
                c, path, pct(s.ttft, 50), pct(s.ttft, 99), pct(s.tokens, 50), pct(s.tokens, 99), pct(s.lateness, 50),
                pct(s.lateness, 99), s.tokens.size() + s.ttft.size());
    }

    static double pct(Values values, double p) {
        double[] v = values.sorted();
        if (v.length == 0) {
            return Double.NaN;
        }
        int idx = (int) Math.ceil(p / 100.0 * v.length) - 1;
        return v[Math.max(0, Math.min(v.length - 1, idx))];
    }
}

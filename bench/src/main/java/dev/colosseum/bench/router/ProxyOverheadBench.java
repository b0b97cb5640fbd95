package dev.colosseum.bench.router;

import com.sun.net.httpserver.HttpServer;
import dev.colosseum.embedded.EmbeddedDb;
import dev.colosseum.embedded.ServiceProcess;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Overhead router-service adds to an upstream call (run by bench/router-bench.sh; prints figures). Starts a
 * local OpenAI-compatible upstream (JDK HTTP server, fixed answer), an embedded PostgreSQL and router-service
 * ({@code quarkus-run.jar}, started with {@link ServiceProcess}) against them, then interleaves direct upstream
 * calls with the same call through {@code /v1/chat/completions} ({@code router-random-0.5}: proxy path only,
 * and {@code router-length-0.5}). Args: path to quarkus-run.jar, [calls].
 */
public final class ProxyOverheadBench {
    private ProxyOverheadBench() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        byte[] answer = ("{\"id\":\"x\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"up\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"Hello there, this is a fixed answer.\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":8,\"total_tokens\":13}}").getBytes(StandardCharsets.UTF_8);
        // like production upstreams, answer without Nagle's algorithm (else header and body segments wait for delayed ACKs)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer up = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        up.createContext("/v1/chat/completions", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, answer.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(answer);
            }
        });
        ExecutorService upThreads = Executors.newFixedThreadPool(4);
        up.setExecutor(upThreads);
        up.start();
        String upBase = "http://127.0.0.1:" + up.getAddress().getPort() + "/v1";
        Path models = Files.createTempFile("bench-models", ".json");
        Files.writeString(models, "{\"models\":[{\"id\":\"bench-strong\",\"provider\":\"openai\",\"base_url\":\"" + upBase
                + "\",\"upstream_model\":\"s\"},{\"id\":\"bench-weak\",\"provider\":\"openai\",\"base_url\":\"" + upBase
                + "\",\"upstream_model\":\"w\"}]}");
        Map<String, String> env = new HashMap<>();
        env.put("COLOSSEUM_MODELS_FILE", models.toString());
        env.put("COLOSSEUM_ROUTER_STRONG", "bench-strong");
        env.put("COLOSSEUM_ROUTER_WEAK", "bench-weak");
        Path log = Path.of(System.getProperty("java.io.tmpdir"), "router-bench-service.log");
        try (EmbeddedDb db = EmbeddedDb.startEphemeral()) {
            db.ensureDatabase("router");
            env.putAll(ServiceProcess.databaseEnv(db, "router"));
            try (ServiceProcess svc = ServiceProcess.start("router-service", jar, ServiceProcess.freePort(), env, "512m", log,
                    null, "/q/health/ready", Duration.ofSeconds(120))) {
                measure(svc.url(), upBase, calls);
            }
        } finally {
            up.stop(0);
            upThreads.shutdownNow(); // its threads are not daemons: the JVM would stay up after the figures
        }
    }

    static void measure(String router, String upBase, int calls) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String body = "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"Write a haiku about routers.\"}],"
                + "\"temperature\":0.2,\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"noop\",\"parameters\":{\"type\":\"object\"}}}]}";
        System.out.printf(Locale.ROOT, "proxy overhead: %d interleaved calls each, sequential, keep-alive, 2 cores shared%n", calls);
        for (String model : List.of("router-random-0.5", "router-length-0.5")) {
            HttpRequest direct = HttpRequest.newBuilder(URI.create(upBase + "/chat/completions"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(String.format(body, "s"))).build();
            HttpRequest routed = HttpRequest.newBuilder(URI.create(router + "/v1/chat/completions"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(String.format(body, model))).build();
            for (int i = 0; i < 500; i++) {
                check(http.send(direct, HttpResponse.BodyHandlers.ofByteArray()));
                check(http.send(routed, HttpResponse.BodyHandlers.ofByteArray()));
            }
            double[] d = new double[calls];
            double[] r = new double[calls];
            for (int i = 0; i < calls; i++) {
                long s = System.nanoTime();
                check(http.send(direct, HttpResponse.BodyHandlers.ofByteArray()));
                d[i] = (System.nanoTime() - s) / 1e6;
                s = System.nanoTime();
                check(http.send(routed, HttpResponse.BodyHandlers.ofByteArray()));
                r[i] = (System.nanoTime() - s) / 1e6;
            }
            double[] diff = new double[calls];
            for (int i = 0; i < calls; i++) {
                diff[i] = r[i] - d[i];
            }
            System.out.printf(Locale.ROOT, "  %-18s direct p50 %6.2f / p99 %6.2f ms   via router p50 %6.2f / p99 %6.2f ms   "
                            + "overhead p50 %6.2f / p99 %6.2f ms (p99 latency difference %6.2f ms)   [load %s]%n", model,
                    pct(d, 50), pct(d, 99), pct(r, 50), pct(r, 99),
                    pct(diff, 50), pct(diff, 99), pct(r, 99) - pct(d, 99), load());
        }
    }

    static double pct(double[] v, double p) {
        double[] s = v.clone();
        Arrays.sort(s);
        int idx = (int) Math.ceil(p / 100 * s.length) - 1;
        return s[Math.max(0, Math.min(s.length - 1, idx))];
    }

    static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "n/a";
        }
    }

    static void check(HttpResponse<byte[]> r) {
        if (r.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + r.statusCode() + ": " + new String(r.body(), StandardCharsets.UTF_8));
        }
    }

}

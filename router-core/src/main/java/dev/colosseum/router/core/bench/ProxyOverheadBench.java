package dev.colosseum.router.core.bench;

import com.sun.net.httpserver.HttpServer;

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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * Overhead router-service adds to an upstream call (run by bench/router-bench.sh; prints figures). Starts a
 * local OpenAI-compatible upstream (JDK HTTP server, fixed answer), starts router-service
 * ({@code quarkus-run.jar}) against it, then interleaves direct upstream calls with the same call through
 * {@code /v1/chat/completions} ({@code router-random-0.5}: proxy path only, and {@code router-length-0.5}).
 * Args: path to quarkus-run.jar, reactive DB URL, JDBC DB URL, [calls].
 */
public final class ProxyOverheadBench {
    private ProxyOverheadBench() {
    }

    public static void main(String[] args) throws Exception {
        String jar = args[0];
        String dbUrl = args[1];
        String jdbcUrl = args[2];
        int calls = args.length > 3 ? Integer.parseInt(args[3]) : 2000;
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
        up.setExecutor(Executors.newFixedThreadPool(4));
        up.start();
        String upBase = "http://127.0.0.1:" + up.getAddress().getPort() + "/v1";
        Path models = Files.createTempFile("bench-models", ".json");
        Files.writeString(models, "{\"models\":[{\"id\":\"bench-strong\",\"provider\":\"openai\",\"base_url\":\"" + upBase
                + "\",\"upstream_model\":\"s\"},{\"id\":\"bench-weak\",\"provider\":\"openai\",\"base_url\":\"" + upBase
                + "\",\"upstream_model\":\"w\"}]}");
        int port = 18083;
        ProcessBuilder pb = new ProcessBuilder("java", "-Xmx512m", "-jar", jar).redirectErrorStream(true)
                .redirectOutput(Path.of(System.getProperty("java.io.tmpdir"), "router-bench-service.log").toFile());
        Map<String, String> env = pb.environment();
        env.put("PORT", String.valueOf(port));
        env.put("DB_URL", dbUrl);
        env.put("DB_JDBC_URL", jdbcUrl);
        env.put("COLOSSEUM_MODELS_FILE", models.toString());
        env.put("COLOSSEUM_ROUTER_STRONG", "bench-strong");
        env.put("COLOSSEUM_ROUTER_WEAK", "bench-weak");
        Process svc = pb.start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String router = "http://127.0.0.1:" + port;
            long deadline = System.currentTimeMillis() + 120_000;
            while (true) {
                try {
                    if (http.send(HttpRequest.newBuilder(URI.create(router + "/q/health/ready")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        break;
                    }
                } catch (java.io.IOException e) {
                    if (System.currentTimeMillis() > deadline) {
                        throw new IllegalStateException("router-service did not start; see router-bench-service.log", e);
                    }
                }
                Thread.sleep(300);
            }
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
                                + "overhead p50 %6.2f / p99 %6.2f ms (p99 latency difference %6.2f ms)%n", model,
                        RouterBench.pct(d, 50), RouterBench.pct(d, 99), RouterBench.pct(r, 50), RouterBench.pct(r, 99),
                        RouterBench.pct(diff, 50), RouterBench.pct(diff, 99), RouterBench.pct(r, 99) - RouterBench.pct(d, 99));
            }
        } finally {
            svc.destroy();
            svc.waitFor();
            up.stop(0);
        }
    }

    static void check(HttpResponse<byte[]> r) {
        if (r.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + r.statusCode() + ": " + new String(r.body(), StandardCharsets.UTF_8));
        }
    }

}

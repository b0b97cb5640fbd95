package dev.colosseum.vote;

import dev.colosseum.embedded.EmbeddedPostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ten thousand malformed or hostile vote bodies: each is a 4xx, nothing is stored, the service stays up. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresTestResource.class)
class FuzzTest {
    private static final int CASES = 10_000;
    private static final String[] INJECTIONS = {
        "'; DROP TABLE vote.votes; --", "\" OR \"1\"=\"1", "sim-atlas' OR '1'='1", "$(rm -rf /)", "<script>alert(1)</script>",
        "../../etc/passwd", "%00", "${jndi:ldap://127.0.0.1/x}", "{{7*7}}", "sim-atlas\nX-Injected: 1", "\\u0000"
    };

    @TestHTTPResource("/api/v1/votes")
    URI votes;

    private static String valid(String battle) {
        return Votes.body(battle);
    }

    private static String str(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /** Replaces the value of a top-level field in a valid body. */
    private static String with(String body, String field, String rawValue) {
        String pattern = "\"" + field + "\":";
        int i = body.indexOf(pattern);
        int start = i + pattern.length();
        int end = start;
        int depth = 0;
        boolean inString = false;
        for (; end < body.length(); end++) {
            char c = body.charAt(end);
            if (inString) {
                if (c == '\\') {
                    end++;
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (depth == 0) {
                    break;
                }
                depth--;
            } else if (c == ',' && depth == 0) {
                break;
            }
        }
        return body.substring(0, start) + rawValue + body.substring(end);
    }

    private static String without(String body, String field) {
        String marker = "\"" + field + "\":";
        String replaced = with(body, field, "0");
        return replaced.replace(",\"" + field + "\":0", "").replace(marker + "0,", "");
    }

    private List<Function<Random, byte[]>> generators() {
        String[] required = {"battle_id", "model_a", "model_b", "winner"};
        String[] wrongTypes = {"123", "true", "[]", "{}", "[\"x\"]", "1.5e300", "-1", "{\"$gt\":\"\"}"};
        List<Function<Random, byte[]>> g = new ArrayList<>();
        // wrong types in any field
        String[] typed = {"battle_id", "model_a", "model_b", "winner", "mode", "voter_id", "turn", "categories",
            "features_a", "conversation_a", "language"};
        g.add(r -> {
            String field = typed[r.nextInt(typed.length)];
            String v = wrongTypes[r.nextInt(wrongTypes.length)];
            if (field.equals("turn")) {
                v = new String[] {"\"one\"", "[]", "{}", "0", "-5", "100000", "true", "1.5"}[r.nextInt(8)];
            }
            if (field.equals("categories") || field.equals("conversation_a")) {
                v = new String[] {"\"coding\"", "5", "{}", "[5]", "[[]]", "[null]"}[r.nextInt(6)];
            }
            if (field.equals("features_a")) {
                v = new String[] {"[]", "\"x\"", "{\"tokens\":\"many\"}", "{\"tokens\":null}", "{\"bad key!\":1}",
                    "{\"tokens\":[1]}"}[r.nextInt(6)];
            }
            if (field.equals("language")) {
                v = new String[] {"5", "[]", "{}", str("<script>"), str("x".repeat(65))}[r.nextInt(5)];
            }
            if (field.equals("mode")) {
                v = new String[] {"5", "\"open\"", "\"ANONY\"", "[]"}[r.nextInt(4)];
            }
            if (field.equals("voter_id")) {
                v = new String[] {"5", "\"short\"", str("x".repeat(200)), str("10.0.0.1 spaces")}[r.nextInt(4)];
            }
            return with(valid(Votes.battleId()), field, v).getBytes(StandardCharsets.UTF_8);
        });
        // missing required fields
        g.add(r -> without(valid(Votes.battleId()), required[r.nextInt(required.length)]).getBytes(StandardCharsets.UTF_8));
        // null required fields
        g.add(r -> with(valid(Votes.battleId()), required[r.nextInt(required.length)], "null").getBytes(StandardCharsets.UTF_8));
        // huge strings
        g.add(r -> {
            int n = 70 + r.nextInt(300_000);
            String field = new String[] {"battle_id", "model_a", "winner", "language"}[r.nextInt(4)];
            return with(valid(Votes.battleId()), field, str("x".repeat(n))).getBytes(StandardCharsets.UTF_8);
        });
        g.add(r -> with(valid(Votes.battleId()), "conversation_a",
                "[{\"role\":\"assistant\",\"content\":" + str("y".repeat(200_001 + r.nextInt(1000))) + "}]")
                .getBytes(StandardCharsets.UTF_8));
        // unknown models (well-formed ids)
        g.add(r -> with(valid(Votes.battleId()), r.nextBoolean() ? "model_a" : "model_b",
                str("unknown-model-" + r.nextInt(1_000_000))).getBytes(StandardCharsets.UTF_8));
        // injection strings in identifiers and enums
        g.add(r -> {
            String field = new String[] {"battle_id", "model_a", "model_b", "winner", "mode", "voter_id"}[r.nextInt(6)];
            return with(valid(Votes.battleId()), field, str(INJECTIONS[r.nextInt(INJECTIONS.length)]))
                    .getBytes(StandardCharsets.UTF_8);
        });
        // invalid UTF-8 inside a string value
        g.add(r -> {
            String body = valid(Votes.battleId());
            int at = body.indexOf("Iron sleeps");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            out.write(b, 0, at);
            byte[][] bad = {{(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xF0, 0x28, (byte) 0x8C, 0x28},
                {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}};
            byte[] pick = bad[r.nextInt(bad.length)];
            out.write(pick, 0, pick.length);
            out.write(b, at, b.length - at);
            return out.toByteArray();
        });
        // NUL and lone surrogates as JSON escapes
        g.add(r -> with(valid(Votes.battleId()), "conversation_b", "[{\"role\":\"assistant\",\"content\":\""
                + new String[] {"a\\u0000b", "\\ud800", "x\\udc00y", "\\ud83d"}[r.nextInt(4)] + "\"}]")
                .getBytes(StandardCharsets.UTF_8));
        // semantic errors
        g.add(r -> Votes.body(Votes.battleId(), "sim-atlas", "sim-atlas", "model_a", Votes.voterId())
                .getBytes(StandardCharsets.UTF_8));
        g.add(r -> with(valid(Votes.battleId()), "winner", str(new String[] {"model_c", "tie(bothbad)", "A", "", "Model_A",
            "tie (bothbad) "}[r.nextInt(6)])).getBytes(StandardCharsets.UTF_8));
        g.add(r -> (valid(Votes.battleId()).replace("\"turn\":1", "\"voted_at\":\"2999-01-01T00:00:00Z\",\"turn\":1"))
                .getBytes(StandardCharsets.UTF_8));
        g.add(r -> (valid(Votes.battleId()).replace("\"turn\":1", "\"voted_at\":\"not a time\",\"turn\":1"))
                .getBytes(StandardCharsets.UTF_8));
        g.add(r -> {
            StringBuilder many = new StringBuilder("{");
            for (int i = 0; i < 65 + r.nextInt(100); i++) {
                many.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":1");
            }
            return with(valid(Votes.battleId()), "features_b", many.append('}').toString()).getBytes(StandardCharsets.UTF_8);
        });
        g.add(r -> with(valid(Votes.battleId()), "conversation_a", "[{\"role\":\"hacker\",\"content\":\"x\"}]")
                .getBytes(StandardCharsets.UTF_8));
        // structurally broken JSON
        g.add(r -> {
            byte[] b = valid(Votes.battleId()).getBytes(StandardCharsets.UTF_8);
            int cut = 1 + r.nextInt(b.length - 2);
            byte[] out = new byte[cut];
            System.arraycopy(b, 0, out, 0, cut);
            return out;
        });
        g.add(r -> {
            byte[] b = new byte[1 + r.nextInt(200)];
            r.nextBytes(b);
            b[0] = (byte) ("[{\"x".charAt(r.nextInt(4)));
            return b;
        });
        g.add(r -> new String[] {"", "null", "[]", "42", "\"vote\"", "{", "}", "{\"battle_id\"}", "true"}[r.nextInt(9)]
                .getBytes(StandardCharsets.UTF_8));
        g.add(r -> ("[".repeat(2000 + r.nextInt(3000))).getBytes(StandardCharsets.UTF_8));
        g.add(r -> ("{\"a\":".repeat(1500) + "1" + "}".repeat(1500)).getBytes(StandardCharsets.UTF_8));
        return g;
    }

    @Test
    void tenThousandHostileBodiesAreAll4xxAndNothingIsStored() throws Exception {
        long before = given().get("/api/v1/stats").jsonPath().getLong("total");
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        List<Function<Random, byte[]>> generators = generators();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger counter = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int seed = t;
            futures.add(pool.submit(() -> {
                Random r = new Random(1234 + seed);
                int i;
                while ((i = counter.getAndIncrement()) < CASES) {
                    int kind = i % generators.size();
                    byte[] body = generators.get(kind).apply(r);
                    String type = i % 997 == 0 ? "text/plain" : "application/json";
                    HttpRequest req = HttpRequest.newBuilder(votes).timeout(Duration.ofSeconds(60))
                            .header("Content-Type", type).header("X-Forwarded-For", "198.51." + (i % 250) + "." + (i / 250 % 250))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                    HttpResponse<String> resp = client.send(req, HttpResponse.BodyHandlers.ofString());
                    statuses.computeIfAbsent(resp.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                    if (resp.statusCode() < 400 || resp.statusCode() >= 500) {
                        failures.add("case " + i + " kind " + kind + " -> " + resp.statusCode() + " "
                                + new String(body, 0, Math.min(300, body.length), StandardCharsets.UTF_8));
                    } else if (resp.statusCode() != 413 && resp.statusCode() != 415
                            && !resp.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
                        failures.add("case " + i + " kind " + kind + " without problem+json: " + resp.headers().map());
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        assertEquals(List.of(), failures.subList(0, Math.min(20, failures.size())), "statuses " + statuses);
        int total = statuses.values().stream().mapToInt(AtomicInteger::get).sum();
        assertEquals(CASES, total);
        assertEquals(before, given().get("/api/v1/stats").jsonPath().getLong("total"), "nothing stored");
        given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
        Votes.client().body(Votes.body(Votes.battleId())).post("/api/v1/votes").then().statusCode(201);
        assertTrue(statuses.containsKey(400) && statuses.containsKey(422), statuses.toString());
    }
}

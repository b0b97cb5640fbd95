package dev.colosseum.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Small JSON-over-HTTP helper for the end-to-end tests. */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    /** A response; {@code status} is -1 when the connection failed. */
    record Resp(int status, String contentType, String body, JsonNode json) {
        boolean ok() {
            return status / 100 == 2;
        }
    }

    private Http() {
    }

    static Resp get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    static Resp post(String url, Object body, String... headers) {
        return sendBody("POST", url, body, headers);
    }

    static Resp sendBody(String method, String url, Object body, String... headers) {
        try {
            String payload = body instanceof String s ? s : JSON.writeValueAsString(body);
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(payload));
            for (int i = 0; i + 1 < headers.length; i += 2) {
                b.header(headers[i], headers[i + 1]);
            }
            return send(b);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Resp send(HttpRequest.Builder b) {
        try {
            HttpResponse<String> r = CLIENT.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            String ct = r.headers().firstValue("content-type").orElse("");
            JsonNode json = MissingNode.getInstance();
            if (ct.contains("json") && !r.body().isBlank()) {
                json = JSON.readTree(r.body());
            }
            return new Resp(r.statusCode(), ct, r.body(), json);
        } catch (IOException e) {
            return new Resp(-1, "", String.valueOf(e), MissingNode.getInstance());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Resp(-1, "", "interrupted", MissingNode.getInstance());
        }
    }
}

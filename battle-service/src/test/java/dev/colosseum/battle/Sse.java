package dev.colosseum.battle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads a battle's server-sent events in tests. */
final class Sse {
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final ObjectMapper JSON = new ObjectMapper();

    private Sse() {
    }

    static List<JsonNode> readAll(String baseUrl, String battleId) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(baseUrl + "api/v1/battles/" + battleId + "/events"))
                .timeout(Duration.ofSeconds(30)).header("Accept", "text/event-stream").build();
        HttpResponse<Stream<String>> resp = HTTP.send(req, HttpResponse.BodyHandlers.ofLines());
        if (resp.statusCode() != 200) {
            throw new AssertionError("events answered " + resp.statusCode());
        }
        List<JsonNode> out = new ArrayList<>();
        try (Stream<String> lines = resp.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.startsWith("data:")) {
                    out.add(JSON.readTree(line.substring(5).trim()));
                }
            }
        }
        return out;
    }

    static String text(List<JsonNode> events, String side) {
        StringBuilder sb = new StringBuilder();
        events.stream().filter(e -> "delta".equals(e.path("type").asText()) && side.equals(e.path("side").asText()))
                .forEach(e -> sb.append(e.path("text").asText()));
        return sb.toString();
    }

    static JsonNode last(List<JsonNode> events, String type, String side) {
        JsonNode found = null;
        for (JsonNode e : events) {
            if (type.equals(e.path("type").asText()) && (side == null || side.equals(e.path("side").asText()))) {
                found = e;
            }
        }
        return found;
    }
}

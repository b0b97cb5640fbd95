package dev.colosseum.router.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colosseum.router.config.RouterServiceConfig;
import dev.colosseum.router.core.Comparison;
import dev.colosseum.router.core.TrainingFiles;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Reads vote-service's vote log through the cursor API (blocking; used from training worker threads) and the
 * prompt of each vote from its conversation. Exclusion items undo (or redo) earlier votes; ties are kept.
 */
@ApplicationScoped
public class VoteClient {
    private static final ObjectMapper OM = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final RouterServiceConfig config;

    public VoteClient(RouterServiceConfig config) {
        this.config = config;
    }

    /** The comparisons and the cursor after the last log item. */
    public record Fetch(List<Comparison> comparisons, String cursor) {
    }

    /** The last cursor of the log (cheap check for new votes); {@code null} while the log is empty. */
    public String latestCursor(String after) throws IOException, InterruptedException {
        String cursor = after;
        while (true) {
            JsonNode page = get("/api/v1/votes?limit=1000" + (cursor == null ? "" : "&after=" + enc(cursor)));
            if (page.path("next_cursor").isTextual() && !page.get("next_cursor").asText().isEmpty()) {
                cursor = page.get("next_cursor").asText();
            }
            if (!page.path("has_more").asBoolean(false)) {
                return cursor;
            }
        }
    }

    public Fetch fetchAll(IntConsumer progress) throws IOException, InterruptedException {
        Map<Long, JsonNode> votes = new LinkedHashMap<>();
        String cursor = null;
        while (true) {
            JsonNode page = get("/api/v1/votes?limit=1000" + (cursor == null ? "" : "&after=" + enc(cursor)));
            for (JsonNode item : page.path("items")) {
                if ("vote".equals(item.path("kind").asText())) {
                    JsonNode v = item.get("vote");
                    votes.put(v.path("id").asLong(), v);
                } else if ("exclusion".equals(item.path("kind").asText())) {
                    long id = item.path("vote_id").asLong();
                    JsonNode v = votes.get(id);
                    if (v != null && v.isObject()) {
                        ((com.fasterxml.jackson.databind.node.ObjectNode) v).put("excluded", item.path("excluded").asBoolean());
                    }
                }
            }
            if (page.path("next_cursor").isTextual()) {
                cursor = page.get("next_cursor").asText();
            }
            if (!page.path("has_more").asBoolean(false)) {
                break;
            }
        }
        List<Comparison> out = new ArrayList<>();
        int done = 0;
        for (JsonNode v : votes.values()) {
            done++;
            if (v.path("excluded").asBoolean(false)) {
                continue;
            }
            Double y = TrainingFiles.outcome(v.path("winner").asText(""));
            String a = v.path("model_a").asText("");
            String b = v.path("model_b").asText("");
            if (y == null || a.isEmpty() || b.isEmpty() || a.equals(b)) {
                continue;
            }
            JsonNode conv = getIfPresent("/api/v1/votes/" + v.path("id").asLong() + "/conversation");
            if (conv == null) {
                // imported historical votes often carry no conversation: nothing to learn a prompt from
                continue;
            }
            String prompt = TrainingFiles.firstUserTurn(conv.has("conversation_a") ? conv.get("conversation_a") : conv);
            if (prompt == null || prompt.isBlank()) {
                continue;
            }
            out.add(new Comparison(prompt, a, b, y, 1.0, "votes"));
            if (progress != null) {
                progress.accept(done * 100 / Math.max(1, votes.size()));
            }
        }
        return new Fetch(out, cursor);
    }

    /** Like {@link #get(String)}, but {@code null} when vote-service answers 404. */
    private JsonNode getIfPresent(String path) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(config.voteUrl().replaceAll("/+$", "") + path))
                .timeout(Duration.ofSeconds(30)).GET().build();
        HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() == 404) {
            return null;
        }
        if (r.statusCode() != 200) {
            throw new IOException("vote-service " + path + " answered " + r.statusCode());
        }
        return OM.readTree(r.body());
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        JsonNode body = getIfPresent(path);
        if (body == null) {
            throw new IOException("vote-service " + path + " answered 404");
        }
        return body;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

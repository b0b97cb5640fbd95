package dev.colosseum.e2e;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads vote-service's whole vote log ({@code GET /api/v1/votes?after=&limit=}) page by page. */
final class VoteLog {
    private VoteLog() {
    }

    /** battle_id → number of {@code vote} items carrying it (must be 1 for every accepted vote). */
    static Map<String, Integer> battleIdCounts(String voteBase) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (JsonNode item : items(voteBase)) {
            if ("vote".equals(item.path("kind").asText())) {
                counts.merge(item.path("vote").path("battle_id").asText(), 1, Integer::sum);
            }
        }
        return counts;
    }

    static List<JsonNode> items(String voteBase) {
        List<JsonNode> out = new ArrayList<>();
        String after = "";
        for (int guard = 0; guard < 10_000; guard++) {
            Http.Resp r = Http.get(voteBase + "/api/v1/votes?limit=500" + (after.isEmpty() ? "" : "&after=" + after));
            if (!r.ok()) {
                throw new AssertionError("vote log page failed: HTTP " + r.status() + " " + r.body());
            }
            r.json().path("items").forEach(out::add);
            String next = r.json().path("next_cursor").asText("");
            if (!r.json().path("has_more").asBoolean(false) || next.isEmpty()) {
                return out;
            }
            after = java.net.URLEncoder.encode(next, java.nio.charset.StandardCharsets.UTF_8);
        }
        throw new AssertionError("vote log did not end");
    }
}

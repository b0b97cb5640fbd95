package dev.colosseum.e2e;

import dev.colosseum.sdk.vote.ApiClient;
import dev.colosseum.sdk.vote.ApiException;
import dev.colosseum.sdk.vote.api.VotesApi;
import dev.colosseum.sdk.vote.model.LogItem;
import dev.colosseum.sdk.vote.model.LogPage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads vote-service's whole vote log ({@code GET /api/v1/votes?after=&limit=}) through the generated SDK. */
final class VoteLog {
    private VoteLog() {
    }

    /** battle_id → number of {@code vote} items carrying it (must be 1 for every accepted vote). */
    static Map<String, Integer> battleIdCounts(String voteBase) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (LogItem item : items(voteBase)) {
            if ("vote".equals(item.getKind())) {
                counts.merge(item.getVote().getBattleId(), 1, Integer::sum);
            }
        }
        return counts;
    }

    static List<LogItem> items(String voteBase) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(voteBase);
        VotesApi votes = new VotesApi(client);
        List<LogItem> out = new ArrayList<>();
        String after = null;
        for (int guard = 0; guard < 10_000; guard++) {
            LogPage page;
            try {
                page = votes.apiV1VotesGet(after, 500);
            } catch (ApiException e) {
                throw new AssertionError("vote log page failed: HTTP " + e.getCode() + " " + e.getResponseBody(), e);
            }
            out.addAll(page.getItems());
            if (!Boolean.TRUE.equals(page.getHasMore()) || page.getNextCursor() == null) {
                return out;
            }
            after = page.getNextCursor();
        }
        throw new AssertionError("vote log did not end");
    }
}

package dev.colosseum.ranking.client;

import java.util.List;

/** One page of vote-service's log ({@code GET /api/v1/votes?after=&limit=}). */
public record VoteLogPage(List<VoteLogItem> items, String nextCursor, Boolean hasMore) {
}

package dev.colosseum.vote;

import java.util.List;

/** A page of the vote log. */
public record LogPage(List<LogItem> items, String nextCursor, boolean hasMore) {
}

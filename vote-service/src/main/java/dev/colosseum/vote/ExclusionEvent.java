package dev.colosseum.vote;

import java.time.Instant;

/** One decision in a vote's exclusion history: {@code action} is "exclude" or "lift". */
public record ExclusionEvent(String rule, String action, String detail, Instant decidedAt) {
}

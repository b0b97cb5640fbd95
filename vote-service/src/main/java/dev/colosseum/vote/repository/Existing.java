package dev.colosseum.vote.repository;

import java.util.List;

/** A vote already stored under the same idempotency key or battle id. */
public record Existing(long id, String battleId, String idempotencyKey, String requestHash, long seq,
                       boolean excluded, List<String> reasons) {
}

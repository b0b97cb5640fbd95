package dev.colosseum.vote;

import java.util.List;

/** The answer to POST /api/v1/votes. */
public record VoteReceipt(long id, String battleId, long seq, boolean excluded, List<String> exclusionReasons) {
}

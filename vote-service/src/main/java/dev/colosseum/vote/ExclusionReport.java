package dev.colosseum.vote;

import java.util.List;

/** GET /api/v1/votes/{id}/exclusions. */
public record ExclusionReport(long voteId, String battleId, boolean excluded, List<String> exclusionReasons,
                              List<Exclusion> rules) {
}

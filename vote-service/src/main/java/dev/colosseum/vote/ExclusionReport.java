package dev.colosseum.vote;

import java.util.List;

/**
 * GET /api/v1/votes/{id}/exclusions: the rules excluding the vote now (with the evidence of their latest
 * application) and the full history of decisions, including rules a later hygiene pass lifted.
 */
public record ExclusionReport(long voteId, String battleId, boolean excluded, List<String> exclusionReasons,
                              List<Exclusion> rules, List<ExclusionEvent> history) {
}

package dev.colosseum.ranking.client;

import java.util.List;

/**
 * A log item: {@code kind=vote} carries the vote; {@code kind=exclusion} says that an earlier vote is now
 * excluded (or included again).
 */
public record VoteLogItem(String kind, String cursor, LoggedVote vote, Long voteId, String battleId,
                          Boolean excluded, List<String> exclusionReasons) {
}

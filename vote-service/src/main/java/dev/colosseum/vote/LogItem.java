package dev.colosseum.vote;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** One entry of the vote log: a vote, or a later change of a vote's exclusion. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LogItem(String kind, String cursor, VoteView vote, Long voteId, String battleId, Boolean excluded,
                      List<String> exclusionReasons) {
    public static LogItem vote(String cursor, VoteView vote) {
        return new LogItem("vote", cursor, vote, null, null, null, null);
    }

    public static LogItem exclusion(String cursor, long voteId, String battleId, boolean excluded, List<String> reasons) {
        return new LogItem("exclusion", cursor, null, voteId, battleId, excluded, reasons);
    }
}

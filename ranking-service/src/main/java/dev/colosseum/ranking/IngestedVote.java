package dev.colosseum.ranking;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An anonymous vote as ranking-service keeps it: the fields the leaderboards need, nothing else.
 *
 * @param outcome 0 model_a won, 1 model_b won, 2 tie, 3 tie (bothbad)
 */
public record IngestedVote(long id, String battleId, String modelA, String modelB, int outcome, Instant votedAt,
                           Integer turn, String language, List<String> categories,
                           Map<String, Double> featuresA, Map<String, Double> featuresB,
                           boolean excluded, List<String> exclusionReasons) {

    public static final int A = 0;
    public static final int B = 1;
    public static final int TIE = 2;
    public static final int BOTHBAD = 3;

    /** Maps a contract winner value to an outcome code, or -1 when it is not one. */
    public static int outcomeOf(String winner) {
        if (winner == null) {
            return -1;
        }
        return switch (winner) {
            case "model_a" -> A;
            case "model_b" -> B;
            case "tie" -> TIE;
            case "tie (bothbad)" -> BOTHBAD;
            default -> -1;
        };
    }

    public static String winnerOf(int outcome) {
        return switch (outcome) {
            case A -> "model_a";
            case B -> "model_b";
            case TIE -> "tie";
            default -> "tie (bothbad)";
        };
    }
}

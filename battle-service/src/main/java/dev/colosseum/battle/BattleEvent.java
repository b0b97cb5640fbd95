package dev.colosseum.battle;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One server-sent event of a battle stream. {@code type} is delta, usage, done or error for a side,
 * or turn_complete once both sides have finished the turn.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BattleEvent(
        String type,
        String side,
        int turn,
        String text,
        @JsonProperty("input_tokens") Integer inputTokens,
        @JsonProperty("output_tokens") Integer outputTokens,
        @JsonProperty("ttft_ms") Long ttftMs,
        @JsonProperty("latency_ms") Long latencyMs,
        String code,
        String message,
        @JsonProperty("votable") Boolean votable) {

    public static BattleEvent delta(Side side, int turn, String text) {
        return new BattleEvent("delta", side.wire(), turn, text, null, null, null, null, null, null, null);
    }

    public static BattleEvent usage(Side side, int turn, int in, int out) {
        return new BattleEvent("usage", side.wire(), turn, null, in, out, null, null, null, null, null);
    }

    public static BattleEvent done(Side side, int turn, Long ttft, long latency) {
        return new BattleEvent("done", side.wire(), turn, null, null, null, ttft, latency, null, null, null);
    }

    public static BattleEvent error(Side side, int turn, String code, String message) {
        return new BattleEvent("error", side.wire(), turn, null, null, null, null, null, code, message, null);
    }

    public static BattleEvent turnComplete(int turn, boolean votable) {
        return new BattleEvent("turn_complete", null, turn, null, null, null, null, null, null, null, votable);
    }

    public boolean terminal() {
        return "done".equals(type) || "error".equals(type);
    }
}

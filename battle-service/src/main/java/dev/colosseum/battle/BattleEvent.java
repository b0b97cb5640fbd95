package dev.colosseum.battle;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.io.JsonStringEncoder;

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

    /**
     * The event as one server-sent-event frame ({@code data:<json>\n\n}), the same JSON Jackson would write for
     * this record (snake_case, nulls left out). Built once when the event is published, on the provider's
     * thread, so the event loop only copies bytes.
     */
    public String sseFrame() {
        StringBuilder sb = new StringBuilder(64 + (text == null ? 0 : text.length() + 16));
        sb.append("data:{\"type\":");
        quote(sb, type);
        if (side != null) {
            sb.append(",\"side\":");
            quote(sb, side);
        }
        sb.append(",\"turn\":").append(turn);
        if (text != null) {
            sb.append(",\"text\":");
            quote(sb, text);
        }
        field(sb, "input_tokens", inputTokens);
        field(sb, "output_tokens", outputTokens);
        field(sb, "ttft_ms", ttftMs);
        field(sb, "latency_ms", latencyMs);
        if (code != null) {
            sb.append(",\"code\":");
            quote(sb, code);
        }
        if (message != null) {
            sb.append(",\"message\":");
            quote(sb, message);
        }
        if (votable != null) {
            sb.append(",\"votable\":").append(votable.booleanValue());
        }
        return sb.append("}\n\n").toString();
    }

    private static void field(StringBuilder sb, String name, Number value) {
        if (value != null) {
            sb.append(",\"").append(name).append("\":").append(value);
        }
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        JsonStringEncoder.getInstance().quoteAsString(s, sb);
        sb.append('"');
    }

    public boolean terminal() {
        return "done".equals(type) || "error".equals(type);
    }
}

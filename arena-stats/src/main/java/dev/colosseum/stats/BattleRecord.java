package dev.colosseum.stats;

import java.util.List;
import java.util.Map;

/**
 * One battle as read from a file or received from a client.
 *
 * @param line          1-based line of the record in its source (0 when not from a file)
 * @param questionId    question_id (or battle_id), may be null
 * @param modelA        left model, never null
 * @param modelB        right model, never null and different from modelA
 * @param outcome       the verdict
 * @param tstamp        seconds since the epoch, null when absent
 * @param anony         true for anonymous battles, null when the source does not say
 * @param language      may be null
 * @param turn          number of user turns, may be null
 * @param judge         voter label, may be null
 * @param categories    category tags (contract field {@code categories}), empty when absent
 * @param featuresA     numeric per-side features of side A by name (standard names: tokens, headers,
 *                      lists, bold; plus any other numeric covariate); empty when none
 * @param featuresB     the same for side B
 * @param conversationA full conversation of side A when present, else null
 * @param conversationB full conversation of side B when present, else null
 * @param userTurns     the user's messages (from user_turns, the conversations or the CSV prompt), may be null
 * @param extra         every other top-level field (String, Number, Boolean, or a Jackson JsonNode)
 */
public record BattleRecord(
        long line,
        String questionId,
        String modelA,
        String modelB,
        Outcome outcome,
        Double tstamp,
        Boolean anony,
        String language,
        Integer turn,
        String judge,
        List<String> categories,
        Map<String, Double> featuresA,
        Map<String, Double> featuresB,
        List<ChatMessage> conversationA,
        List<ChatMessage> conversationB,
        List<String> userTurns,
        Map<String, Object> extra) {

    /** The user's prompt: the user turns joined by a blank line, or null. */
    public String userPrompt() {
        if (userTurns == null || userTurns.isEmpty()) {
            return null;
        }
        return String.join("\n\n", userTurns);
    }

    /** True unless the source explicitly marks the battle as not anonymous. */
    public boolean anonymousOrUnknown() {
        return anony == null || anony;
    }

    /** The four standard style features of side A, or null when any of them is missing. */
    public StyleFeatures styleA() {
        return style(featuresA);
    }

    /** The four standard style features of side B, or null when any of them is missing. */
    public StyleFeatures styleB() {
        return style(featuresB);
    }

    private static StyleFeatures style(Map<String, Double> f) {
        if (f == null) {
            return null;
        }
        Double t = f.get(StyleFeatures.TOKENS);
        Double h = f.get(StyleFeatures.HEADERS);
        Double l = f.get(StyleFeatures.LISTS);
        Double b = f.get(StyleFeatures.BOLD);
        if (t == null || h == null || l == null || b == null) {
            return null;
        }
        return new StyleFeatures(t, h, l, b);
    }
}

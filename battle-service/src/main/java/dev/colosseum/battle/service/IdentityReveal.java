package dev.colosseum.battle.service;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Does an answer name a model or a vendor? Checked on the answers only (not the user's prompt), with
 * the vendor/model list of METHODS.md ("Vote hygiene"), consistent with vote-service.
 */
public final class IdentityReveal {
    private static final Pattern NAMES = Pattern.compile("(?i)\\b(vicuna|lmsys|chatgpt|gpt-?[345](\\.\\d)?o?|gpt|openai"
            + "|anthropic|claude|bard|palm|google|gemini|gemma|llama|meta ai|qwen|mistral|mixtral|deepseek|cohere"
            + "|command-r|grok|xai|phi-?\\d|yi-\\d|zhipu|glm-?\\d|baichuan|moonshot|kimi|nemotron|nvidia)\\b");

    private IdentityReveal() {
    }

    public static boolean reveals(List<String> answers) {
        for (String a : answers) {
            if (a != null && NAMES.matcher(a).find()) {
                return true;
            }
        }
        return false;
    }
}

package dev.colosseum.battle.provider;

/** Receives one streamed answer. Exactly one of {@link #onComplete} or {@link #onError} ends it. */
public interface StreamListener {
    void onDelta(String text);

    /** Token counts as reported by the provider, or {@code null} when it reported none. */
    void onComplete(Integer inputTokens, Integer outputTokens);

    void onError(String code, String message);
}

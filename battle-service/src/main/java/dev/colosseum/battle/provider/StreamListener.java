package dev.colosseum.battle.provider;

import java.util.concurrent.ScheduledExecutorService;

/** Receives one streamed answer. Exactly one of {@link #onComplete} or {@link #onError} ends it. */
public interface StreamListener {
    void onDelta(String text);

    /** Token counts as reported by the provider, or {@code null} when it reported none. */
    void onComplete(Integer inputTokens, Integer outputTokens);

    void onError(String code, String message);

    /**
     * Where the listener would like its callbacks to run, asked again before each one: a provider that keeps its own
     * timers (the simulated one) sets them there, so a delta is handled on the thread that writes it to the reader.
     * {@code null}: no preference. Providers that read a network stream call back on their own threads.
     */
    default ScheduledExecutorService preferredTimers() {
        return null;
    }
}

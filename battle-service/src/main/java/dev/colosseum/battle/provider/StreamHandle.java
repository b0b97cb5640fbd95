package dev.colosseum.battle.provider;

/** Stops an answer that is being streamed; idempotent. */
@FunctionalInterface
public interface StreamHandle {
    void cancel();
}

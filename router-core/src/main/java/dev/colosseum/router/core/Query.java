package dev.colosseum.router.core;

/** A prompt prepared for scoring: its text, its normalised embedding and its hand-made features. */
public record Query(String text, float[] embedding, double[] features) {
    public static Query of(String text, Embedder embedder) {
        return new Query(text, embedder.embed(text), PromptFeatures.of(text));
    }
}

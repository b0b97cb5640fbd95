package dev.colosseum.router;

/** Body of {@code POST /api/v1/router/train}: router kind, source {@code votes} or {@code file} (+ path). */
public record TrainRequest(String router, String source, String path) {
}

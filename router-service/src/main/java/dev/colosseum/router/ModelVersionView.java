package dev.colosseum.router;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;

/** A persisted router version. */
public record ModelVersionView(String router, int version, boolean active, String source, int comparisons,
                               List<String> models, @JsonProperty("trained_at") Instant trainedAt,
                               @JsonProperty("train_seconds") double trainSeconds, @JsonProperty("size_bytes") int sizeBytes) {
}

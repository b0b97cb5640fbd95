package dev.colosseum.vote;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One vote as battle-service (or any client) submits it; see docs/CONTRACTS.md. */
@Schema(description = "A vote on one battle")
public record VoteRequest(
        @NotNull @Pattern(regexp = "[A-Za-z0-9_-]{1,64}") String battleId,
        @NotNull @Pattern(regexp = ModelIds.PATTERN) String modelA,
        @NotNull @Pattern(regexp = ModelIds.PATTERN) String modelB,
        @NotNull @Pattern(regexp = "model_a|model_b|tie|tie \\(bothbad\\)") String winner,
        @Pattern(regexp = "anony|named") String mode,
        @Pattern(regexp = "[A-Za-z0-9_:-]{8,128}") String voterId,
        Instant battleStartedAt,
        Instant votedAt,
        @Min(1) @Max(1000) Integer turn,
        @Size(max = 64) @Pattern(regexp = "[\\p{L}\\p{N} ._()-]*") String language,
        @Size(max = 32) List<@NotNull @Pattern(regexp = "[A-Za-z0-9_ &/().,-]{1,64}") String> categories,
        @Size(max = 64) Map<@NotNull @Pattern(regexp = "[A-Za-z0-9_]{1,48}") String, @NotNull Double> featuresA,
        @Size(max = 64) Map<@NotNull @Pattern(regexp = "[A-Za-z0-9_]{1,48}") String, @NotNull Double> featuresB,
        @Size(max = 400) List<@NotNull @Valid Message> conversationA,
        @Size(max = 400) List<@NotNull @Valid Message> conversationB) {
}

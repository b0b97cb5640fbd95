package dev.colosseum.vote;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** One OpenAI-style chat message. */
public record Message(
        @NotNull @Pattern(regexp = "user|assistant|system") String role,
        @NotNull @Size(max = 200_000) String content) {
}

package dev.colosseum.vote;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** POST /api/v1/import/file: a file below the configured import directory, imported like a request body. */
@Schema(description = "A file below the service's import directory (VOTE_IMPORT_DIR)")
public record ImportFileRequest(
        @Schema(description = "path relative to the import directory", example = "arena/lmarena_2024_sample10k_battles.jsonl")
        String path,
        @Schema(description = "auto | jsonl | json | csv", defaultValue = "auto") String format,
        @Schema(description = "source label stored with each vote", defaultValue = "import") String source) {
}

package dev.colosseum.stats;

/**
 * A row the reader could not turn into a battle.
 *
 * @param line   1-based line in the source where the row starts
 * @param reason short machine-friendly reason: malformed_json, missing_field, unknown_winner,
 *               self_pair, bad_value, malformed_csv, io_error
 * @param message human-readable message naming the line
 */
public record BadRow(long line, String reason, String message) {
}

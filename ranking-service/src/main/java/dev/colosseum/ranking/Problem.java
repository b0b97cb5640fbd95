package dev.colosseum.ranking;

/** RFC 9457 problem details, plus the offending field when there is one. */
public record Problem(String type, String title, int status, String detail, String field) {
}

package dev.colosseum.battle;

import com.fasterxml.jackson.annotation.JsonInclude;

/** RFC 9457 problem details; {@code field} names the offending input when there is one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String field) {
    public static Problem of(int status, String title, String detail, String field) {
        String slug = title.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        return new Problem("https://colosseum.dev/problems/" + slug, title, status, detail, field);
    }
}

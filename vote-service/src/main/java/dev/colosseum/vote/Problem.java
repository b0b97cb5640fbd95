package dev.colosseum.vote;

import com.fasterxml.jackson.annotation.JsonInclude;

/** RFC 9457 problem details, with the offending field when there is one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String field) {
}

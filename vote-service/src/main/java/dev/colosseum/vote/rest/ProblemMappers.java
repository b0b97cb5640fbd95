package dev.colosseum.vote.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import dev.colosseum.vote.Problem;
import dev.colosseum.vote.ProblemException;
import jakarta.ws.rs.WebApplicationException;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.stream.Collectors;

/** Every error leaves as application/problem+json (RFC 9457). */
public class ProblemMappers {
    public static final String PROBLEM_JSON = "application/problem+json";

    @ServerExceptionMapper
    public RestResponse<Problem> problem(ProblemException e) {
        RestResponse.ResponseBuilder<Problem> b = RestResponse.ResponseBuilder.<Problem>create(e.status())
                .entity(e.toProblem()).type(PROBLEM_JSON);
        if (e.retryAfterSeconds() != null) {
            b.header("Retry-After", e.retryAfterSeconds());
        }
        return b.build();
    }

    /** A Jackson failure raised while the resource parses its own body. */
    public static final class BadJson extends RuntimeException {
        final JsonProcessingException cause;

        public BadJson(JsonProcessingException cause) {
            super(cause.getOriginalMessage(), null, false, false);
            this.cause = cause;
        }
    }

    @ServerExceptionMapper
    public RestResponse<Problem> badJsonWrapped(BadJson e) {
        return badJson(e.cause);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> mismatched(com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
        return badJson(e);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> invalidFormat(com.fasterxml.jackson.databind.exc.InvalidFormatException e) {
        return badJson(e);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> parse(com.fasterxml.jackson.core.JsonParseException e) {
        return badJson(e);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> badJson(JsonProcessingException e) {
        String field = null;
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            field = m.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
        }
        String detail = e.getOriginalMessage();
        if (detail != null && detail.length() > 300) {
            detail = detail.substring(0, 300) + "…";
        }
        return problem(new ProblemException(400, "Malformed JSON",
                (field == null ? "" : field + ": ") + detail, field));
    }

    @ServerExceptionMapper
    public RestResponse<Problem> web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        Throwable cause = e.getCause();
        if (cause instanceof JsonProcessingException j) {
            return badJson(j);
        }
        String title = e.getResponse().getStatusInfo().getReasonPhrase();
        return problem(new ProblemException(status, title == null ? "Error" : title, e.getMessage(), null));
    }
}

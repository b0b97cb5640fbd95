package dev.colosseum.ranking.rest;

import dev.colosseum.ranking.BadRequestException;
import dev.colosseum.ranking.Problem;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Client errors as RFC 9457 problem+json. */
public class ProblemMappers {
    public static final MediaType PROBLEM = new MediaType("application", "problem+json");

    @ServerExceptionMapper
    public RestResponse<Problem> badRequest(BadRequestException e) {
        return problem(400, "Bad request", e.getMessage(), e.field());
    }

    @ServerExceptionMapper
    public RestResponse<Problem> notFound(NotFoundException e) {
        return problem(404, "Not found", e.getMessage(), null);
    }

    static RestResponse<Problem> problem(int status, String title, String detail, String field) {
        return RestResponse.ResponseBuilder.create(RestResponse.Status.fromStatusCode(status),
                        new Problem("about:blank", title, status, detail, field))
                .type(PROBLEM).build();
    }
}

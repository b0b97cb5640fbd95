package dev.colosseum.router.rest;

import dev.colosseum.router.OpenAiError;
import dev.colosseum.router.Problem;
import dev.colosseum.router.RouterException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** OpenAI-shaped errors for the /v1 and route APIs; problem+json for the admin APIs. */
public class ErrorMappers {
    /** An admin-API client error. */
    public static class ProblemException extends RuntimeException {
        final int status;
        final String field;

        public ProblemException(int status, String detail, String field) {
            super(detail);
            this.status = status;
            this.field = field;
        }
    }

    @ServerExceptionMapper
    public RestResponse<OpenAiError> router(RouterException e) {
        return RestResponse.ResponseBuilder.create(RestResponse.Status.fromStatusCode(e.status()), e.body()).type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    @ServerExceptionMapper
    public RestResponse<Problem> problem(ProblemException e) {
        String title = e.status == 401 ? "Unauthorized" : e.status == 404 ? "Not Found" : "Bad Request";
        return RestResponse.ResponseBuilder.create(RestResponse.Status.fromStatusCode(e.status), new Problem("about:blank", title, e.status, e.getMessage(), e.field))
                .type("application/problem+json").build();
    }

    @ServerExceptionMapper
    public RestResponse<Problem> web(WebApplicationException e) {
        int s = e.getResponse().getStatus();
        Response.Status st = Response.Status.fromStatusCode(s);
        return RestResponse.ResponseBuilder.create(RestResponse.Status.fromStatusCode(s), new Problem("about:blank", st == null ? "Error" : st.getReasonPhrase(), s,
                e.getMessage(), null)).type("application/problem+json").build();
    }
}

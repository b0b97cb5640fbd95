package dev.colosseum.battle.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.colosseum.battle.Problem;
import dev.colosseum.battle.ProblemException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves as application/problem+json. */
public class ProblemMapper {
    private static final String PROBLEM = "application/problem+json";

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return Response.status(e.problem().status()).type(PROBLEM).entity(e.problem()).build();
    }

    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e) {
        Problem p = Problem.of(400, "Malformed JSON", e.getOriginalMessage(), null);
        return Response.status(400).type(PROBLEM).entity(p).build();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String title = status == 404 ? "Not found" : status == 405 ? "Method not allowed"
                : status == 415 ? "Unsupported media type" : status == 400 ? "Bad request" : "Request failed";
        Problem p = Problem.of(status, title, e.getMessage(), null);
        return Response.status(status).type(PROBLEM).entity(p).build();
    }
}

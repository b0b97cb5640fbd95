package dev.colosseum.vote.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colosseum.vote.Conversation;
import dev.colosseum.vote.Exclusion;
import dev.colosseum.vote.ExclusionEvent;
import dev.colosseum.vote.ExclusionReport;
import dev.colosseum.vote.LogItem;
import dev.colosseum.vote.LogPage;
import dev.colosseum.vote.Message;
import dev.colosseum.vote.ProblemException;
import dev.colosseum.vote.VoteReceipt;
import dev.colosseum.vote.VoteRequest;
import dev.colosseum.vote.VoteView;
import dev.colosseum.vote.repository.ConversationEntity;
import dev.colosseum.vote.repository.ExclusionEntity;
import dev.colosseum.vote.repository.VoteRepository;
import dev.colosseum.vote.service.ClientKeys;
import dev.colosseum.vote.service.VoteService;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

@Path("/api/v1/votes")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "votes")
public class VoteResource {
    private static final Pattern CURSOR = Pattern.compile("(\\d{1,18})-(\\d{1,18})");
    private static final TypeReference<List<Message>> MESSAGES = new TypeReference<>() { };

    private final VoteService votes;
    private final VoteRepository repository;
    private final ObjectMapper json;

    public VoteResource(VoteService votes, VoteRepository repository, ObjectMapper json) {
        this.votes = votes;
        this.repository = repository;
        this.json = json;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Store one vote (idempotent)")
    @APIResponse(responseCode = "201", description = "stored")
    @APIResponse(responseCode = "200", description = "a retry: the first result")
    @APIResponse(responseCode = "400", description = "malformed or invalid; nothing stored")
    @APIResponse(responseCode = "409", description = "a different vote exists for this battle or key")
    @APIResponse(responseCode = "422", description = "unknown model or inconsistent fields")
    @APIResponse(responseCode = "429", description = "rate limit or daily cap; see Retry-After")
    @APIResponse(responseCode = "503", description = "storage unavailable, nothing committed; retry with the same key")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = VoteRequest.class)))
    public Uni<RestResponse<VoteReceipt>> post(
            byte[] body,
            @Parameter(description = "defaults to battle_id") @HeaderParam("Idempotency-Key") String idempotencyKey,
            @HeaderParam("X-Forwarded-For") String forwardedFor,
            @Context HttpServerRequest http) {
        String address = forwardedFor != null && !forwardedFor.isBlank() ? forwardedFor.split(",")[0].trim()
                : http.remoteAddress() == null ? "unknown" : http.remoteAddress().hostAddress();
        // parsed from the raw bytes so that invalid UTF-8 is an error, not silently replaced
        VoteRequest request;
        try {
            request = body == null || body.length == 0 ? null : json.readValue(strictUtf8(body), VoteRequest.class);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new ProblemException(400, "Malformed JSON", "the body is not valid UTF-8", null);
        } catch (java.io.IOException e) {
            if (e instanceof JsonProcessingException j) {
                throw new ProblemMappers.BadJson(j);
            }
            throw new ProblemException(400, "Malformed JSON", "unreadable body", null);
        }
        return votes.accept(request, idempotencyKey, ClientKeys.of(address)).map(a -> a.created()
                ? RestResponse.status(RestResponse.Status.CREATED, a.receipt())
                : RestResponse.ok(a.receipt()));
    }

    /** Decodes UTF-8 rejecting malformed, overlong and surrogate sequences. */
    static String strictUtf8(byte[] body) throws java.nio.charset.CharacterCodingException {
        return java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                .decode(java.nio.ByteBuffer.wrap(body)).toString();
    }

    @GET
    @Operation(summary = "Read the vote log in commit order (cursor paging)")
    public Uni<LogPage> log(@QueryParam("after") String after, @QueryParam("limit") @DefaultValue("500") int limit) {
        long xid = 0;
        long id = 0;
        if (after != null && !after.isEmpty()) {
            Matcher m = CURSOR.matcher(after);
            if (!m.matches()) {
                throw new ProblemException(400, "Invalid cursor", "cursor must be a next_cursor value", "after");
            }
            xid = Long.parseLong(m.group(1));
            id = Long.parseLong(m.group(2));
        }
        if (limit < 1 || limit > 5000) {
            throw new ProblemException(400, "Invalid limit", "limit must be within 1..5000", "limit");
        }
        String given = after == null ? "" : after;
        return repository.logPage(xid, id, limit + 1).map(items -> {
            boolean more = items.size() > limit;
            List<LogItem> page = more ? items.subList(0, limit) : items;
            String next = page.isEmpty() ? given : page.get(page.size() - 1).cursor();
            return new LogPage(page, next, more);
        });
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One vote without its conversation")
    public Uni<VoteView> one(@PathParam("id") long id) {
        return repository.find(id).map(v -> {
            if (v == null) {
                throw new ProblemException(404, "Not found", "no vote " + id, "id");
            }
            return v;
        });
    }

    @GET
    @Path("/{id}/conversation")
    @Operation(summary = "The conversations of a vote")
    public Uni<Conversation> conversation(@PathParam("id") long id) {
        return Panache.withSession(() -> ConversationEntity.<ConversationEntity>findById(id)).map(c -> {
            if (c == null) {
                throw new ProblemException(404, "Not found", "vote " + id + " has no stored conversation", "id");
            }
            return new Conversation(id, messages(c.conversationA), messages(c.conversationB));
        });
    }

    @GET
    @Path("/{id}/exclusions")
    @Operation(summary = "Why a vote is excluded from leaderboards (rule and evidence)")
    public Uni<ExclusionReport> exclusions(@PathParam("id") long id) {
        return repository.find(id).chain(v -> {
            if (v == null) {
                throw new ProblemException(404, "Not found", "no vote " + id, "id");
            }
            return Panache.withSession(() -> ExclusionEntity.<ExclusionEntity>list("voteId = ?1 order by id", id))
                    .map(rules -> report(v, rules));
        });
    }

    private static ExclusionReport report(VoteView v, List<ExclusionEntity> history) {
        // the rules in force: each current reason with the evidence of its latest application
        java.util.Map<String, ExclusionEntity> latest = new java.util.LinkedHashMap<>();
        for (ExclusionEntity e : history) {
            if ("exclude".equals(e.action)) {
                latest.put(e.rule, e);
            }
        }
        List<Exclusion> rules = v.exclusionReasons().stream().filter(latest::containsKey).map(latest::get)
                .map(r -> new Exclusion(r.rule, r.detail, r.decidedAt)).toList();
        return new ExclusionReport(v.id(), v.battleId(), v.excluded(), v.exclusionReasons(), rules,
                history.stream().map(r -> new ExclusionEvent(r.rule, r.action, r.detail, r.decidedAt)).toList());
    }

    private List<Message> messages(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readValue(text, MESSAGES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored conversation unreadable", e);
        }
    }
}

package dev.colosseum.battle.rest;

import dev.colosseum.battle.Battle;
import dev.colosseum.battle.BattleView;
import dev.colosseum.battle.ModelSpec;
import dev.colosseum.battle.ProblemException;
import dev.colosseum.battle.RevealedModel;
import dev.colosseum.battle.VoteResult;
import dev.colosseum.battle.config.BattleConfig;
import dev.colosseum.battle.service.BattleService;
import dev.colosseum.battle.service.VoteService;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** Battles: start, stream, follow up, regenerate, vote, leave. */
@Path("/api/v1/battles")
@Produces(MediaType.APPLICATION_JSON)
public class BattleResource {
    private final BattleService battles;
    private final VoteService votes;
    private final BattleConfig config;

    public BattleResource(BattleService battles, VoteService votes, BattleConfig config) {
        this.battles = battles;
        this.votes = votes;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<BattleView>> start(Requests.StartBattle body, @HeaderParam("X-Voter-Id") String voter,
                                               @Context HttpServerRequest request) {
        if (body == null) {
            throw new ProblemException(422, "Empty prompt", "a JSON body with a prompt is required", "prompt");
        }
        String voterId = voterId(voter, request);
        return battles.start(new BattleService.StartRequest(body.prompt(), body.mode(), body.modelA(), body.modelB(),
                        body.seed()), voterId)
                .map(b -> RestResponse.ResponseBuilder.<BattleView>created(URI.create("/api/v1/battles/" + b.id))
                        .entity(view(b)).build());
    }

    @GET
    @Path("/{id}")
    public Uni<BattleView> get(@PathParam("id") String id) {
        return battles.find(id).map(this::view);
    }

    @POST
    @Path("/{id}/messages")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<BattleView> followUp(@PathParam("id") String id, Requests.FollowUp body) {
        if (body == null) {
            throw new ProblemException(422, "Empty prompt", "a JSON body with a prompt is required", "prompt");
        }
        return battles.find(id).map(b -> view(battles.followUp(id, body.prompt(), body.seed())));
    }

    @POST
    @Path("/{id}/regenerate")
    public Uni<BattleView> regenerate(@PathParam("id") String id, Requests.Regenerate body) {
        return battles.find(id).map(b -> view(battles.regenerate(id, body == null ? null : body.seed())));
    }

    @POST
    @Path("/{id}/vote")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<VoteResult> vote(@PathParam("id") String id, Requests.Vote body) {
        if (body == null) {
            throw new ProblemException(422, "Invalid winner", "a JSON body with winner is required", "winner");
        }
        return votes.vote(id, body.winner());
    }

    /** The voter left: generation stops and the battle is forgotten. */
    @DELETE
    @Path("/{id}")
    public Uni<RestResponse<Void>> leave(@PathParam("id") String id) {
        return battles.find(id).map(b -> {
            battles.abandon(id);
            return RestResponse.<Void>noContent();
        });
    }

    private BattleView view(Battle b) {
        synchronized (b) {
            Battle.Turn t = b.current();
            boolean showNames = !Battle.ANONY.equals(b.mode) || b.voted;
            List<RevealedModel> models = showNames ? b.models.stream().map(ModelSpec::reveal).toList() : null;
            boolean votable = !Battle.DIRECT.equals(b.mode) && t.finished && !b.voted && !b.voting
                    && b.turns.stream().noneMatch(Battle.Turn::anyFailed);
            return new BattleView(b.id, b.mode, t.number, config.maxTurns(), t.finished, votable, b.voted,
                    "/api/v1/battles/" + b.id + "/events", models, BattleService.conversation(b, 0),
                    b.sides() > 1 ? BattleService.conversation(b, 1) : null, (VoteResult) b.voteResult);
        }
    }

    private String voterId(String header, HttpServerRequest request) {
        String raw = header != null && !header.isBlank() ? "client:" + header
                : "addr:" + (request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress());
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(config.voterSalt().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest(raw.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

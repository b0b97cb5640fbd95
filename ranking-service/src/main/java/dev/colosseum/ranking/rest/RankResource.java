package dev.colosseum.ranking.rest;

import dev.colosseum.ranking.BadRequestException;
import dev.colosseum.stats.BattleFormatException;
import dev.colosseum.stats.BattleReader;
import dev.colosseum.stats.BattleSet;
import dev.colosseum.stats.RankOptions;
import dev.colosseum.stats.RankResult;
import dev.colosseum.stats.Ranker;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Locale;

/** Stateless ranking of the battles in the request body: the same JSON as {@code ./colosseum rank --format json}. */
@Path("/api/v1/rank")
@Tag(name = "ranking")
public class RankResource {

    @POST
    @Consumes({"application/x-ndjson", "application/jsonl", MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN, "text/csv",
            MediaType.APPLICATION_OCTET_STREAM})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Rank the battles of the body (JSONL, JSON array or CSV) without touching the store",
            description = "Anonymous battles only (as the rank command). Bad input is a 400 naming the line.")
    public Uni<RankResult> rank(byte[] body,
                                @Parameter(description = "sandwich (default) | bootstrap | simultaneous")
                                @QueryParam("ci") String ci,
                                @QueryParam("rounds") String rounds,
                                @QueryParam("seed") String seed,
                                @QueryParam("style_control") String styleControl,
                                @Parameter(description = "MODEL=RATING") @QueryParam("anchor") String anchor,
                                @QueryParam("exclude_ties") String excludeTies,
                                @QueryParam("min_battles") String minBattles,
                                @Parameter(description = "newton (default, the exact MLE) | fastchat (FastChat's L-BFGS replayed)")
                                @QueryParam("solver") String solver,
                                @Parameter(description = "with an anchor: relative (default) | shifted (FastChat's restated intervals)")
                                @QueryParam("anchor_ci") String anchorCi) {
        RankOptions o = RankOptions.defaults();
        if (ci != null && !ci.isBlank()) {
            o = switch (ci.trim().toLowerCase(Locale.ROOT)) {
                case "sandwich" -> o.withCi(RankOptions.CiMethod.SANDWICH);
                case "bootstrap" -> o.withCi(RankOptions.CiMethod.BOOTSTRAP);
                case "simultaneous" -> o.withCi(RankOptions.CiMethod.SIMULTANEOUS);
                default -> throw new BadRequestException("ci", "ci must be sandwich, bootstrap or simultaneous, got '" + ci + "'");
            };
        }
        o = o.withRounds(Params.integer("rounds", rounds, o.rounds(), 1, 2000))
                .withSeed(Params.longValue("seed", seed, o.seed()))
                .withStyleControl(Params.bool("style_control", styleControl, false))
                .withExcludeTies(Params.bool("exclude_ties", excludeTies, false))
                .withMinBattles(Params.integer("min_battles", minBattles, 0, 0, Integer.MAX_VALUE));
        if (solver != null && !solver.isBlank()) {
            o = switch (solver.trim().toLowerCase(Locale.ROOT)) {
                case "newton" -> o.withSolver(RankOptions.Solver.NEWTON);
                case "fastchat" -> o.withSolver(RankOptions.Solver.FASTCHAT_LBFGS);
                default -> throw new BadRequestException("solver", "solver must be newton or fastchat, got '" + solver + "'");
            };
        }
        if (anchorCi != null && !anchorCi.isBlank()) {
            o = switch (anchorCi.trim().toLowerCase(Locale.ROOT)) {
                case "relative" -> o.withAnchorCi(RankOptions.AnchorCi.RELATIVE);
                case "shifted" -> o.withAnchorCi(RankOptions.AnchorCi.SHIFTED);
                default -> throw new BadRequestException("anchor_ci", "anchor_ci must be relative or shifted, got '" + anchorCi + "'");
            };
        }
        if (anchor != null && !anchor.isBlank()) {
            int eq = anchor.lastIndexOf('=');
            if (eq <= 0) {
                throw new BadRequestException("anchor", "anchor must be MODEL=RATING");
            }
            o = o.withAnchor(anchor.substring(0, eq).trim(), Params.number("anchor", anchor.substring(eq + 1), 0, -1e6, 1e6));
        }
        if (body == null || body.length == 0) {
            throw new BadRequestException("body", "the body must hold battles (JSONL, JSON array or CSV)");
        }
        RankOptions options = o;
        return Uni.createFrom().item(() -> {
            try {
                BattleSet set = BattleReader.readSet(new ByteArrayInputStream(body), true);
                return Ranker.rank(set, options);
            } catch (BattleFormatException e) {
                throw new BadRequestException("body", e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new BadRequestException(e.getMessage() != null && e.getMessage().startsWith("anchor") ? "anchor" : "body",
                        e.getMessage());
            } catch (IOException e) {
                throw new BadRequestException("body", "unreadable body: " + e.getMessage());
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}

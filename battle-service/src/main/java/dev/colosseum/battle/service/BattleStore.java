package dev.colosseum.battle.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colosseum.battle.Battle;
import dev.colosseum.battle.VoteResult;
import dev.colosseum.battle.config.BattleConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Battles whose turn has finished, in battle-service's own schema ({@code battle.completed_battle}), so a
 * battle stays visible, continuable and votable after a restart. One upsert per finished turn and one update
 * per vote, both asynchronous: the streaming path never waits for the database.
 */
@ApplicationScoped
public class BattleStore {
    private static final Logger LOG = Logger.getLogger(BattleStore.class);
    private static final TypeReference<List<StoredTurn>> TURNS = new TypeReference<>() {
    };

    /** One side's answer to a finished turn. */
    public record StoredSide(String text, String status, @JsonProperty("error_code") String errorCode,
                             @JsonProperty("error_message") String errorMessage, @JsonProperty("ttft_ms") Long ttftMs,
                             @JsonProperty("latency_ms") Long latencyMs, @JsonProperty("input_tokens") Integer inputTokens,
                             @JsonProperty("output_tokens") Integer outputTokens, long seed) {
    }

    public record StoredTurn(int number, String prompt, List<StoredSide> sides) {
    }

    /** A battle as stored: everything needed to rebuild it, taken under the battle's monitor. */
    public record Snapshot(String id, String mode, List<String> models, String voterId, String pairingSource,
                           OffsetDateTime startedAt, List<StoredTurn> turns, boolean voted, VoteResult voteResult) {
    }

    private final Pool pool;
    private final ObjectMapper mapper;
    private final BattleConfig config;

    public BattleStore(Instance<Pool> pools, @ConfigProperty(name = "quarkus.datasource.reactive.url") Optional<String> url,
                       ObjectMapper mapper, BattleConfig config) {
        // without a database URL the datasource is inactive: battles then live in memory only
        this.pool = url.filter(u -> !u.isBlank()).isPresent() ? pools.get() : null;
        this.mapper = mapper;
        this.config = config;
        if (pool == null) {
            LOG.info("no database configured (DB_URL): open battles are kept in memory only");
        }
    }

    public boolean enabled() {
        return pool != null;
    }

    /** The battle's finished turns; caller holds the battle's monitor. Null when no turn has finished. */
    public static Snapshot snapshot(Battle b) {
        List<StoredTurn> turns = new ArrayList<>();
        for (Battle.Turn t : b.turns) {
            if (!t.finished) {
                break;
            }
            List<StoredSide> sides = new ArrayList<>();
            for (Battle.SideRun r : t.sides) {
                sides.add(new StoredSide(r.text.toString(), r.status, r.errorCode, r.errorMessage, r.ttftMs, r.latencyMs,
                        r.inputTokens, r.outputTokens, r.seed));
            }
            turns.add(new StoredTurn(t.number, t.prompt, sides));
        }
        if (turns.isEmpty()) {
            return null;
        }
        return new Snapshot(b.id, b.mode, b.models.stream().map(m -> m.id()).toList(), b.voterId, b.pairingSource,
                b.startedAt.atOffset(ZoneOffset.UTC), turns, b.voted, (VoteResult) b.voteResult);
    }

    /** Upserts the snapshot in the background; a failure is logged (the battle lives on in memory). */
    public void save(Snapshot s) {
        if (s == null || pool == null) {
            return;
        }
        String turns;
        String vote;
        try {
            turns = mapper.writeValueAsString(s.turns());
            vote = s.voteResult() == null ? null : mapper.writeValueAsString(s.voteResult());
        } catch (JsonProcessingException e) {
            LOG.errorf("battle %s could not be serialised: %s", s.id(), e.getMessage());
            return;
        }
        pool.preparedQuery("INSERT INTO battle.completed_battle (id, mode, models, voter_id, pairing_source, started_at, turns,"
                        + " voted, vote_result, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb, $8, $9::text::jsonb, now())"
                        + " ON CONFLICT (id) DO UPDATE SET turns = EXCLUDED.turns, voted = EXCLUDED.voted,"
                        + " vote_result = EXCLUDED.vote_result, updated_at = now()")
                .execute(Tuple.from(List.of(s.id(), s.mode(), s.models().toArray(new String[0]), s.voterId(),
                        s.pairingSource(), s.startedAt(), turns, s.voted())).addValue(vote))
                .subscribe().with(rows -> { },
                        err -> LOG.warnf("battle %s not persisted: %s", s.id(), err.getMessage()));
    }

    /** Forgets a battle (the voter left). */
    public void delete(String id) {
        if (pool == null) {
            return;
        }
        pool.preparedQuery("DELETE FROM battle.completed_battle WHERE id = $1").execute(Tuple.of(id))
                .subscribe().with(rows -> { }, err -> LOG.warnf("battle %s not deleted: %s", id, err.getMessage()));
    }

    /** The stored battle, if any and younger than the battle time-to-live. */
    public Uni<Optional<Snapshot>> load(String id) {
        if (pool == null) {
            return Uni.createFrom().item(Optional.empty());
        }
        return pool.preparedQuery("SELECT id, mode, models, voter_id, pairing_source, started_at, turns::text AS turns,"
                        + " voted, vote_result::text AS vote_result FROM battle.completed_battle"
                        + " WHERE id = $1 AND updated_at > now() - make_interval(secs => $2)")
                .execute(Tuple.of(id, (double) config.battleTtl().toSeconds()))
                .map(rows -> {
                    var it = rows.iterator();
                    return it.hasNext() ? Optional.of(read(it.next())) : Optional.empty();
                });
    }

    /** Drops battles idle for longer than the time-to-live. */
    public Uni<Integer> expire() {
        if (pool == null) {
            return Uni.createFrom().item(0);
        }
        return pool.preparedQuery("DELETE FROM battle.completed_battle WHERE updated_at < now() - make_interval(secs => $1)")
                .execute(Tuple.of((double) config.battleTtl().toSeconds())).map(r -> r.rowCount());
    }

    private Snapshot read(Row r) {
        try {
            List<StoredTurn> turns = mapper.readValue(r.getString("turns"), TURNS);
            String vote = r.getString("vote_result");
            return new Snapshot(r.getString("id"), r.getString("mode"), List.of(r.getArrayOfStrings("models")),
                    r.getString("voter_id"), r.getString("pairing_source"), r.getOffsetDateTime("started_at"), turns,
                    r.getBoolean("voted"), vote == null ? null : mapper.readValue(vote, VoteResult.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored battle " + r.getString("id") + " is unreadable: " + e.getMessage(), e);
        }
    }
}

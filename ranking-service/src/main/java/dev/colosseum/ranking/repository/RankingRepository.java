package dev.colosseum.ranking.repository;

import dev.colosseum.ranking.IngestedVote;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Schema {@code ranking}: the ingested votes and the follower's cursor, shared by every replica. A page of
 * the log is written in one transaction together with its cursor, so the stored votes are always exactly
 * those before the cursor; see {@link #commitPage} for how several replicas write without double counting.
 */
@ApplicationScoped
public class RankingRepository {
    private static final String INSERT = "INSERT INTO ranking.vote (id, battle_id, model_a, model_b, outcome, voted_at,"
            + " turn, language, categories, features_a, features_b, excluded, exclusion_reasons)"
            + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (id) DO NOTHING";

    private static final int RELOAD_PAGE = 20_000;

    private final Pool pool;

    public RankingRepository(Pool pool) {
        this.pool = pool;
    }

    /** The follower's position and the number of log items taken so far. */
    public record FollowerState(String cursor, long ingested) {
    }

    /** An exclusion change to persist: the vote's new flag and reasons. */
    public record ExclusionChange(long voteId, boolean excluded, List<String> reasons) {
    }

    /** One item of a log page, in log order. */
    public sealed interface LogOp permits VoteOp, ExclusionOp, SkippedOp {
        LogPosition position();
    }

    /** A vote to keep (anonymous, well formed). */
    public record VoteOp(LogPosition position, IngestedVote vote) implements LogOp {
    }

    /** An exclusion decision about an earlier vote. */
    public record ExclusionOp(LogPosition position, long voteId, boolean excluded, List<String> reasons) implements LogOp {
    }

    /** An item that never counts (named mode, malformed); it still moves the cursor. */
    public record SkippedOp(LogPosition position) implements LogOp {
    }

    /** What a page commit wrote: items beyond the stored cursor, and the cursor stored afterwards. */
    public record Committed(long newItems, long newVotes, String storedCursor, long storedIngested) {
    }

    /**
     * Reads the stored state in one REPEATABLE READ snapshot: the cursor, the number of log items behind it,
     * and every stored vote in ingest (= log) order, handed to {@code sink} page by page. Other replicas may
     * commit meanwhile; the snapshot still shows exactly the votes before the cursor it returns.
     */
    public Uni<FollowerState> reload(Consumer<List<IngestedVote>> sink) {
        return pool.withTransaction(conn -> conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                .execute()
                .flatMap(x -> conn.query("SELECT log_cursor, ingested FROM ranking.follower_state WHERE id = 1").execute())
                .flatMap(rows -> {
                    Row r = rows.iterator().next();
                    FollowerState st = new FollowerState(r.getString("log_cursor"), r.getLong("ingested"));
                    return reloadFrom(conn, Long.MIN_VALUE, sink).replaceWith(st);
                }));
    }

    private Uni<Void> reloadFrom(SqlConnection conn, long afterOrder, Consumer<List<IngestedVote>> sink) {
        return conn.preparedQuery("SELECT id, battle_id, model_a, model_b, outcome, voted_at, turn, language, categories,"
                        + " features_a, features_b, excluded, exclusion_reasons, ingest_order FROM ranking.vote"
                        + " WHERE ingest_order > $1 ORDER BY ingest_order LIMIT $2")
                .execute(Tuple.of(afterOrder, RELOAD_PAGE))
                .flatMap(rows -> {
                    List<IngestedVote> votes = new ArrayList<>(rows.size());
                    long last = afterOrder;
                    for (Row r : rows) {
                        votes.add(fromRow(r));
                        last = r.getLong("ingest_order");
                    }
                    sink.accept(votes);
                    if (votes.size() < RELOAD_PAGE) {
                        return Uni.createFrom().voidItem();
                    }
                    return reloadFrom(conn, last, sink);
                });
    }

    /**
     * Stores one log page. The transaction locks the state row, so page commits of all replicas are
     * serialised; only the items after the stored cursor are written (the others are there already, written
     * by whichever replica got there first), in log order, and the cursor only moves forward. Nothing is
     * written twice and no replica ever has to wait for or undo another.
     */
    public Uni<Committed> commitPage(List<LogOp> ops, String newCursor) {
        LogPosition next = LogPosition.parse(newCursor);
        return pool.withTransaction(conn -> conn
                .query("SELECT log_cursor, ingested FROM ranking.follower_state WHERE id = 1 FOR UPDATE").execute()
                .flatMap(rows -> {
                    Row r = rows.iterator().next();
                    String stored = r.getString("log_cursor");
                    long ingested = r.getLong("ingested");
                    LogPosition storedPos = LogPosition.parse(stored);
                    if (!next.after(storedPos)) {
                        return Uni.createFrom().item(new Committed(0, 0, stored, ingested));
                    }
                    Map<Long, IngestedVote> inserts = new LinkedHashMap<>();
                    Map<Long, ExclusionOp> updates = new LinkedHashMap<>();
                    long fresh = 0;
                    for (LogOp op : ops) {
                        if (!op.position().after(storedPos)) {
                            continue;
                        }
                        fresh++;
                        if (op instanceof VoteOp v) {
                            inserts.putIfAbsent(v.vote().id(), v.vote());
                        } else if (op instanceof ExclusionOp e) {
                            IngestedVote pending = inserts.get(e.voteId());
                            if (pending != null) {
                                inserts.put(e.voteId(), withExclusion(pending, e.excluded(), e.reasons()));
                            } else {
                                updates.remove(e.voteId());
                                updates.put(e.voteId(), e);
                            }
                        }
                    }
                    long newItems = fresh;
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    if (!inserts.isEmpty()) {
                        List<Tuple> tuples = new ArrayList<>(inserts.size());
                        for (IngestedVote v : inserts.values()) {
                            tuples.add(tuple(v));
                        }
                        chain = chain.flatMap(x -> conn.preparedQuery(INSERT).executeBatch(tuples).replaceWithVoid());
                    }
                    if (!updates.isEmpty()) {
                        List<Tuple> tuples = new ArrayList<>(updates.size());
                        for (ExclusionOp e : updates.values()) {
                            tuples.add(Tuple.of(e.voteId(), e.excluded(), e.reasons().toArray(new String[0])));
                        }
                        chain = chain.flatMap(x -> conn.preparedQuery(
                                        "UPDATE ranking.vote SET excluded = $2, exclusion_reasons = $3 WHERE id = $1")
                                .executeBatch(tuples).replaceWithVoid());
                    }
                    return chain.flatMap(x -> conn.preparedQuery("UPDATE ranking.follower_state SET log_cursor = $1,"
                                    + " ingested = ingested + $2, updated_at = now() WHERE id = 1")
                            .execute(Tuple.of(newCursor, newItems)))
                            .map(x -> new Committed(newItems, inserts.size(), newCursor, ingested + newItems));
                }));
    }

    /** The vote with another exclusion state. */
    public static IngestedVote withExclusion(IngestedVote v, boolean flag, List<String> reasons) {
        return new IngestedVote(v.id(), v.battleId(), v.modelA(), v.modelB(), v.outcome(), v.votedAt(), v.turn(),
                v.language(), v.categories(), v.featuresA(), v.featuresB(), flag, reasons);
    }

    public Uni<Long> count() {
        return pool.query("SELECT count(*) AS n FROM ranking.vote").execute()
                .map(rows -> rows.iterator().next().getLong("n"));
    }

    private static Tuple tuple(IngestedVote v) {
        return Tuple.tuple(Arrays.asList(v.id(), v.battleId(), v.modelA(), v.modelB(), (short) v.outcome(),
                OffsetDateTime.ofInstant(v.votedAt(), ZoneOffset.UTC), v.turn(), v.language(),
                v.categories().toArray(new String[0]), json(v.featuresA()), json(v.featuresB()), v.excluded(),
                v.exclusionReasons().toArray(new String[0])));
    }

    private static JsonObject json(Map<String, Double> features) {
        return features == null ? null : new JsonObject(new HashMap<>(features));
    }

    private static Map<String, Double> features(JsonObject o) {
        if (o == null) {
            return Map.of();
        }
        Map<String, Double> m = new HashMap<>();
        for (String k : o.fieldNames()) {
            Object v = o.getValue(k);
            if (v instanceof Number n) {
                m.put(k, n.doubleValue());
            }
        }
        return m;
    }

    private static IngestedVote fromRow(Row r) {
        return new IngestedVote(r.getLong("id"), r.getString("battle_id"), r.getString("model_a"),
                r.getString("model_b"), r.getShort("outcome"), r.getOffsetDateTime("voted_at").toInstant(),
                r.getInteger("turn"), r.getString("language"), Arrays.asList(r.getArrayOfStrings("categories")),
                features(r.getJsonObject("features_a")), features(r.getJsonObject("features_b")),
                r.getBoolean("excluded"), Arrays.asList(r.getArrayOfStrings("exclusion_reasons")));
    }
}

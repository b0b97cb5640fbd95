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
import java.util.List;
import java.util.Map;

/**
 * Schema {@code ranking}: the ingested votes and the follower's cursor. A page of the log is written in
 * one transaction together with its cursor, so the stored votes are always exactly those before the cursor.
 */
@ApplicationScoped
public class RankingRepository {
    private static final String INSERT = "INSERT INTO ranking.vote (id, battle_id, model_a, model_b, outcome, voted_at,"
            + " turn, language, categories, features_a, features_b, excluded, exclusion_reasons, ingest_order)"
            + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT (id) DO NOTHING";

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

    public Uni<FollowerState> state() {
        return pool.query("SELECT log_cursor, ingested FROM ranking.follower_state WHERE id = 1").execute()
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new FollowerState(r.getString("log_cursor"), r.getLong("ingested"));
                });
    }

    /**
     * Stores new votes, exclusion changes and the new cursor atomically. {@code expectedCursor} guards
     * against a second writer: nothing is written when the stored cursor moved meanwhile.
     */
    public Uni<Boolean> commitPage(String expectedCursor, String newCursor, long items, List<IngestedVote> votes,
                                   List<ExclusionChange> exclusions, long firstOrder) {
        return pool.withTransaction(conn -> advance(conn, expectedCursor, newCursor, items)
                .flatMap(ok -> {
                    if (!ok) {
                        return Uni.createFrom().item(false);
                    }
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    if (!votes.isEmpty()) {
                        List<Tuple> tuples = new ArrayList<>(votes.size());
                        for (int i = 0; i < votes.size(); i++) {
                            tuples.add(tuple(votes.get(i), firstOrder + i));
                        }
                        chain = chain.flatMap(x -> conn.preparedQuery(INSERT).executeBatch(tuples).replaceWithVoid());
                    }
                    for (ExclusionChange e : exclusions) {
                        chain = chain.flatMap(x -> conn.preparedQuery(
                                        "UPDATE ranking.vote SET excluded = $2, exclusion_reasons = $3 WHERE id = $1")
                                .execute(Tuple.of(e.voteId(), e.excluded(), e.reasons().toArray(new String[0])))
                                .replaceWithVoid());
                    }
                    return chain.replaceWith(true);
                }));
    }

    private Uni<Boolean> advance(SqlConnection conn, String expectedCursor, String newCursor, long items) {
        return conn.preparedQuery("UPDATE ranking.follower_state SET log_cursor = $1, ingested = ingested + $2,"
                        + " updated_at = now() WHERE id = 1 AND log_cursor IS NOT DISTINCT FROM $3")
                .execute(Tuple.of(newCursor, items, expectedCursor))
                .map(rows -> rows.rowCount() == 1);
    }

    /** A page of stored votes in ingest order after {@code afterOrder} (for rebuilding state at start-up). */
    public Uni<StoredPage> page(long afterOrder, int limit) {
        return pool.preparedQuery("SELECT id, battle_id, model_a, model_b, outcome, voted_at, turn, language, categories,"
                        + " features_a, features_b, excluded, exclusion_reasons, ingest_order FROM ranking.vote"
                        + " WHERE ingest_order > $1 ORDER BY ingest_order LIMIT $2")
                .execute(Tuple.of(afterOrder, limit))
                .map(rows -> {
                    List<IngestedVote> votes = new ArrayList<>(rows.size());
                    long last = afterOrder;
                    for (Row r : rows) {
                        votes.add(fromRow(r));
                        last = r.getLong("ingest_order");
                    }
                    return new StoredPage(votes, last);
                });
    }

    public record StoredPage(List<IngestedVote> votes, long lastOrder) {
    }

    public Uni<Long> count() {
        return pool.query("SELECT count(*) AS n FROM ranking.vote").execute()
                .map(rows -> rows.iterator().next().getLong("n"));
    }

    public Uni<Long> maxOrder() {
        return pool.query("SELECT coalesce(max(ingest_order), 0) AS n FROM ranking.vote").execute()
                .map(rows -> rows.iterator().next().getLong("n"));
    }

    private static Tuple tuple(IngestedVote v, long order) {
        return Tuple.tuple(Arrays.asList(v.id(), v.battleId(), v.modelA(), v.modelB(), (short) v.outcome(),
                OffsetDateTime.ofInstant(v.votedAt(), ZoneOffset.UTC), v.turn(), v.language(),
                v.categories().toArray(new String[0]), json(v.featuresA()), json(v.featuresB()), v.excluded(),
                v.exclusionReasons().toArray(new String[0]), order));
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

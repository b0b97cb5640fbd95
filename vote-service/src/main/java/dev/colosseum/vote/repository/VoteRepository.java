package dev.colosseum.vote.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colosseum.vote.LogItem;
import dev.colosseum.vote.VoteReceipt;
import dev.colosseum.vote.VoteView;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The write path and the log: single statements on the reactive pool (the same pool Hibernate Reactive
 * uses), so that a vote, its conversation, its exclusion evidence and its log entry are one atomic
 * statement and one round trip. A vote is acknowledged only after that statement has committed.
 */
@ApplicationScoped
public class VoteRepository {
    static final String VOTE_COLUMNS = "v.id, v.battle_id, v.model_a, v.model_b, v.winner, v.mode, v.voter_id, "
            + "v.battle_started_at, v.voted_at, v.turn, v.language, v.categories, v.features_a, v.features_b, "
            + "v.source, v.question_id, v.excluded, v.exclusion_reasons";

    private static final String INSERT = """
            WITH v AS (
              INSERT INTO vote.votes (battle_id, idempotency_key, request_hash, model_a, model_b, winner, mode, voter_id,
                battle_started_at, voted_at, turn, language, categories, features_a, features_b, prompt_hash, source,
                question_id, extra, excluded, exclusion_reasons)
              VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
              ON CONFLICT DO NOTHING
              RETURNING id, excluded, exclusion_reasons),
            c AS (
              INSERT INTO vote.conversations (vote_id, conversation_a, conversation_b)
              SELECT id, $22, $23 FROM v WHERE $22::text IS NOT NULL OR $23::text IS NOT NULL),
            e AS (
              INSERT INTO vote.exclusions (vote_id, rule, detail)
              SELECT v.id, x.rule, x.detail FROM v, unnest($24::text[], $25::text[]) AS x(rule, detail)),
            l AS (
              INSERT INTO vote.vote_log (kind, vote_id, excluded, reasons)
              SELECT 'vote', id, excluded, exclusion_reasons FROM v RETURNING id)
            SELECT v.id, l.id AS seq, v.excluded, v.exclusion_reasons FROM v, l""";

    private static final String EXISTING = """
            SELECT v.id, v.battle_id, v.idempotency_key, v.request_hash, v.excluded, v.exclusion_reasons,
                   (SELECT min(l.id) FROM vote.vote_log l WHERE l.vote_id = v.id AND l.kind = 'vote') AS seq
            FROM vote.votes v WHERE v.idempotency_key = $1 OR v.battle_id = $2
            ORDER BY (v.idempotency_key = $1) DESC LIMIT 1""";

    private static final String LOG_PAGE = "WITH s AS (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS xmin) "
            + "SELECT l.id AS log_id, l.xid, l.kind, l.excluded AS log_excluded, l.reasons, " + VOTE_COLUMNS
            + " FROM vote.vote_log l JOIN vote.votes v ON v.id = l.vote_id, s"
            + " WHERE (l.xid, l.id) > ($1, $2) AND l.xid < s.xmin ORDER BY l.xid, l.id LIMIT $3";

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    private static final TypeReference<Map<String, Double>> FEATURES = new TypeReference<>() { };

    private final Pool pool;
    private final ObjectMapper json;

    public VoteRepository(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    public Pool pool() {
        return pool;
    }

    /** Inserts the vote; an empty result means the key or battle id exists already. */
    public Uni<VoteReceipt> insert(StoredVote v) {
        return pool.preparedQuery(INSERT).execute(tuple(v)).map(rows -> receipt(rows, v.battleId()));
    }

    /** Inserts many votes in one transaction; returns how many were new. */
    public Uni<Integer> insertBatch(List<StoredVote> votes) {
        if (votes.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<Tuple> tuples = new ArrayList<>(votes.size());
        for (StoredVote v : votes) {
            tuples.add(tuple(v));
        }
        return pool.withTransaction(c -> c.preparedQuery(INSERT).executeBatch(tuples)).map(rows -> {
            int stored = 0;
            for (RowSet<Row> r = rows; r != null; r = r.next()) {
                stored += r.size();
            }
            return stored;
        });
    }

    private VoteReceipt receipt(RowSet<Row> rows, String battleId) {
        if (rows.size() == 0) {
            return null;
        }
        Row r = rows.iterator().next();
        return new VoteReceipt(r.getLong("id"), battleId, r.getLong("seq"), r.getBoolean("excluded"),
                strings(r.getString("exclusion_reasons")));
    }

    public Uni<Existing> existing(String idempotencyKey, String battleId) {
        return pool.preparedQuery(EXISTING).execute(Tuple.of(idempotencyKey, battleId)).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            Row r = rows.iterator().next();
            Long seq = r.getLong("seq");
            return new Existing(r.getLong("id"), r.getString("battle_id"), r.getString("idempotency_key"),
                    r.getString("request_hash"), seq == null ? 0 : seq, r.getBoolean("excluded"),
                    strings(r.getString("exclusion_reasons")));
        });
    }

    /** Votes a voter cast since the given instant. */
    public Uni<Long> votesSince(String voterId, Instant since) {
        return pool.preparedQuery("SELECT count(*) FROM vote.votes WHERE voter_id = $1 AND created_at >= $2")
                .execute(Tuple.of(voterId, OffsetDateTime.ofInstant(since, ZoneOffset.UTC)))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** Log entries after (xid, id), only from transactions older than every running one. */
    public Uni<List<LogItem>> logPage(long afterXid, long afterId, int limit) {
        return pool.preparedQuery(LOG_PAGE).execute(Tuple.of(afterXid, afterId, limit)).map(rows -> {
            List<LogItem> items = new ArrayList<>(rows.size());
            for (Row r : rows) {
                String cursor = r.getLong("xid") + "-" + r.getLong("log_id");
                if ("vote".equals(r.getString("kind"))) {
                    VoteView v = view(r);
                    // the exclusion state as of the moment the vote entered the log; later changes follow as items
                    items.add(LogItem.vote(cursor, new VoteView(v.id(), v.battleId(), v.modelA(), v.modelB(), v.winner(),
                            v.mode(), v.voterId(), v.battleStartedAt(), v.votedAt(), v.turn(), v.language(), v.categories(),
                            v.featuresA(), v.featuresB(), v.source(), v.questionId(), r.getBoolean("log_excluded"),
                            strings(r.getString("reasons")))));
                } else {
                    items.add(LogItem.exclusion(cursor, r.getLong("id"), r.getString("battle_id"),
                            r.getBoolean("log_excluded"), strings(r.getString("reasons"))));
                }
            }
            return items;
        });
    }

    public Uni<VoteView> find(long id) {
        return pool.preparedQuery("SELECT " + VOTE_COLUMNS + " FROM vote.votes v WHERE v.id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : view(rows.iterator().next()));
    }

    public VoteView view(Row r) {
        return new VoteView(r.getLong("id"), r.getString("battle_id"), r.getString("model_a"), r.getString("model_b"),
                r.getString("winner"), r.getString("mode"), r.getString("voter_id"),
                instant(r.getOffsetDateTime("battle_started_at")), instant(r.getOffsetDateTime("voted_at")),
                r.getInteger("turn"), r.getString("language"), strings(r.getString("categories")),
                features(r.getString("features_a")), features(r.getString("features_b")), r.getString("source"),
                r.getString("question_id"), r.getBoolean("excluded"), strings(r.getString("exclusion_reasons")));
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime odt(Instant t) {
        return t == null ? null : OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    private static Tuple tuple(StoredVote v) {
        List<Object> values = new ArrayList<>(25);
        values.add(v.battleId());
        values.add(v.idempotencyKey());
        values.add(v.requestHash());
        values.add(v.modelA());
        values.add(v.modelB());
        values.add(v.winner());
        values.add(v.mode());
        values.add(v.voterId());
        values.add(odt(v.battleStartedAt()));
        values.add(odt(v.votedAt()));
        values.add(v.turn());
        values.add(v.language());
        values.add(v.categoriesJson());
        values.add(v.featuresAJson());
        values.add(v.featuresBJson());
        values.add(v.promptHash());
        values.add(v.source());
        values.add(v.questionId());
        values.add(v.extraJson());
        values.add(v.excluded());
        values.add(v.reasonsJson());
        values.add(v.conversationAJson());
        values.add(v.conversationBJson());
        values.add(v.exclusionRules().toArray(new String[0]));
        values.add(v.exclusionDetails().toArray(new String[0]));
        return Tuple.from(values);
    }

    public List<String> strings(String text) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        try {
            return json.readValue(text, STRINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON list is unreadable: " + e.getOriginalMessage(), e);
        }
    }

    public Map<String, Double> features(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return json.readValue(text, FEATURES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored features are unreadable: " + e.getOriginalMessage(), e);
        }
    }

    /** Runs work on one connection inside a transaction. */
    public <T> Uni<T> inTransaction(java.util.function.Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(work);
    }
}

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

    /**
     * One live vote ($1..$23 as in {@link #INSERT}; $24 = daily cap, 0 = none; $25/$26 = exclusion evidence).
     * "fresh" = neither the battle id nor the key is stored yet. The voter-day counter is incremented only for a
     * fresh vote below the cap (INSERT … ON CONFLICT DO UPDATE … WHERE votes < cap takes the row lock, so the
     * cap is exact under concurrency), and only then is the vote inserted, in the same statement.
     */
    private static final String INSERT_LIVE = """
            WITH fresh AS (
              SELECT 1 AS one WHERE NOT EXISTS (SELECT 1 FROM vote.votes WHERE battle_id = $1)
                AND NOT EXISTS (SELECT 1 FROM vote.votes WHERE idempotency_key = $2)),
            counted AS (
              INSERT INTO vote.voter_days AS d (voter_id, day, votes)
              SELECT $8::text, (now() AT TIME ZONE 'UTC')::date, 1 FROM fresh WHERE $8::text IS NOT NULL AND $24::int > 0
              ON CONFLICT (voter_id, day) DO UPDATE SET votes = d.votes + 1 WHERE d.votes < $24::int
              RETURNING 1 AS one),
            v AS (
              INSERT INTO vote.votes (battle_id, idempotency_key, request_hash, model_a, model_b, winner, mode, voter_id,
                battle_started_at, voted_at, turn, language, categories, features_a, features_b, prompt_hash, source,
                question_id, extra, excluded, exclusion_reasons)
              SELECT $1, $2, $3, $4, $5, $6, $7, $8::text, $9::timestamptz, $10::timestamptz, $11::int, $12, $13, $14, $15, $16,
                $17, $18, $19, $20::boolean, $21 FROM fresh
              WHERE $24::int <= 0 OR $8::text IS NULL OR EXISTS (SELECT 1 FROM counted)
              ON CONFLICT DO NOTHING
              RETURNING id, excluded, exclusion_reasons),
            c AS (
              INSERT INTO vote.conversations (vote_id, conversation_a, conversation_b)
              SELECT id, $22, $23 FROM v WHERE $22::text IS NOT NULL OR $23::text IS NOT NULL),
            e AS (
              INSERT INTO vote.exclusions (vote_id, rule, detail)
              SELECT v.id, x.rule, x.detail FROM v, unnest($25::text[], $26::text[]) AS x(rule, detail)),
            l AS (
              INSERT INTO vote.vote_log (kind, vote_id, excluded, reasons)
              SELECT 'vote', id, excluded, exclusion_reasons FROM v RETURNING id)
            SELECT EXISTS (SELECT 1 FROM fresh) AS fresh, EXISTS (SELECT 1 FROM counted) AS counted,
                   v.id, l.id AS seq, v.excluded, v.exclusion_reasons
            FROM (SELECT 1) AS one LEFT JOIN v ON true LEFT JOIN l ON true""";

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

    /** What the live-vote statement did with one vote of a batch (in batch order). */
    public record Written(VoteReceipt receipt, boolean fresh, boolean counted) {
        /** True when the vote was not stored because its voter reached the daily cap. */
        public boolean capped() {
            return receipt == null && fresh && !counted;
        }
    }

    /**
     * Stores a batch of live votes: the statement above once per vote, pipelined in one round trip and run by
     * PostgreSQL as one implicit transaction (extended protocol, a single Sync), so the batch costs one commit.
     * The result arrives after that commit. A failure fails the whole batch (nothing of it is stored).
     */
    public Uni<List<Written>> insertLive(List<StoredVote> votes, int dailyCap) {
        List<Tuple> tuples = new ArrayList<>(votes.size());
        for (StoredVote v : votes) {
            tuples.add(liveTuple(v, dailyCap));
        }
        return pool.preparedQuery(INSERT_LIVE).executeBatch(tuples).map(rows -> {
            List<Written> out = new ArrayList<>(votes.size());
            for (RowSet<Row> set = rows; set != null; set = set.next()) {
                Row r = set.iterator().next();
                Long id = r.getLong("id");
                VoteReceipt receipt = id == null ? null : new VoteReceipt(id, votes.get(out.size()).battleId(),
                        r.getLong("seq"), r.getBoolean("excluded"), strings(r.getString("exclusion_reasons")));
                out.add(new Written(receipt, r.getBoolean("fresh"), r.getBoolean("counted")));
            }
            if (out.size() != votes.size()) {
                throw new IllegalStateException("live insert returned " + out.size() + " results for " + votes.size()
                        + " votes");
            }
            return out;
        });
    }

    /** Inserts many votes (imports) in one transaction; returns how many were new. */
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
        List<Object> values = values(v);
        values.add(v.exclusionRules().toArray(new String[0]));
        values.add(v.exclusionDetails().toArray(new String[0]));
        return Tuple.from(values);
    }

    /** The parameters of {@link #INSERT_LIVE}. */
    private static Tuple liveTuple(StoredVote v, int dailyCap) {
        List<Object> values = values(v);
        values.add(dailyCap);
        values.add(v.exclusionRules().toArray(new String[0]));
        values.add(v.exclusionDetails().toArray(new String[0]));
        return Tuple.from(values);
    }

    /** $1..$23: the vote's columns, its conversations last. */
    private static List<Object> values(StoredVote v) {
        List<Object> values = new ArrayList<>(26);
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
        return values;
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

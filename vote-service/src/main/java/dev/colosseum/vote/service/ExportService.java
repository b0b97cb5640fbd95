package dev.colosseum.vote.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.colosseum.vote.ProblemException;
import dev.colosseum.vote.repository.VoteRepository;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Streams stored votes back out as FastChat clean_battle JSONL or Kaggle-layout CSV, page by page. */
@ApplicationScoped
public class ExportService {
    private static final int PAGE = 1000;
    public static final String CSV_HEADER = "id,model_a,model_b,prompt,response_a,response_b,winner_model_a,"
            + "winner_model_b,winner_tie,language,tstamp";

    /** Filters of an export. */
    public record Filter(Instant from, Instant to, String category, String model, boolean includeExcluded) {
    }

    private final VoteRepository repository;
    private final ObjectMapper json;

    public ExportService(VoteRepository repository, ObjectMapper json) {
        this.repository = repository;
        this.json = json;
    }

    public Multi<String> export(String format, Filter filter) {
        boolean csv;
        if ("jsonl".equals(format)) {
            csv = false;
        } else if ("csv".equals(format)) {
            csv = true;
        } else {
            throw new ProblemException(400, "Invalid format", "format must be jsonl or csv", "format");
        }
        AtomicLong last = new AtomicLong(0);
        Multi<String> body = Multi.createBy().repeating()
                .uni(() -> page(last.get(), filter).invoke(rows -> {
                    if (!rows.isEmpty()) {
                        last.set(rows.get(rows.size() - 1).getLong("id"));
                    }
                }))
                .whilst(rows -> rows.size() == PAGE)
                .onItem().transformToIterable(rows -> {
                    // one record per item: the streaming writer ends each item with a newline
                    List<String> out = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                        out.add(csv ? csvLine(r) : jsonLine(r));
                    }
                    return out;
                });
        return csv ? Multi.createBy().concatenating().streams(Multi.createFrom().item(CSV_HEADER), body) : body;
    }

    private Uni<List<Row>> page(long afterId, Filter f) {
        StringBuilder sql = new StringBuilder("SELECT v.id, v.battle_id, v.question_id, v.model_a, v.model_b, v.winner, "
                + "v.mode, v.voter_id, v.voted_at, v.turn, v.language, v.categories, v.features_a, v.features_b, v.extra, "
                + "c.conversation_a, c.conversation_b FROM vote.votes v LEFT JOIN vote.conversations c ON c.vote_id = v.id "
                + "WHERE v.id > $1");
        List<Object> args = new ArrayList<>();
        args.add(afterId);
        if (f.from() != null) {
            args.add(OffsetDateTime.ofInstant(f.from(), ZoneOffset.UTC));
            sql.append(" AND v.voted_at >= $").append(args.size());
        }
        if (f.to() != null) {
            args.add(OffsetDateTime.ofInstant(f.to(), ZoneOffset.UTC));
            sql.append(" AND v.voted_at < $").append(args.size());
        }
        if (f.category() != null) {
            args.add(f.category());
            sql.append(" AND v.categories::jsonb ? $").append(args.size());
        }
        if (f.model() != null) {
            args.add(f.model());
            sql.append(" AND (v.model_a = $").append(args.size()).append(" OR v.model_b = $").append(args.size()).append(')');
        }
        if (!f.includeExcluded()) {
            sql.append(" AND NOT v.excluded");
        }
        sql.append(" ORDER BY v.id LIMIT ").append(PAGE);
        return repository.pool().preparedQuery(sql.toString()).execute(Tuple.from(args)).map(rows -> {
            List<Row> list = new ArrayList<>(rows.size());
            rows.forEach(list::add);
            return list;
        });
    }

    private String jsonLine(Row r) {
        ObjectNode o = json.createObjectNode();
        String qid = r.getString("question_id");
        o.put("question_id", qid != null ? qid : r.getString("battle_id"));
        o.put("model_a", r.getString("model_a"));
        o.put("model_b", r.getString("model_b"));
        o.put("winner", r.getString("winner"));
        if (r.getString("voter_id") != null) {
            o.put("judge", r.getString("voter_id"));
        }
        if (r.getInteger("turn") != null) {
            o.put("turn", r.getInteger("turn"));
        }
        o.put("anony", "anony".equals(r.getString("mode")));
        if (r.getString("language") != null) {
            o.put("language", r.getString("language"));
        }
        OffsetDateTime t = r.getOffsetDateTime("voted_at");
        if (t != null) {
            o.put("tstamp", t.toInstant().toEpochMilli() / 1000.0);
        }
        JsonNode categories = tree(r.getString("categories"));
        if (categories instanceof ArrayNode a && !a.isEmpty()) {
            o.set("categories", a);
        }
        putTree(o, "features_a", r.getString("features_a"));
        putTree(o, "features_b", r.getString("features_b"));
        putTree(o, "conversation_a", r.getString("conversation_a"));
        putTree(o, "conversation_b", r.getString("conversation_b"));
        JsonNode extra = tree(r.getString("extra"));
        if (extra instanceof ObjectNode e) {
            for (Iterator<Map.Entry<String, JsonNode>> it = e.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> x = it.next();
                if (!o.has(x.getKey())) {
                    o.set(x.getKey(), x.getValue());
                }
            }
        }
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private String csvLine(Row r) {
        String qid = r.getString("question_id");
        String winner = r.getString("winner");
        JsonNode convA = tree(r.getString("conversation_a"));
        JsonNode convB = tree(r.getString("conversation_b"));
        ArrayNode prompts = json.createArrayNode();
        ArrayNode answersA = json.createArrayNode();
        ArrayNode answersB = json.createArrayNode();
        if (convA != null) {
            for (JsonNode m : convA) {
                if ("user".equals(m.path("role").asText())) {
                    prompts.add(m.path("content").asText());
                } else if ("assistant".equals(m.path("role").asText())) {
                    answersA.add(m.path("content").asText());
                }
            }
        }
        if (convB != null) {
            for (JsonNode m : convB) {
                if ("assistant".equals(m.path("role").asText())) {
                    answersB.add(m.path("content").asText());
                }
            }
        }
        OffsetDateTime t = r.getOffsetDateTime("voted_at");
        return String.join(",",
                csv(qid != null ? qid : r.getString("battle_id")), csv(r.getString("model_a")), csv(r.getString("model_b")),
                csv(convA == null ? "" : prompts.toString()), csv(convA == null ? "" : answersA.toString()),
                csv(convB == null ? "" : answersB.toString()),
                "model_a".equals(winner) ? "1" : "0", "model_b".equals(winner) ? "1" : "0",
                winner.startsWith("tie") ? "1" : "0", csv(r.getString("language")),
                t == null ? "" : String.valueOf(t.toInstant().toEpochMilli() / 1000.0));
    }

    /** RFC 4180 field quoting. */
    static String csv(String s) {
        if (s == null) {
            return "";
        }
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    private void putTree(ObjectNode o, String name, String text) {
        JsonNode n = tree(text);
        if (n != null && !n.isNull()) {
            o.set(name, n);
        }
    }

    private JsonNode tree(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON unreadable", e);
        }
    }
}

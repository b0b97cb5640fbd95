package dev.colosseum.vote.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colosseum.stats.BattleReader;
import dev.colosseum.stats.BattleRecord;
import dev.colosseum.stats.ChatMessage;
import dev.colosseum.vote.ImportSummary;
import dev.colosseum.vote.Message;
import dev.colosseum.vote.ModelIds;
import dev.colosseum.vote.ProblemException;
import dev.colosseum.vote.repository.StoredVote;
import dev.colosseum.vote.repository.VoteRepository;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * Streams a battle file through arena-stats' {@link BattleReader} into the vote table, in batches of
 * one transaction each. Battle ids are the rows' question_id when usable, otherwise a hash of the row, so
 * importing the same file twice stores nothing new.
 */
@ApplicationScoped
public class ImportService {
    private static final Logger LOG = Logger.getLogger(ImportService.class);
    private static final Pattern BATTLE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern SOURCE = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final int BATCH = 500;

    private final VoteRepository repository;
    private final ModelRegistry models;
    private final IdentityRevealFilter revealFilter;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final ReentrantLock running = new ReentrantLock();
    private final java.util.Optional<String> importDir;
    private volatile ImportSummary status = new ImportSummary(null, "idle", 0, 0, 0, Map.of(), 0);

    public ImportService(VoteRepository repository, ModelRegistry models, IdentityRevealFilter revealFilter,
                         ObjectMapper json, MeterRegistry meters, dev.colosseum.vote.config.VoteConfig config) {
        this.importDir = config.importDir().filter(d -> !d.isBlank());
        this.repository = repository;
        this.models = models;
        this.revealFilter = revealFilter;
        this.json = json;
        this.meters = meters;
    }

    public ImportSummary status() {
        return status;
    }

    /**
     * Imports a file below the configured import directory, streamed from disk (request bodies are capped by
     * the HTTP body limit; files are not). The path must stay inside the directory, symbolic links resolved.
     */
    public ImportSummary importFile(String path, String format, String source) {
        if (importDir.isEmpty()) {
            throw new ProblemException(403, "Import from files disabled",
                    "set VOTE_IMPORT_DIR (colosseum.vote.import-dir) to the directory admins may import from", null);
        }
        if (path == null || path.isBlank() || path.indexOf('\0') >= 0) {
            throw new ProblemException(400, "Invalid path", "path is required, relative to the import directory", "path");
        }
        java.nio.file.Path file;
        try {
            java.nio.file.Path root = java.nio.file.Path.of(importDir.get()).toRealPath();
            java.nio.file.Path candidate = root.resolve(path).normalize();
            if (!candidate.startsWith(root) || !java.nio.file.Files.isRegularFile(candidate)) {
                throw new ProblemException(404, "No such file", "no file '" + path + "' in the import directory", "path");
            }
            file = candidate.toRealPath();
            if (!file.startsWith(root)) {
                throw new ProblemException(404, "No such file", "no file '" + path + "' in the import directory", "path");
            }
        } catch (java.nio.file.InvalidPathException | IOException e) {
            throw new ProblemException(404, "No such file", "no file '" + path + "' in the import directory", "path");
        }
        try (InputStream in = new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(file), 1 << 16)) {
            return importStream(in, format, source == null || source.isBlank() ? file.getFileName().toString()
                    .replaceAll("[^A-Za-z0-9_.:-]", "_") : source);
        } catch (IOException e) {
            throw new ProblemException(503, "Import interrupted", "could not read " + path + ": " + e.getMessage(), "path");
        }
    }

    /** Runs on a worker thread: reads the stream and waits for each batch to commit. */
    public ImportSummary importStream(InputStream in, String format, String source) {
        BattleReader.Format f = switch (format == null ? "auto" : format) {
            case "auto" -> BattleReader.Format.AUTO;
            case "jsonl" -> BattleReader.Format.JSONL;
            case "json" -> BattleReader.Format.JSON;
            case "csv" -> BattleReader.Format.CSV;
            default -> throw new ProblemException(400, "Invalid format", "format must be auto, jsonl, json or csv", "format");
        };
        String label = source == null || source.isBlank() ? "import" : source;
        if (!SOURCE.matcher(label).matches()) {
            throw new ProblemException(400, "Invalid source", "source must match " + SOURCE.pattern(), "source");
        }
        if (!running.tryLock()) {
            throw new ProblemException(409, "Import running", "another import is in progress; see /api/v1/import/status", null);
        }
        try {
            return run(in, f, label);
        } finally {
            running.unlock();
        }
    }

    private ImportSummary run(InputStream in, BattleReader.Format format, String source) {
        long read = 0;
        long stored = 0;
        Map<String, Long> skipped = new TreeMap<>();
        int historical = 0;
        List<StoredVote> batch = new ArrayList<>(BATCH);
        Set<String> batchModels = new LinkedHashSet<>();
        long started = System.nanoTime();
        status = new ImportSummary(source, "running", 0, 0, 0, Map.of(), 0);
        try (BattleReader reader = BattleReader.open(in, format, new BattleReader.Options(true, true))) {
            while (reader.hasNext()) {
                BattleReader.Row row = reader.next();
                read++;
                if (!row.ok()) {
                    skipped.merge(row.bad().reason(), 1L, Long::sum);
                    continue;
                }
                String problem = check(row.battle());
                if (problem != null) {
                    skipped.merge(problem, 1L, Long::sum);
                    continue;
                }
                batch.add(toStored(row.battle(), source));
                batchModels.add(row.battle().modelA());
                batchModels.add(row.battle().modelB());
                if (batch.size() >= BATCH) {
                    historical += registerHistorical(batchModels);
                    int n = repository.insertBatch(batch).await().indefinitely();
                    stored += n;
                    if (n < batch.size()) {
                        skipped.merge("already_stored", (long) (batch.size() - n), Long::sum);
                    }
                    batch.clear();
                    batchModels.clear();
                    status = summary(source, "running", read, stored, skipped, historical);
                    if (read % 10_000 < BATCH) {
                        LOG.infof("import %s: read %d, stored %d", source, read, stored);
                    }
                }
            }
            if (!batch.isEmpty()) {
                historical += registerHistorical(batchModels);
                int n = repository.insertBatch(batch).await().indefinitely();
                stored += n;
                if (n < batch.size()) {
                    skipped.merge("already_stored", (long) (batch.size() - n), Long::sum);
                }
            }
        } catch (IOException | RuntimeException e) {
            status = summary(source, "failed", read, stored, skipped, historical);
            if (e instanceof ProblemException p) {
                throw p;
            }
            LOG.warnf("import %s failed after %d rows: %s", source, read, e.toString());
            throw new ProblemException(503, "Import interrupted", "stored " + stored + " of " + read
                    + " rows read before: " + e.getMessage() + "; re-running the import is safe", null, 1L);
        }
        ImportSummary done = summary(source, "done", read, stored, skipped, historical);
        status = done;
        meters.counter("colosseum.votes.imported").increment(stored);
        LOG.infof("import %s done in %.1f s: read %d, stored %d, skipped %s", source,
                (System.nanoTime() - started) / 1e9, read, stored, skipped);
        return done;
    }

    /** Panache needs a Vert.x context: run the registration on one and wait for it (this is a worker thread). */
    private int registerHistorical(Set<String> ids) {
        try {
            return io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> models.registerHistorical(ids));
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static ImportSummary summary(String source, String state, long read, long stored, Map<String, Long> skipped,
                                         int historical) {
        long s = skipped.values().stream().mapToLong(Long::longValue).sum();
        return new ImportSummary(source, state, read, stored, s, new LinkedHashMap<>(skipped), historical);
    }

    private static String check(BattleRecord b) {
        if (!b.modelA().matches(ModelIds.PATTERN) || !b.modelB().matches(ModelIds.PATTERN)) {
            return "bad_model_id";
        }
        if (hasNul(b.conversationA()) || hasNul(b.conversationB())) {
            return "bad_value";
        }
        return null;
    }

    private static boolean hasNul(List<ChatMessage> conversation) {
        if (conversation == null) {
            return false;
        }
        for (ChatMessage m : conversation) {
            if (m.content() != null && m.content().indexOf('\0') >= 0) {
                return true;
            }
        }
        return false;
    }

    StoredVote toStored(BattleRecord b, String source) {
        String rowJson = write(rowMap(b));
        String battleId = b.questionId() != null && BATTLE_ID.matcher(b.questionId()).matches() ? b.questionId()
                : "imp-" + ClientKeys.sha256(rowJson).substring(0, 40);
        List<Message> convA = messages(b.conversationA());
        List<Message> convB = messages(b.conversationB());
        List<String> reasons = new ArrayList<>();
        List<String> rules = new ArrayList<>();
        List<String> details = new ArrayList<>();
        if (Boolean.FALSE.equals(b.anony())) {
            reasons.add("named_mode");
            rules.add("named_mode");
            details.add("imported battle is not anonymous");
        }
        revealFilter.check(convA, convB).ifPresent(evidence -> {
            reasons.add("identity_reveal");
            rules.add("identity_reveal");
            details.add(evidence);
        });
        String promptHash = convA != null ? VoteService.promptHash(convA)
                : b.userTurns() != null && !b.userTurns().isEmpty()
                ? VoteService.promptHash(List.of(new Message("user", b.userTurns().get(0)))) : null;
        String voter = b.judge() != null && b.judge().length() <= 128 ? b.judge() : null;
        Map<String, Object> extra = new LinkedHashMap<>(b.extra() == null ? Map.of() : b.extra());
        if (b.userTurns() != null && convA == null) {
            extra.put("user_turns", b.userTurns());
        }
        return new StoredVote(battleId, "import:" + battleId, ClientKeys.sha256(rowJson), b.modelA(), b.modelB(),
                b.outcome().label(), Boolean.FALSE.equals(b.anony()) ? "named" : "anony", voter, null,
                b.tstamp() == null ? null : Instant.ofEpochMilli(Math.round(b.tstamp() * 1000)),
                b.turn(), truncate(b.language(), 64), write(b.categories() == null ? List.of() : b.categories()),
                b.featuresA() == null || b.featuresA().isEmpty() ? null : write(b.featuresA()),
                b.featuresB() == null || b.featuresB().isEmpty() ? null : write(b.featuresB()),
                promptHash, source, b.questionId() == null ? null : truncate(b.questionId(), 128),
                extra.isEmpty() ? null : write(extra), !reasons.isEmpty(), write(reasons),
                convA == null ? null : write(convA), convB == null ? null : write(convB), rules, details);
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    private static Map<String, Object> rowMap(BattleRecord b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("question_id", b.questionId());
        m.put("model_a", b.modelA());
        m.put("model_b", b.modelB());
        m.put("winner", b.outcome().label());
        m.put("tstamp", b.tstamp());
        m.put("judge", b.judge());
        m.put("turn", b.turn());
        m.put("anony", b.anony());
        m.put("language", b.language());
        m.put("categories", b.categories());
        m.put("conversation_a", b.conversationA());
        m.put("conversation_b", b.conversationB());
        m.put("user_turns", b.userTurns());
        m.put("extra", b.extra());
        return m;
    }

    private static List<Message> messages(List<ChatMessage> conversation) {
        if (conversation == null) {
            return null;
        }
        List<Message> out = new ArrayList<>(conversation.size());
        for (ChatMessage m : conversation) {
            out.add(new Message(m.role(), m.content() == null ? "" : m.content()));
        }
        return out;
    }

    private String write(Object o) {
        try {
            return json.writeValueAsString(o instanceof JsonNode n ? n : o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

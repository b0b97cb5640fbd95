package dev.colosseum.vote.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colosseum.vote.Message;
import dev.colosseum.vote.ProblemException;
import dev.colosseum.vote.VoteReceipt;
import dev.colosseum.vote.VoteRequest;
import dev.colosseum.vote.repository.Existing;
import dev.colosseum.vote.repository.StoredVote;
import dev.colosseum.vote.repository.VoteRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Accepts live votes: validation, limits, hygiene tags, idempotent durable insert. */
@ApplicationScoped
public class VoteService {
    private static final Logger LOG = Logger.getLogger(VoteService.class);
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,128}");

    /** A stored (or previously stored) vote and whether this request created it. */
    public record Accepted(VoteReceipt receipt, boolean created) {
    }

    private final VoteRepository repository;
    private final VoteWriter writer;
    private final ModelRegistry models;
    private final RateLimiter rateLimiter;
    private final IdentityRevealFilter revealFilter;
    private final Validator validator;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final Timer ingest;
    private final Counter storedCounter;
    private final Counter replayedCounter;
    private final Map<Integer, Counter> rejected = new java.util.concurrent.ConcurrentHashMap<>();

    public VoteService(VoteRepository repository, VoteWriter writer, ModelRegistry models, RateLimiter rateLimiter,
                       IdentityRevealFilter revealFilter, Validator validator, ObjectMapper json,
                       MeterRegistry meters) {
        this.repository = repository;
        this.writer = writer;
        this.models = models;
        this.rateLimiter = rateLimiter;
        this.revealFilter = revealFilter;
        this.validator = validator;
        this.json = json;
        this.meters = meters;
        this.ingest = Timer.builder("colosseum.vote.ingest").description("time to validate and durably store a vote")
                .publishPercentiles(0.5, 0.99).register(meters);
        this.storedCounter = meters.counter("colosseum.votes.accepted", "created", "true");
        this.replayedCounter = meters.counter("colosseum.votes.accepted", "created", "false");
    }

    public Uni<Accepted> accept(VoteRequest request, String idempotencyKey, String clientKey) {
        long start = System.nanoTime();
        return Uni.createFrom().deferred(() -> acceptChecked(request, idempotencyKey, clientKey))
                .onFailure(e -> !(e instanceof ProblemException)).transform(e -> {
                    LOG.warnf("vote storage failed: %s", e.toString());
                    return new ProblemException(503, "Storage unavailable",
                            "the vote was not stored; retry with the same Idempotency-Key", null, 1L);
                })
                .invoke(a -> {
                    ingest.record(Duration.ofNanos(System.nanoTime() - start));
                    (a.created() ? storedCounter : replayedCounter).increment();
                })
                .onFailure(ProblemException.class).invoke(e -> rejected.computeIfAbsent(((ProblemException) e).status(),
                        status -> meters.counter("colosseum.votes.rejected", "status", String.valueOf(status))).increment());
    }

    private Uni<Accepted> acceptChecked(VoteRequest request, String idempotencyKey, String clientKey) {
        long wait = rateLimiter.acquire(clientKey);
        if (wait > 0) {
            throw new ProblemException(429, "Too many requests", "client rate limit exceeded", null, wait);
        }
        if (request == null) {
            throw new ProblemException(400, "Invalid vote", "request body is required", null);
        }
        validate(request);
        if (idempotencyKey != null && !KEY.matcher(idempotencyKey).matches()) {
            throw new ProblemException(400, "Invalid Idempotency-Key", "1..128 printable ASCII characters",
                    "Idempotency-Key");
        }
        String key = idempotencyKey == null ? request.battleId() : idempotencyKey;
        String hash = ClientKeys.sha256(canonical(request));
        Instant now = Instant.now();
        return models.isLive(request.modelA()).chain(aLive -> {
            if (!aLive) {
                throw unknownModel("model_a", request.modelA());
            }
            return models.isLive(request.modelB());
        }).chain(bLive -> {
            if (!bLive) {
                throw unknownModel("model_b", request.modelB());
            }
            return writer.write(toStored(request, key, hash, now));
        }).chain(written -> {
            if (written.receipt() != null) {
                return Uni.createFrom().item(new Accepted(written.receipt(), true));
            }
            // not stored: a retry (first result), a different vote for the battle or key (409), or the cap (429)
            return repository.existing(key, request.battleId()).map(existing -> {
                if (existing != null) {
                    return replay(existing, key, hash, request.battleId());
                }
                if (written.capped()) {
                    Instant at = Instant.now();
                    long untilMidnight = Duration.between(at, LocalDate.ofInstant(at, ZoneOffset.UTC).plusDays(1)
                            .atStartOfDay().toInstant(ZoneOffset.UTC)).toSeconds() + 1;
                    throw new ProblemException(429, "Daily vote cap reached", "voter reached the cap of " + writer.dailyCap()
                            + " votes per UTC day", "voter_id", untilMidnight);
                }
                throw new IllegalStateException("conflicting vote vanished");
            });
        });
    }

    private Accepted replay(Existing existing, String key, String hash, String battleId) {
        if (existing.idempotencyKey().equals(key) && existing.requestHash().equals(hash)) {
            return new Accepted(new VoteReceipt(existing.id(), existing.battleId(), existing.seq(), existing.excluded(),
                    existing.reasons()), false);
        }
        if (!existing.battleId().equals(battleId)) {
            throw new ProblemException(409, "Idempotency-Key reused",
                    "this key was used for a different vote (id " + existing.id() + ")", "Idempotency-Key");
        }
        throw new ProblemException(409, "Battle already voted",
                "battle " + existing.battleId() + " already has a different vote (id " + existing.id() + ")", "battle_id");
    }

    private static ProblemException unknownModel(String field, String id) {
        return new ProblemException(422, "Unknown model", "model '" + id + "' is not a registered live model", field);
    }

    private void validate(VoteRequest r) {
        Set<ConstraintViolation<VoteRequest>> violations = validator.validate(r);
        if (!violations.isEmpty()) {
            ConstraintViolation<VoteRequest> v = violations.stream()
                    .min(Comparator.comparing(x -> x.getPropertyPath().toString())).orElseThrow();
            String field = snake(v.getPropertyPath().toString());
            throw new ProblemException(400, "Invalid vote", field + ": " + v.getMessage(), field);
        }
        if (r.modelA().equals(r.modelB())) {
            throw new ProblemException(422, "Invalid vote", "model_a and model_b must differ", "model_b");
        }
        Instant now = Instant.now();
        if (r.votedAt() != null && r.votedAt().isAfter(now.plusSeconds(300))) {
            throw new ProblemException(422, "Invalid vote", "voted_at lies in the future", "voted_at");
        }
        if (r.battleStartedAt() != null && r.battleStartedAt().isAfter(r.votedAt() == null ? now.plusSeconds(300)
                : r.votedAt())) {
            throw new ProblemException(422, "Invalid vote", "battle_started_at is after voted_at", "battle_started_at");
        }
        if (r.votedAt() != null && r.votedAt().isBefore(Instant.parse("2000-01-01T00:00:00Z"))) {
            throw new ProblemException(422, "Invalid vote", "voted_at is implausibly old", "voted_at");
        }
        checkFeatures("features_a", r.featuresA());
        checkFeatures("features_b", r.featuresB());
        checkText("conversation_a", r.conversationA());
        checkText("conversation_b", r.conversationB());
    }

    private static void checkFeatures(String field, Map<String, Double> features) {
        if (features == null) {
            return;
        }
        for (Map.Entry<String, Double> e : features.entrySet()) {
            if (e.getValue() == null || e.getValue().isNaN() || e.getValue().isInfinite()) {
                throw new ProblemException(400, "Invalid vote", field + "." + e.getKey() + " must be a finite number",
                        field);
            }
        }
    }

    /** PostgreSQL text cannot hold NUL, and lone surrogates are not text. */
    private static void checkText(String field, List<Message> conversation) {
        if (conversation == null) {
            return;
        }
        for (Message m : conversation) {
            String s = m.content();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == 0) {
                    throw new ProblemException(400, "Invalid vote", field + " contains a NUL character", field);
                }
                if (Character.isHighSurrogate(c)) {
                    if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        i++;
                        continue;
                    }
                    throw new ProblemException(400, "Invalid vote", field + " contains an unpaired surrogate", field);
                }
                if (Character.isLowSurrogate(c)) {
                    throw new ProblemException(400, "Invalid vote", field + " contains an unpaired surrogate", field);
                }
            }
        }
    }

    static String snake(String path) {
        return path.replaceAll("<[^>]*>", "").replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase();
    }

    private String canonical(VoteRequest r) {
        try {
            return json.writeValueAsString(r);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    StoredVote toStored(VoteRequest r, String key, String hash, Instant now) {
        List<String> reasons = new ArrayList<>();
        List<String> rules = new ArrayList<>();
        List<String> details = new ArrayList<>();
        String mode = r.mode() == null ? "anony" : r.mode();
        if ("named".equals(mode)) {
            reasons.add("named_mode");
            rules.add("named_mode");
            details.add("model names were shown to the voter; only anonymous battles feed the main leaderboard");
        }
        revealFilter.check(r.conversationA(), r.conversationB()).ifPresent(evidence -> {
            reasons.add("identity_reveal");
            rules.add("identity_reveal");
            details.add(evidence);
        });
        return new StoredVote(r.battleId(), key, hash, r.modelA(), r.modelB(), r.winner(), mode, r.voterId(),
                r.battleStartedAt(), r.votedAt() == null ? now : r.votedAt(), r.turn(), r.language(),
                write(r.categories() == null ? List.of() : r.categories()), writeOrNull(r.featuresA()),
                writeOrNull(r.featuresB()), promptHash(r.conversationA()), "live", null, null,
                !reasons.isEmpty(), write(reasons), writeOrNull(r.conversationA()), writeOrNull(r.conversationB()),
                rules, details);
    }

    /** SHA-256 of the first user turn, whitespace-normalised and lower-cased; null without a conversation. */
    public static String promptHash(List<Message> conversation) {
        if (conversation == null) {
            return null;
        }
        for (Message m : conversation) {
            if ("user".equals(m.role())) {
                return ClientKeys.sha256(m.content().strip().replaceAll("\\s+", " ").toLowerCase());
            }
        }
        return null;
    }

    private String write(Collection<String> list) {
        try {
            return json.writeValueAsString(list);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private String writeOrNull(Object o) {
        if (o == null) {
            return null;
        }
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

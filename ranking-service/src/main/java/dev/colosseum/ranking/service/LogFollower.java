package dev.colosseum.ranking.service;

import dev.colosseum.ranking.IngestedVote;
import dev.colosseum.ranking.client.LoggedVote;
import dev.colosseum.ranking.client.VoteLogClient;
import dev.colosseum.ranking.client.VoteLogItem;
import dev.colosseum.ranking.client.VoteLogPage;
import dev.colosseum.ranking.config.RankingConfig;
import dev.colosseum.ranking.repository.RankingRepository;
import dev.colosseum.ranking.repository.LogPosition;
import dev.colosseum.ranking.repository.RankingRepository.ExclusionOp;
import dev.colosseum.ranking.repository.RankingRepository.LogOp;
import dev.colosseum.ranking.repository.RankingRepository.SkippedOp;
import dev.colosseum.ranking.repository.RankingRepository.VoteOp;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Follows vote-service's log: reloads the stored votes at start-up, then polls for new items (every
 * {@code idle-poll-ms} when idle, at once again after a full page). Each page is committed to schema
 * {@code ranking} together with its cursor before it is applied to the in-memory {@link VoteStore}, so a
 * crash between the two replays nothing twice: at restart the store is rebuilt from the database.
 * Several replicas may share the schema: each follows the log itself and keeps its own memory; the
 * schema gets every item once (whoever commits it first), see {@link RankingRepository#commitPage}.
 */
@ApplicationScoped
public class LogFollower {
    private static final Logger LOG = Logger.getLogger(LogFollower.class);

    private final VoteLogClient client;
    private final RankingRepository repository;
    private final VoteStore store;
    private final RegistryService registry;
    private final RankingConfig config;
    private final Vertx vertx;
    private final AtomicBoolean running = new AtomicBoolean();

    private volatile String cursor;
    private volatile long ingestedItems;
    private volatile long writtenItems;
    private volatile boolean loaded;
    private volatile boolean caughtUp;
    private volatile String lastError;
    private volatile Instant lastPollAt;
    private volatile long skipped;
    private long registryTimer = -1;
    private long pollTimer = -1;

    public LogFollower(@RestClient VoteLogClient client, RankingRepository repository, VoteStore store,
                       RegistryService registry, RankingConfig config, Vertx vertx) {
        this.client = client;
        this.repository = repository;
        this.store = store;
        this.registry = registry;
        this.config = config;
        this.vertx = vertx;
    }

    void onStart(@Observes StartupEvent ev) {
        if (!config.follow()) {
            return;
        }
        running.set(true);
        registry.refresh().subscribe().with(x -> { });
        registryTimer = vertx.setPeriodic(config.registryRefreshMs(), id -> registry.refresh().subscribe().with(x -> { }));
        startFollowing();
    }

    /** Reloads the stored state (retrying while the database is unavailable), then starts polling. */
    private void startFollowing() {
        if (!running.get()) {
            return;
        }
        reload().subscribe().with(x -> {
            loaded = true;
            LOG.infof("ranking state reloaded: %d votes, cursor %s", store.size(), cursor);
            schedule(0);
        }, e -> {
            lastError = "reload failed: " + e;
            LOG.warnf("could not reload the ranking state, retrying: %s", e.toString());
            vertx.setTimer(config.errorBackoffMs(), id -> startFollowing());
        });
    }

    /** True once the stored state is back in memory (readiness). */
    public boolean loaded() {
        return loaded || !config.follow();
    }

    void onStop(@Observes ShutdownEvent ev) {
        running.set(false);
        if (registryTimer >= 0) {
            vertx.cancelTimer(registryTimer);
        }
        if (pollTimer >= 0) {
            vertx.cancelTimer(pollTimer);
        }
    }

    /** Rebuilds the in-memory store from schema {@code ranking} (one consistent snapshot). */
    private Uni<Void> reload() {
        return repository.reload(page -> {
            for (IngestedVote v : page) {
                store.add(v);
            }
        }).map(st -> {
            cursor = st.cursor();
            ingestedItems = st.ingested();
            return null;
        });
    }

    private void schedule(long delayMs) {
        if (!running.get()) {
            return;
        }
        if (delayMs <= 0) {
            vertx.runOnContext(this::pollOnce);
        } else {
            pollTimer = vertx.setTimer(delayMs, id -> pollOnce());
        }
    }

    private void pollOnce() {
        if (!running.get()) {
            return;
        }
        String after = cursor;
        client.page(after, config.pageSize())
                .flatMap(this::ingest)
                .subscribe().with(full -> {
                    lastError = null;
                    lastPollAt = Instant.now();
                    caughtUp = !full;
                    schedule(full ? 0 : config.idlePollMs());
                }, e -> {
                    lastError = e.toString();
                    LOG.debugf("vote log poll failed: %s", e.toString());
                    schedule(config.errorBackoffMs());
                });
    }

    /**
     * Commits one page (only what no replica has stored yet, see {@link RankingRepository#commitPage}) and
     * then applies the whole page to this replica's memory, in log order; emits whether more items are waiting.
     * Memory and database never disagree: the memory holds exactly the log up to this replica's cursor, and
     * the database holds the log up to the furthest cursor of any replica.
     */
    Uni<Boolean> ingest(VoteLogPage page) {
        List<VoteLogItem> items = page == null || page.items() == null ? List.of() : page.items();
        String next = page == null ? null : page.nextCursor();
        if (next == null && !items.isEmpty()) {
            next = items.get(items.size() - 1).cursor();
        }
        boolean more = page != null && (Boolean.TRUE.equals(page.hasMore()) || items.size() >= config.pageSize());
        if (items.isEmpty() || next == null) {
            return Uni.createFrom().item(false);
        }
        List<LogOp> ops = new ArrayList<>(items.size());
        for (VoteLogItem item : items) {
            LogPosition pos = LogPosition.parse(item.cursor());
            if ("vote".equals(item.kind()) && item.vote() != null) {
                IngestedVote v = convert(item.vote());
                ops.add(v == null ? new SkippedOp(pos) : new VoteOp(pos, v));
            } else if ("exclusion".equals(item.kind()) && item.voteId() != null) {
                List<String> reasons = item.exclusionReasons() == null ? List.of() : List.copyOf(item.exclusionReasons());
                ops.add(new ExclusionOp(pos, item.voteId(), Boolean.TRUE.equals(item.excluded()), reasons));
            } else {
                ops.add(new SkippedOp(pos));
            }
        }
        String newCursor = next;
        long pageItems = items.size();
        return repository.commitPage(ops, newCursor).map(committed -> {
            long skippedHere = 0;
            for (LogOp op : ops) {
                if (op instanceof VoteOp v) {
                    if (!store.add(v.vote())) {
                        skippedHere++;
                    }
                } else if (op instanceof ExclusionOp e) {
                    store.setExcluded(e.voteId(), e.excluded());
                } else {
                    skippedHere++;
                }
            }
            cursor = newCursor;
            ingestedItems += pageItems;
            skipped += skippedHere;
            writtenItems += committed.newItems();
            return more;
        });
    }

    /** The vote as counted, or null when it never counts (named mode, malformed). */
    static IngestedVote convert(LoggedVote v) {
        if (v.id() == null || v.modelA() == null || v.modelB() == null || v.modelA().equals(v.modelB())) {
            return null;
        }
        if (v.mode() != null && !"anony".equals(v.mode().toLowerCase(Locale.ROOT))) {
            return null;
        }
        List<String> reasons = v.exclusionReasons() == null ? List.of() : List.copyOf(v.exclusionReasons());
        if (reasons.contains("named_mode")) {
            return null;
        }
        int outcome = IngestedVote.outcomeOf(v.winner());
        if (outcome < 0) {
            return null;
        }
        Instant at = v.votedAt() != null ? v.votedAt().toInstant()
                : v.battleStartedAt() != null ? v.battleStartedAt().toInstant() : Instant.now();
        return new IngestedVote(v.id(), v.battleId() == null ? "" : v.battleId(), v.modelA(), v.modelB(), outcome, at,
                v.turn(), v.language(), v.categories() == null ? List.of() : List.copyOf(v.categories()),
                numbers(v.featuresA()), numbers(v.featuresB()), Boolean.TRUE.equals(v.excluded()), reasons);
    }

    private static Map<String, Double> numbers(Map<String, Object> raw) {
        if (raw == null) {
            return Map.of();
        }
        Map<String, Double> out = new HashMap<>();
        for (Map.Entry<String, Object> e : raw.entrySet()) {
            if (e.getValue() instanceof Number n && Double.isFinite(n.doubleValue())) {
                out.put(e.getKey(), n.doubleValue());
            }
        }
        return out;
    }

    /** What the follower is doing, for {@code GET /api/v1/status}. */
    public FollowerStatus status() {
        return new FollowerStatus(config.follow(), loaded, caughtUp, cursor, ingestedItems, writtenItems, store.size(),
                store.counted(), skipped, lastPollAt, lastError, store.memoryBytes());
    }

    /**
     * @param logItems     log items this replica's memory holds (everything up to {@code cursor})
     * @param writtenItems log items this replica stored first since it started (the others were stored by
     *                     another replica; summed over replicas this is the number of items stored meanwhile)
     */
    public record FollowerStatus(boolean following, boolean loaded, boolean caughtUp, String cursor, long logItems,
                                 long writtenItems, long storedVotes, long countedVotes, long skippedItems, Instant lastPollAt,
                                 String lastError, long memoryBytes) {
    }
}

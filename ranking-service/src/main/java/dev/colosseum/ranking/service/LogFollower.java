package dev.colosseum.ranking.service;

import dev.colosseum.ranking.IngestedVote;
import dev.colosseum.ranking.client.LoggedVote;
import dev.colosseum.ranking.client.VoteLogClient;
import dev.colosseum.ranking.client.VoteLogItem;
import dev.colosseum.ranking.client.VoteLogPage;
import dev.colosseum.ranking.config.RankingConfig;
import dev.colosseum.ranking.repository.RankingRepository;
import dev.colosseum.ranking.repository.RankingRepository.ExclusionChange;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Follows vote-service's log: reloads the stored votes at start-up, then polls for new items (every
 * {@code idle-poll-ms} when idle, at once again after a full page). Each page is committed to schema
 * {@code ranking} together with its cursor before it is applied to the in-memory {@link VoteStore}, so a
 * crash between the two replays nothing twice: at restart the store is rebuilt from the database.
 */
@ApplicationScoped
public class LogFollower {
    private static final Logger LOG = Logger.getLogger(LogFollower.class);
    private static final int RELOAD_PAGE = 20_000;

    private final VoteLogClient client;
    private final RankingRepository repository;
    private final VoteStore store;
    private final RegistryService registry;
    private final RankingConfig config;
    private final Vertx vertx;
    private final AtomicBoolean running = new AtomicBoolean();

    private volatile String cursor;
    private volatile long ingestedItems;
    private volatile long nextOrder = 1;
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

    /** Rebuilds the in-memory store from schema {@code ranking}. */
    private Uni<Void> reload() {
        return repository.state().flatMap(st -> {
            cursor = st.cursor();
            ingestedItems = st.ingested();
            return reloadFrom(0L);
        });
    }

    private Uni<Void> reloadFrom(long afterOrder) {
        return repository.page(afterOrder, RELOAD_PAGE).flatMap(page -> {
            for (IngestedVote v : page.votes()) {
                store.add(v);
            }
            nextOrder = Math.max(nextOrder, page.lastOrder() + 1);
            if (page.votes().size() < RELOAD_PAGE) {
                return Uni.createFrom().voidItem();
            }
            return reloadFrom(page.lastOrder());
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
                .flatMap(page -> ingest(after, page))
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

    /** Commits one page and applies it; emits whether more items are waiting. */
    Uni<Boolean> ingest(String after, VoteLogPage page) {
        List<VoteLogItem> items = page == null || page.items() == null ? List.of() : page.items();
        String next = page == null ? null : page.nextCursor();
        if (next == null && !items.isEmpty()) {
            next = items.get(items.size() - 1).cursor();
        }
        boolean more = page != null && (Boolean.TRUE.equals(page.hasMore()) || items.size() >= config.pageSize());
        if (items.isEmpty() || next == null) {
            return Uni.createFrom().item(false);
        }
        Map<Long, IngestedVote> newVotes = new LinkedHashMap<>();
        Map<Long, ExclusionChange> changes = new LinkedHashMap<>();
        Map<Long, Boolean> pendingFlag = new HashMap<>();
        long skippedHere = 0;
        for (VoteLogItem item : items) {
            if ("vote".equals(item.kind()) && item.vote() != null) {
                IngestedVote v = convert(item.vote());
                if (v == null || newVotes.containsKey(v.id()) || store.contains(v.id())) {
                    skippedHere++;
                    continue;
                }
                newVotes.put(v.id(), v);
            } else if ("exclusion".equals(item.kind()) && item.voteId() != null) {
                long id = item.voteId();
                boolean flag = Boolean.TRUE.equals(item.excluded());
                List<String> reasons = item.exclusionReasons() == null ? List.of() : List.copyOf(item.exclusionReasons());
                IngestedVote pending = newVotes.get(id);
                if (pending != null) {
                    newVotes.put(id, withExclusion(pending, flag, reasons));
                } else if (store.contains(id)) {
                    Boolean current = pendingFlag.containsKey(id) ? pendingFlag.get(id) : store.isExcluded(id);
                    pendingFlag.put(id, flag);
                    changes.remove(id);
                    if (current == null || current != flag) {
                        changes.put(id, new ExclusionChange(id, flag, reasons));
                    }
                }
            }
        }
        long items2 = items.size();
        long skippedFinal = skippedHere;
        List<IngestedVote> votes = new ArrayList<>(newVotes.values());
        List<ExclusionChange> exclusionChanges = new ArrayList<>(changes.values());
        long firstOrder = nextOrder;
        String newCursor = next;
        return repository.commitPage(after, newCursor, items2, votes, exclusionChanges, firstOrder).map(ok -> {
            if (!ok) {
                throw new IllegalStateException("the stored cursor moved: another follower writes to this schema");
            }
            for (IngestedVote v : votes) {
                store.add(v);
            }
            for (ExclusionChange c : exclusionChanges) {
                store.setExcluded(c.voteId(), c.excluded());
            }
            nextOrder = firstOrder + votes.size();
            cursor = newCursor;
            ingestedItems += items2;
            skipped += skippedFinal;
            return more;
        });
    }

    private static IngestedVote withExclusion(IngestedVote v, boolean flag, List<String> reasons) {
        return new IngestedVote(v.id(), v.battleId(), v.modelA(), v.modelB(), v.outcome(), v.votedAt(), v.turn(),
                v.language(), v.categories(), v.featuresA(), v.featuresB(), flag, reasons);
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
        return new FollowerStatus(config.follow(), loaded, caughtUp, cursor, ingestedItems, store.size(),
                store.counted(), skipped, lastPollAt, lastError, store.memoryBytes());
    }

    public record FollowerStatus(boolean following, boolean loaded, boolean caughtUp, String cursor, long logItems,
                                 long storedVotes, long countedVotes, long skippedItems, Instant lastPollAt,
                                 String lastError, long memoryBytes) {
    }
}

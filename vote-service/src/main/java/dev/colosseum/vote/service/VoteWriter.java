package dev.colosseum.vote.service;

import dev.colosseum.vote.ProblemException;
import dev.colosseum.vote.config.VoteConfig;
import dev.colosseum.vote.repository.StoredVote;
import dev.colosseum.vote.repository.VoteRepository;
import dev.colosseum.vote.repository.VoteRepository.Written;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Group commit for live votes. Requests queue here; up to {@code writers} batches are in flight, each one
 * statement in autocommit ({@link VoteRepository#insertLive}), so a batch costs one round trip and one WAL
 * flush however many votes it carries. A lone request is sent at once; under load the queue fills while
 * the writers are busy and the next batch takes everything waiting. Every request is answered only after
 * its batch's statement returned, i.e. after the commit.
 *
 * <p>No two votes in flight share a battle id or an idempotency key (so a retry racing its first attempt
 * waits for it and then sees the stored vote), nor, with a daily cap, a voter (the counter row is updated
 * once per statement). When a batch fails, its votes are retried one per batch so that one bad vote cannot
 * fail the others; a vote that fails alone ends as 503.
 */
@ApplicationScoped
public class VoteWriter {
    private static final class Pending {
        final StoredVote vote;
        final UniEmitter<? super Written> emitter;
        final Context context;
        final List<String> keys;
        boolean alone;

        Pending(StoredVote vote, UniEmitter<? super Written> emitter, Context context, boolean capped) {
            this.vote = vote;
            this.emitter = emitter;
            this.context = context;
            this.keys = capped && vote.voterId() != null
                    ? List.of("b:" + vote.battleId(), "k:" + vote.idempotencyKey(), "v:" + vote.voterId())
                    : List.of("b:" + vote.battleId(), "k:" + vote.idempotencyKey());
        }
    }

    private final VoteRepository repository;
    private final int writers;
    private final int maxBatch;
    private final int maxQueue;
    private final int parallelFrom;
    private final int dailyCap;
    private final DistributionSummary batchSizes;

    private final Object lock = new Object();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final Set<String> busy = new HashSet<>();
    private int inFlight;

    public VoteWriter(VoteRepository repository, VoteConfig config, MeterRegistry meters) {
        this.repository = repository;
        this.writers = Math.max(1, config.ingest().writers());
        this.maxBatch = Math.max(1, config.ingest().maxBatch());
        this.maxQueue = Math.max(1, config.ingest().maxQueue());
        this.parallelFrom = Math.max(1, config.ingest().parallelFrom());
        this.dailyCap = Math.max(0, config.limits().dailyVotesPerVoter());
        this.batchSizes = DistributionSummary.builder("colosseum.vote.batch.size")
                .description("live votes per group-commit statement").register(meters);
    }

    public int dailyCap() {
        return dailyCap;
    }

    /** Stores the vote with the next batch; the item says whether it was stored, or why not. */
    public Uni<Written> write(StoredVote vote) {
        return Uni.createFrom().emitter(emitter -> {
            Pending p = new Pending(vote, emitter, Vertx.currentContext(), dailyCap > 0);
            synchronized (lock) {
                if (queue.size() >= maxQueue) {
                    emitter.fail(new ProblemException(503, "Overloaded",
                            "too many votes waiting to be stored; retry with the same Idempotency-Key", null, 1L));
                    return;
                }
                queue.addLast(p);
            }
            drain();
        });
    }

    private void drain() {
        while (true) {
            List<Pending> batch;
            synchronized (lock) {
                // a further concurrent batch only when enough votes wait for it: a batch of one vote costs
                // almost the PostgreSQL time of a batch of four, so small parallel batches lose throughput
                if (inFlight >= writers || queue.isEmpty() || (inFlight > 0 && queue.size() < parallelFrom)) {
                    return;
                }
                batch = take();
                if (batch.isEmpty()) {
                    return;
                }
                inFlight++;
            }
            send(batch);
        }
    }

    /** Under the lock: the waiting votes that conflict with nothing in flight, oldest first. */
    private List<Pending> take() {
        List<Pending> batch = new ArrayList<>();
        for (Iterator<Pending> it = queue.iterator(); it.hasNext() && batch.size() < maxBatch; ) {
            Pending p = it.next();
            if ((p.alone && !batch.isEmpty()) || p.keys.stream().anyMatch(busy::contains)) {
                continue;
            }
            it.remove();
            busy.addAll(p.keys);
            batch.add(p);
            if (p.alone) {
                break;
            }
        }
        return batch;
    }

    private void send(List<Pending> batch) {
        List<StoredVote> votes = new ArrayList<>(batch.size());
        batch.forEach(p -> votes.add(p.vote));
        batchSizes.record(batch.size());
        Uni<List<Written>> write;
        try {
            write = repository.insertLive(votes, dailyCap);
        } catch (RuntimeException e) {
            write = Uni.createFrom().failure(e);
        }
        write.subscribe().with(results -> {
            release(batch, false);
            for (int i = 0; i < batch.size(); i++) {
                Pending p = batch.get(i);
                Written w = results.get(i);
                emit(p, () -> p.emitter.complete(w));
            }
            drain();
        }, failure -> {
            boolean retryAlone = batch.size() > 1;
            release(batch, retryAlone);
            if (!retryAlone) {
                Pending p = batch.get(0);
                emit(p, () -> p.emitter.fail(failure));
            }
            drain();
        });
    }

    private void release(List<Pending> batch, boolean requeueAlone) {
        synchronized (lock) {
            inFlight--;
            for (Pending p : batch) {
                p.keys.forEach(busy::remove);
            }
            if (requeueAlone) {
                for (int i = batch.size() - 1; i >= 0; i--) {
                    Pending p = batch.get(i);
                    p.alone = true;
                    queue.addFirst(p);
                }
            }
        }
    }

    private static void emit(Pending p, Runnable action) {
        if (p.context != null) {
            p.context.runOnContext(x -> action.run());
        } else {
            action.run();
        }
    }
}

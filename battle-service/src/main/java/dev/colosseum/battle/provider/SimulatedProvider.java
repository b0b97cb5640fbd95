package dev.colosseum.battle.provider;

import dev.colosseum.battle.ChatMessage;
import dev.colosseum.battle.ModelSpec;
import dev.colosseum.battle.SimProfile;
import dev.colosseum.stats.StyleFeatures;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The {@code simulated} provider: replays {@link SimulatedEngine} plans, each piece on the timers its listener
 * prefers (battle-service: the event loop writing the battle's stream) or else on a small timer pool of its own.
 */
@ApplicationScoped
public class SimulatedProvider implements ChatProvider {
    private final ScheduledExecutorService scheduler;
    private final ExecutorService counting;

    public SimulatedProvider() {
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = Executors.defaultThreadFactory().newThread(r);
            t.setName("simulated-provider-" + t.getId());
            t.setDaemon(true);
            return t;
        });
        pool.setRemoveOnCancelPolicy(true);
        this.scheduler = pool;
        this.counting = Executors.newSingleThreadExecutor(r -> {
            Thread t = Executors.defaultThreadFactory().newThread(r);
            t.setName("simulated-usage");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public StreamHandle stream(ModelSpec model, List<ChatMessage> history, long seed, StreamListener listener) {
        // the simulated model's clock starts when the request reaches it. Planning happens now, on the caller's thread
        // (the first piece's time depends on it); the usage counts (tokenizing, which walks the tokenizer's large
        // tables) are only needed when the answer completes, so they are counted on a thread of their own meanwhile
        long start = System.nanoTime();
        SimProfile profile = model.simulated() == null
                ? new SimProfile(null, null, null, null, null, null, null, null, null, null) : model.simulated();
        SimulatedEngine.Plan plan = SimulatedEngine.plan(model.id(), profile, history, seed);
        CompletableFuture<int[]> usage = CompletableFuture.supplyAsync(() -> usage(history, plan), counting);
        return SimulatedEngine.replay(plan, () -> {
            ScheduledExecutorService preferred = listener.preferredTimers();
            return preferred != null ? preferred : scheduler;
        }, start, new SimulatedEngine.Sink() {
            @Override
            public void delta(String piece) {
                listener.onDelta(piece);
            }

            @Override
            public void complete() {
                // counted long before in practice (an answer lasts at least its first piece's delay); if not, count here
                int[] u = usage.isDone() && !usage.isCompletedExceptionally() ? usage.join() : usage(history, plan);
                listener.onComplete(u[0], u[1]);
            }

            @Override
            public void fail(String message) {
                listener.onError("provider_error", message);
            }
        });
    }

    /** Input tokens of the conversation and output tokens of the planned answer. */
    private static int[] usage(List<ChatMessage> history, SimulatedEngine.Plan plan) {
        int input = 0;
        for (ChatMessage m : history) {
            input += StyleFeatures.countTokens(m.content());
        }
        return new int[]{input, StyleFeatures.countTokens(plan.text())};
    }

    @PreDestroy
    void stop() {
        scheduler.shutdownNow();
        counting.shutdownNow();
    }
}

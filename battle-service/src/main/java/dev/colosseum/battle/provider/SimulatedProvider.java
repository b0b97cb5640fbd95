package dev.colosseum.battle.provider;

import dev.colosseum.battle.ChatMessage;
import dev.colosseum.battle.DaemonThreads;
import dev.colosseum.battle.ModelSpec;
import dev.colosseum.battle.SimProfile;
import dev.colosseum.stats.StyleFeatures;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@code simulated} provider: plans each answer ({@link SimulatedEngine}) on a small planner pool, then replays
 * the plan, each piece on the timers its listener prefers (battle-service: the event loop writing the battle's
 * stream) or else on a small timer pool of its own.
 */
@ApplicationScoped
public class SimulatedProvider implements ChatProvider {
    private final ScheduledExecutorService scheduler;
    private final ExecutorService planner;

    public SimulatedProvider() {
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(2, DaemonThreads.named("simulated-provider"));
        pool.setRemoveOnCancelPolicy(true);
        this.scheduler = pool;
        this.planner = Executors.newFixedThreadPool(2, DaemonThreads.named("simulated-planner"));
    }

    @Override
    public StreamHandle stream(ModelSpec model, List<ChatMessage> history, long seed, StreamListener listener) {
        // the simulated model's clock starts when the request reaches it, as a remote model's would. Like a remote
        // model, it then works out its answer elsewhere: planning (composing the text, a few hundred microseconds) and
        // the usage counts (tokenizing) run on the planner pool, not on the caller's thread, which in battle-service
        // is an event loop with other battles' tokens to write. The first piece is due at least 75% of the profile's
        // time-to-first-token later, by when the plan is long ready; were it late, the piece would go out at once.
        long start = System.nanoTime();
        SimProfile profile = model.simulated() == null
                ? new SimProfile(null, null, null, null, null, null, null, null, null, null) : model.simulated();
        Deferred handle = new Deferred();
        planner.execute(() -> {
            if (handle.cancelled) {
                return;
            }
            SimulatedEngine.Plan plan;
            try {
                plan = SimulatedEngine.plan(model.id(), profile, history, seed);
            } catch (RuntimeException e) {
                listener.onError("provider_error", "simulated provider could not plan an answer: " + e.getMessage());
                return;
            }
            AtomicReference<int[]> counted = new AtomicReference<>();
            handle.started(SimulatedEngine.replay(plan, () -> {
                ScheduledExecutorService preferred = listener.preferredTimers();
                return preferred != null ? preferred : scheduler;
            }, start, new SimulatedEngine.Sink() {
                @Override
                public void delta(String piece) {
                    listener.onDelta(piece);
                }

                @Override
                public void complete() {
                    // counted long before in practice (an answer lasts at least its first piece's delay); if not, here
                    int[] u = counted.get();
                    if (u == null) {
                        u = usage(history, plan);
                    }
                    listener.onComplete(u[0], u[1]);
                }

                @Override
                public void fail(String message) {
                    listener.onError("provider_error", message);
                }
            }));
            counted.set(usage(history, plan));
        });
        return handle;
    }

    /** A replay that starts once its answer is planned; cancelling before then means it never starts. */
    private static final class Deferred implements StreamHandle {
        private volatile boolean cancelled;
        private volatile StreamHandle replay;

        void started(StreamHandle r) {
            replay = r;
            if (cancelled) {
                r.cancel();
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
            StreamHandle r = replay;
            if (r != null) {
                r.cancel();
            }
        }
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
        planner.shutdownNow();
    }
}

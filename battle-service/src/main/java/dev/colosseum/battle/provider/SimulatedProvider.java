package dev.colosseum.battle.provider;

import dev.colosseum.battle.ChatMessage;
import dev.colosseum.battle.ModelSpec;
import dev.colosseum.battle.SimProfile;
import dev.colosseum.stats.StyleFeatures;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
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

    public SimulatedProvider() {
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = Executors.defaultThreadFactory().newThread(r);
            t.setName("simulated-provider-" + t.getId());
            t.setDaemon(true);
            return t;
        });
        pool.setRemoveOnCancelPolicy(true);
        this.scheduler = pool;
    }

    @Override
    public StreamHandle stream(ModelSpec model, List<ChatMessage> history, long seed, StreamListener listener) {
        // the simulated model's clock starts when the request reaches it; planning and the usage counts
        // (tokenizing) happen now, on the caller's thread, not on the timer threads that deliver every battle's tokens
        long start = System.nanoTime();
        SimProfile profile = model.simulated() == null
                ? new SimProfile(null, null, null, null, null, null, null, null, null, null) : model.simulated();
        SimulatedEngine.Plan plan = SimulatedEngine.plan(model.id(), profile, history, seed);
        int inputTokens = history.stream().mapToInt(m -> StyleFeatures.countTokens(m.content())).sum();
        int outputTokens = StyleFeatures.countTokens(plan.text());
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
                listener.onComplete(inputTokens, outputTokens);
            }

            @Override
            public void fail(String message) {
                listener.onError("provider_error", message);
            }
        });
    }

    @PreDestroy
    void stop() {
        scheduler.shutdownNow();
    }
}

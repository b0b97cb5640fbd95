package dev.colosseum.battle;

import dev.colosseum.battle.provider.SimulatedEngine;
import dev.colosseum.battle.provider.SimulatedProvider;
import dev.colosseum.battle.provider.StreamHandle;
import dev.colosseum.battle.provider.StreamListener;
import dev.colosseum.stats.StyleFeatures;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The simulated provider as battle-service calls it: planned off the caller's thread, replayed on timers. */
class SimulatedProviderTest {
    private static final List<ChatMessage> HISTORY = List.of(ChatMessage.user("Explain how rainbows form in the sky"));

    private static ModelSpec model(int ttftMs) {
        return new ModelSpec("sim-x", "Sim X", "Colosseum", ModelSpec.SIMULATED, null, null, null, null, null, null,
                null, null, null, null, null, 1.0, null,
                new SimProfile(0.5, 40, 0.3, 0.3, 0.3, 0.5, ttftMs, 400.0, 0.0, "neutral"));
    }

    /** Collects one answer. */
    private static final class Collect implements StreamListener {
        final StringBuilder text = new StringBuilder();
        final CompletableFuture<int[]> done = new CompletableFuture<>();
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public synchronized void onDelta(String t) {
            calls.incrementAndGet();
            text.append(t);
        }

        @Override
        public void onComplete(Integer in, Integer out) {
            calls.incrementAndGet();
            done.complete(new int[]{in, out});
        }

        @Override
        public void onError(String code, String message) {
            calls.incrementAndGet();
            done.completeExceptionally(new IllegalStateException(code + ": " + message));
        }
    }

    @Test
    void streamsThePlannedAnswerWithItsUsage() throws Exception {
        SimulatedProvider provider = new SimulatedProvider();
        Collect c = new Collect();
        provider.stream(model(10), HISTORY, 7, c);
        int[] usage = c.done.get(10, TimeUnit.SECONDS);
        String planned = SimulatedEngine.plan("sim-x", model(10).simulated(), HISTORY, 7).text();
        assertEquals(planned, c.text.toString());
        assertEquals(StyleFeatures.countTokens(HISTORY.get(0).content()), usage[0]);
        assertEquals(StyleFeatures.countTokens(planned), usage[1]);
    }

    @Test
    void cancelledBeforeItsFirstPieceItNeverCallsBack() throws Exception {
        SimulatedProvider provider = new SimulatedProvider();
        Collect c = new Collect();
        StreamHandle h = provider.stream(model(200), HISTORY, 7, c);
        h.cancel();
        Thread.sleep(600);
        assertEquals(0, c.calls.get());
    }
}

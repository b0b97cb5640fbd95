package dev.colosseum.battle;

import dev.colosseum.battle.provider.SimulatedEngine;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatedEngineTest {
    private static final List<ChatMessage> PROMPT = List.of(ChatMessage.user("Explain how rainbows form in the sky"));

    private static SimProfile profile(double headers, double lists, double failure) {
        return new SimProfile(1.0, 200, headers, lists, 0.5, 1.0, 100, 50.0, failure, "neutral");
    }

    @Test
    void sameModelPromptAndSeedGiveTheSameAnswerAndTiming() {
        var p1 = SimulatedEngine.plan("m", profile(0.5, 0.5, 0), PROMPT, 42);
        var p2 = SimulatedEngine.plan("m", profile(0.5, 0.5, 0), PROMPT, 42);
        assertEquals(p1.text(), p2.text());
        assertEquals(List.of(p1.offsetsMs()[3]), List.of(p2.offsetsMs()[3]));
        assertNotEquals(p1.text(), SimulatedEngine.plan("m", profile(0.5, 0.5, 0), PROMPT, 43).text());
        assertNotEquals(p1.text(), SimulatedEngine.plan("other", profile(0.5, 0.5, 0), PROMPT, 42).text());
        assertEquals(p1.text(), String.join("", p1.pieces()));
    }

    @Test
    void styleProfileShapesTheMarkdown() {
        int withHeaders = 0;
        for (int seed = 0; seed < 20; seed++) {
            String plain = SimulatedEngine.plan("m", profile(0, 0, 0), PROMPT, seed).text();
            assertFalse(plain.contains("## "), plain);
            assertFalse(plain.contains("\n- "), plain);
            if (SimulatedEngine.plan("m", profile(1, 1, 0), PROMPT, seed).text().contains("## ")) {
                withHeaders++;
            }
        }
        assertEquals(20, withHeaders);
    }

    @Test
    void timingFollowsTtftAndTokenRate() {
        var plan = SimulatedEngine.plan("m", profile(0.5, 0.5, 0), PROMPT, 1);
        assertTrue(plan.ttftMs() >= 75 && plan.ttftMs() <= 125, "ttft " + plan.ttftMs());
        long[] o = plan.offsetsMs();
        double meanGap = (o[o.length - 1] - o[0]) / (double) (o.length - 1);
        assertTrue(meanGap > 14 && meanGap < 26, "gap " + meanGap);
    }

    @Test
    void failureRateOneAlwaysFailsAndReplayStopsWithAnError() throws Exception {
        ScheduledExecutorService ses = Executors.newSingleThreadScheduledExecutor();
        try {
            var plan = SimulatedEngine.plan("m", new SimProfile(0.0, 30, 0.0, 0.0, 0.0, 0.0, 0, 1000.0, 1.0, null), PROMPT, 3);
            assertTrue(plan.fails());
            List<String> got = new ArrayList<>();
            CountDownLatch done = new CountDownLatch(1);
            String[] error = new String[1];
            SimulatedEngine.replay(plan, ses, System.nanoTime(), new SimulatedEngine.Sink() {
                public void delta(String piece) { got.add(piece); }
                public void complete() { done.countDown(); }
                public void fail(String message) { error[0] = message; done.countDown(); }
            });
            assertTrue(done.await(10, TimeUnit.SECONDS));
            assertTrue(error[0] != null);
            assertEquals(plan.failAt(), got.size());
        } finally {
            ses.shutdownNow();
        }
    }
}

package dev.colosseum.battle;

import dev.colosseum.battle.provider.StreamHandle;
import io.smallrye.mutiny.subscription.MultiEmitter;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One battle (or named side-by-side, or direct chat) held in memory: its models, its turns and the
 * event log of the turn being generated. All mutable state is guarded by the battle's monitor.
 */
public final class Battle {
    public static final String ANONY = "anony";
    public static final String NAMED = "named";
    public static final String DIRECT = "direct";

    public final String id;
    public final String mode;
    /** Models as served: index 0 = side a (left), 1 = side b (right); one entry in direct chat. */
    public final List<ModelSpec> models;
    public final Instant startedAt;
    public final String voterId;
    public final String pairingSource;
    /** Finished turns followed by the current one. */
    public final List<Turn> turns = new ArrayList<>();
    public boolean voted;
    public boolean voting;
    public Object voteResult;
    public volatile long lastTouchedNanos = System.nanoTime();

    public Battle(String id, String mode, List<ModelSpec> models, String voterId, String pairingSource) {
        this.id = id;
        this.mode = mode;
        this.models = List.copyOf(models);
        this.startedAt = Instant.now();
        this.voterId = voterId;
        this.pairingSource = pairingSource;
    }

    public int sides() {
        return models.size();
    }

    public Turn current() {
        return turns.isEmpty() ? null : turns.get(turns.size() - 1);
    }

    /**
     * An open event stream: events are handed to the stream's own event-loop context, so provider threads
     * never wait for a network write and each stream's events stay in order.
     */
    public record Watcher(MultiEmitter<? super BattleEvent> emitter, io.vertx.core.Context context) {
        public void send(BattleEvent e) {
            if (context == null) {
                emitter.emit(e);
            } else {
                context.runOnContext(v -> emitter.emit(e));
            }
        }

        public void complete() {
            if (context == null) {
                emitter.complete();
            } else {
                context.runOnContext(v -> emitter.complete());
            }
        }
    }

    /** One user prompt and each side's answer to it. */
    public static final class Turn {
        public final int number;
        public final String prompt;
        public final SideRun[] sides;
        public final List<BattleEvent> log = new ArrayList<>();
        public final List<Watcher> listeners = new ArrayList<>();
        public boolean finished;
        /** When the last watcher left (System.nanoTime), or 0 while someone watches. */
        public long unwatchedSinceNanos = System.nanoTime();
        /** Whether anyone ever opened the event stream of this turn. */
        public boolean everWatched;

        public Turn(int number, String prompt, int sides, long[] seeds) {
            this.number = number;
            this.prompt = prompt;
            this.sides = new SideRun[sides];
            for (int i = 0; i < sides; i++) {
                this.sides[i] = new SideRun(seeds[i]);
            }
        }

        public boolean allDone() {
            for (SideRun s : sides) {
                if (!s.terminal()) {
                    return false;
                }
            }
            return true;
        }

        public boolean anyFailed() {
            for (SideRun s : sides) {
                if ("error".equals(s.status)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** One side's answer to one turn. */
    public static final class SideRun {
        public final long seed;
        public final StringBuilder text = new StringBuilder();
        public String status = "running";
        public String errorCode;
        public String errorMessage;
        public long startNanos;
        public volatile long lastEventNanos;
        public Long ttftMs;
        public Long latencyMs;
        public Integer inputTokens;
        public Integer outputTokens;
        public int inputEstimate;
        public StreamHandle handle;

        public SideRun(long seed) {
            this.seed = seed;
        }

        public boolean terminal() {
            return !"running".equals(status);
        }
    }
}

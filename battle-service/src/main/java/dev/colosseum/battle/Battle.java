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
     * An open event stream. Events are handed to the stream's own event-loop context, so provider threads
     * never wait for a network write. When the writer falls behind, the deltas that queued up for one side
     * are merged into a single delta (order within each side is kept), so a loaded server sends fewer,
     * larger events instead of building a backlog.
     */
    public static final class Watcher {
        private final MultiEmitter<? super BattleEvent> emitter;
        private final io.vertx.core.Context context;
        private final java.util.ArrayDeque<BattleEvent> queue = new java.util.ArrayDeque<>();
        private boolean scheduled;
        private boolean completeRequested;

        public Watcher(MultiEmitter<? super BattleEvent> emitter, io.vertx.core.Context context) {
            this.emitter = emitter;
            this.context = context;
        }

        public void send(BattleEvent e) {
            if (context == null) {
                emitter.emit(e);
                return;
            }
            synchronized (this) {
                queue.add(e);
                if (scheduled) {
                    return;
                }
                scheduled = true;
            }
            context.runOnContext(v -> drain());
        }

        public void complete() {
            if (context == null) {
                emitter.complete();
                return;
            }
            synchronized (this) {
                completeRequested = true;
                if (scheduled) {
                    return;
                }
                scheduled = true;
            }
            context.runOnContext(v -> drain());
        }

        private void drain() {
            List<BattleEvent> batch;
            boolean complete;
            synchronized (this) {
                batch = new ArrayList<>(queue);
                queue.clear();
                scheduled = false;
                complete = completeRequested;
            }
            StringBuilder[] pending = new StringBuilder[2];
            int[] turns = new int[2];
            for (BattleEvent e : batch) {
                int side = "b".equals(e.side()) ? 1 : 0;
                if ("delta".equals(e.type())) {
                    if (pending[side] != null && turns[side] != e.turn()) {
                        flush(pending, turns, side);
                    }
                    if (pending[side] == null) {
                        pending[side] = new StringBuilder();
                        turns[side] = e.turn();
                    }
                    pending[side].append(e.text());
                } else if (e.side() != null) {
                    flush(pending, turns, side);
                    emitter.emit(e);
                } else {
                    flush(pending, turns, 0);
                    flush(pending, turns, 1);
                    emitter.emit(e);
                }
            }
            flush(pending, turns, 0);
            flush(pending, turns, 1);
            if (complete) {
                emitter.complete();
            }
        }

        private void flush(StringBuilder[] pending, int[] turns, int side) {
            if (pending[side] != null) {
                emitter.emit(BattleEvent.delta(Side.values()[side], turns[side], pending[side].toString()));
                pending[side] = null;
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

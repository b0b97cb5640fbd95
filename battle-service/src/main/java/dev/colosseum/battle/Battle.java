package dev.colosseum.battle;

import dev.colosseum.battle.provider.StreamHandle;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.http.HttpServerResponse;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

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
        this(id, mode, models, voterId, pairingSource, Instant.now());
    }

    public Battle(String id, String mode, List<ModelSpec> models, String voterId, String pairingSource,
                  Instant startedAt) {
        this.id = id;
        this.mode = mode;
        this.models = List.copyOf(models);
        this.startedAt = startedAt;
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
     * A published event and its SSE frame, built and UTF-8 encoded once on the publishing thread; every watcher
     * writes the same bytes (Vert.x writes a slice of a buffer, so one buffer serves any number of writes).
     */
    public record Published(BattleEvent event, Buffer frame) {
        public static Published of(BattleEvent e) {
            return new Published(e, Buffer.buffer(e.sseFrame()));
        }
    }

    /**
     * An open event stream, written straight to the Vert.x response on the stream's own event loop, so
     * provider threads never wait for a network write. Everything queued since the last write leaves in one
     * write (one flush). While the socket's write queue is full, nothing is written: the deltas that pile up
     * for one side are merged into a single delta (order within each side is kept), so a slow reader gets
     * fewer, larger events instead of a growing backlog. Nothing is ever held back while the socket can take it.
     */
    public static final class Watcher {
        private final HttpServerResponse response;
        private final Context context;
        private final ArrayDeque<Published> queue = new ArrayDeque<>();
        private boolean scheduled;
        private boolean completeRequested;
        private boolean closed;

        public Watcher(HttpServerResponse response, Context context) {
            this.response = response;
            this.context = context;
        }

        /** The event loop this stream is written on. */
        public ScheduledExecutorService eventLoop() {
            return ((ContextInternal) context).nettyEventLoop();
        }

        public void send(Published e) {
            synchronized (this) {
                if (closed) {
                    return;
                }
                queue.add(e);
                if (scheduled) {
                    return;
                }
                scheduled = true;
            }
            context.runOnContext(v -> drain());
        }

        public void complete() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                completeRequested = true;
                if (scheduled) {
                    return;
                }
                scheduled = true;
            }
            context.runOnContext(v -> drain());
        }

        /** The client went away: drop whatever is queued. */
        public void close() {
            synchronized (this) {
                closed = true;
                queue.clear();
            }
        }

        private void drain() {
            List<Published> batch;
            boolean complete;
            synchronized (this) {
                if (closed) {
                    return;
                }
                if (response.writeQueueFull()) {
                    // stays scheduled: the drain handler writes everything (merged) once the socket has room
                    response.drainHandler(v -> drain());
                    return;
                }
                // the usual case is one event: no copy of the queue
                batch = queue.size() == 1 ? List.of(queue.poll()) : new ArrayList<>(queue);
                queue.clear();
                scheduled = false;
                complete = completeRequested;
                if (complete) {
                    closed = true;
                }
            }
            try {
                Buffer out = coalesce(batch);
                if (complete) {
                    response.end(out);
                } else if (out.length() > 0) {
                    response.write(out);
                }
            } catch (IllegalStateException gone) {
                close();
            }
        }

        /** The frames of a batch, with the deltas of one side merged (see {@link #merge}). */
        static Buffer coalesce(List<Published> batch) {
            if (batch.size() == 1) {
                return batch.get(0).frame();
            }
            Buffer out = Buffer.buffer();
            for (Published p : merge(batch)) {
                out.appendBuffer(p.frame());
            }
            return out;
        }
    }

    /**
     * Events with each run of one side's deltas merged into one delta, placed where that side's next other
     * event (or the end) comes; the order of events within a side is kept.
     */
    public static List<Published> merge(List<Published> events) {
        List<Published> out = new ArrayList<>();
        List<List<Published>> pending = List.of(new ArrayList<>(), new ArrayList<>());
        for (Published p : events) {
            BattleEvent e = p.event();
            int side = "b".equals(e.side()) ? 1 : 0;
            if ("delta".equals(e.type())) {
                List<Published> mine = pending.get(side);
                if (!mine.isEmpty() && mine.get(0).event().turn() != e.turn()) {
                    flush(out, mine);
                }
                mine.add(p);
            } else if (e.side() != null) {
                flush(out, pending.get(side));
                out.add(p);
            } else {
                flush(out, pending.get(0));
                flush(out, pending.get(1));
                out.add(p);
            }
        }
        flush(out, pending.get(0));
        flush(out, pending.get(1));
        return out;
    }

    private static void flush(List<Published> out, List<Published> deltas) {
        if (deltas.size() == 1) {
            out.add(deltas.get(0));
        } else if (deltas.size() > 1) {
            StringBuilder text = new StringBuilder();
            deltas.forEach(d -> text.append(d.event().text()));
            BattleEvent first = deltas.get(0).event();
            out.add(Published.of(new BattleEvent("delta", first.side(), first.turn(), text.toString(), null, null,
                    null, null, null, null, null)));
        }
        deltas.clear();
    }

    /** One user prompt and each side's answer to it. */
    public static final class Turn {
        public final int number;
        public final String prompt;
        public final SideRun[] sides;
        /** The turn's events other than deltas, in order (the text is in each side's {@link SideRun#text}). */
        public final List<Published> log = new ArrayList<>();
        public final List<Watcher> listeners = new ArrayList<>();
        public boolean finished;
        /** When the last watcher left (System.nanoTime), or 0 while someone watches. */
        public long unwatchedSinceNanos = System.nanoTime();
        /** Whether anyone ever opened the event stream of this turn. */
        public boolean everWatched;
        /**
         * The event loop the turn's deltas are best handled on: the one writing its latest stream, or the one that
         * started it; {@code null} off the event loop. Providers with their own timers run them there.
         */
        public volatile ScheduledExecutorService timers;

        public Turn(int number, String prompt, int sides, long[] seeds) {
            this.number = number;
            this.prompt = prompt;
            this.sides = new SideRun[sides];
            for (int i = 0; i < sides; i++) {
                this.sides[i] = new SideRun(seeds[i]);
            }
        }

        /**
         * Everything a stream opened now must first receive: one delta per side with its text so far, then the other
         * events. Within a side this is the order they happened in, since a side sends no delta after its last event.
         * Caller holds the battle's monitor.
         */
        public List<Published> replay() {
            List<Published> out = new ArrayList<>(log.size() + sides.length);
            for (int i = 0; i < sides.length; i++) {
                if (sides[i].text.length() > 0) {
                    out.add(Published.of(BattleEvent.delta(Side.values()[i], number, sides[i].text.toString())));
                }
            }
            out.addAll(log);
            return out;
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
        public StreamHandle handle;

        public SideRun(long seed) {
            this.seed = seed;
        }

        public boolean terminal() {
            return !"running".equals(status);
        }
    }
}

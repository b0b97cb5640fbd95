package dev.colosseum.battle.service;

import dev.colosseum.battle.Battle;
import dev.colosseum.battle.BattleEvent;
import dev.colosseum.battle.ChatMessage;
import dev.colosseum.battle.DaemonThreads;
import dev.colosseum.battle.ModelSpec;
import dev.colosseum.battle.ProblemException;
import dev.colosseum.battle.Side;
import dev.colosseum.battle.config.BattleConfig;
import dev.colosseum.battle.provider.Providers;
import dev.colosseum.battle.provider.StreamHandle;
import dev.colosseum.battle.provider.StreamListener;
import dev.colosseum.stats.StyleFeatures;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.impl.ContextInternal;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Starts battles, streams both answers concurrently into one event log per turn, handles follow-ups,
 * regeneration, cancellation when nobody watches any more, provider time-outs and expiry.
 */
@ApplicationScoped
public class BattleService {
    private final BattleConfig config;
    private final ModelRegistry registry;
    private final Matchmaker matchmaker;
    private final Providers providers;
    private final Vertx vertx;
    private final BattleStore store;
    private final Map<String, Battle> battles = new ConcurrentHashMap<>();
    /**
     * The battles whose current turn is still being generated: the only ones the watchdog has to look at. Battles
     * wait for their vote for hours ({@code battle-ttl}), so at any real traffic the map above holds thousands of
     * finished battles; walking all of them on an event loop every 250 ms stalled every stream on that loop.
     */
    private final Set<Battle> live = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;
    private final Random random = new SecureRandom();
    private final long watchdog;
    private final ScheduledExecutorService expiry;

    public BattleService(BattleConfig config, ModelRegistry registry, Matchmaker matchmaker, Providers providers,
                         Vertx vertx, MeterRegistry meters, BattleStore store) {
        this.store = store;
        this.config = config;
        this.registry = registry;
        this.matchmaker = matchmaker;
        this.providers = providers;
        this.vertx = vertx;
        meters.gauge("colosseum.battles.open", battles, Map::size);
        this.watchdog = vertx.setPeriodic(250, id -> sweep());
        // expiry walks every battle in memory, so it runs on a thread of its own, never on an event loop
        this.expiry = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("battle-expiry"));
        expiry.scheduleWithFixedDelay(() -> expireIdle(System.nanoTime()), 10, 10, TimeUnit.SECONDS);
        expiry.scheduleWithFixedDelay(() -> store.expire().subscribe().with(n -> { }, err -> { }),
                10, 10, TimeUnit.MINUTES);
    }

    @PreDestroy
    void stop() {
        // turns cut short by the shutdown are not stored: a restarted service shows the last finished turn
        stopping = true;
        vertx.cancelTimer(watchdog);
        expiry.shutdownNow();
        battles.values().forEach(b -> {
            synchronized (b) {
                Battle.Turn t = b.current();
                if (t != null) {
                    cancelTurn(b, t, "cancelled", "service shutting down");
                }
            }
        });
    }

    public record StartRequest(String prompt, String mode, String modelA, String modelB, Long seed) {
    }

    public Uni<Battle> start(StartRequest req, String voterId) {
        String prompt = checkPrompt(req.prompt());
        String mode = req.mode() == null ? Battle.ANONY : req.mode();
        Uni<List<ModelSpec>> models;
        String[] source = {"named"};
        switch (mode) {
            case Battle.ANONY -> models = matchmaker.draw(registry.all()).map(p -> {
                source[0] = p.source();
                return List.of(p.a(), p.b());
            });
            case Battle.NAMED -> {
                ModelSpec a = pickNamed(req.modelA(), "model_a");
                ModelSpec b = pickNamed(req.modelB(), "model_b");
                if (a.id().equals(b.id())) {
                    throw new ProblemException(422, "Same model twice", "model_a and model_b must differ", "model_b");
                }
                models = Uni.createFrom().item(List.of(a, b));
            }
            case Battle.DIRECT -> {
                models = Uni.createFrom().item(List.of(pickNamed(req.modelA(), "model_a")));
                source[0] = "direct";
            }
            default -> throw new ProblemException(422, "Invalid mode", "mode must be anony, named or direct", "mode");
        }
        return models.map(ms -> {
            Battle b = new Battle(newId(), mode, ms, voterId, source[0]);
            battles.put(b.id, b);
            synchronized (b) {
                startTurn(b, prompt, req.seed());
            }
            return b;
        });
    }

    public Battle get(String id) {
        Battle b = battles.get(id);
        if (b == null) {
            throw new ProblemException(404, "Battle not found", "no open battle with id " + id, "battle_id");
        }
        b.lastTouchedNanos = System.nanoTime();
        return b;
    }

    /**
     * The battle from memory or, after a restart, from the store of finished battles (then kept in memory again).
     * 404 when neither has it.
     */
    public Uni<Battle> find(String id) {
        Battle b = battles.get(id);
        if (b != null) {
            b.lastTouchedNanos = System.nanoTime();
            return Uni.createFrom().item(b);
        }
        return store.load(id)
                .onFailure().transform(err -> new ProblemException(503, "Battle store unavailable",
                        "battle " + id + " is not in memory and the store of finished battles cannot be read: "
                                + err.getMessage()))
                .map(found -> {
                    BattleStore.Snapshot s = found.orElseThrow(() -> notFound(id));
                    Battle restored = restore(s);
                    Battle raced = battles.putIfAbsent(id, restored);
                    return raced != null ? raced : restored;
                });
    }

    private static ProblemException notFound(String id) {
        return new ProblemException(404, "Battle not found", "no open battle with id " + id, "battle_id");
    }

    /** Rebuilds a stored battle: its finished turns, their event logs (for replays) and its vote. */
    private Battle restore(BattleStore.Snapshot s) {
        List<ModelSpec> models = new ArrayList<>();
        for (String m : s.models()) {
            models.add(registry.get(m).orElseGet(() -> new ModelSpec(m, m, null, "removed", null, null, null, null,
                    null, null, null, null, false, null, null, 0.0, null, null)));
        }
        Battle b = new Battle(s.id(), s.mode(), models, s.voterId(), s.pairingSource(), s.startedAt().toInstant());
        synchronized (b) {
            for (BattleStore.StoredTurn st : s.turns()) {
                long[] seeds = st.sides().stream().mapToLong(BattleStore.StoredSide::seed).toArray();
                Battle.Turn t = new Battle.Turn(st.number(), st.prompt(), st.sides().size(), seeds);
                for (int i = 0; i < st.sides().size(); i++) {
                    BattleStore.StoredSide ss = st.sides().get(i);
                    Battle.SideRun r = t.sides[i];
                    Side side = Side.values()[i];
                    r.text.append(ss.text());
                    r.status = ss.status();
                    r.errorCode = ss.errorCode();
                    r.errorMessage = ss.errorMessage();
                    r.ttftMs = ss.ttftMs();
                    r.latencyMs = ss.latencyMs();
                    r.inputTokens = ss.inputTokens();
                    r.outputTokens = ss.outputTokens();
                    if ("error".equals(ss.status())) {
                        t.log.add(Battle.Published.of(BattleEvent.error(side, t.number, ss.errorCode(), ss.errorMessage())));
                    } else {
                        t.log.add(Battle.Published.of(BattleEvent.usage(side, t.number,
                                ss.inputTokens() == null ? 0 : ss.inputTokens(), ss.outputTokens() == null ? 0 : ss.outputTokens())));
                        t.log.add(Battle.Published.of(BattleEvent.done(side, t.number, ss.ttftMs(),
                                ss.latencyMs() == null ? 0 : ss.latencyMs())));
                    }
                }
                t.finished = true;
                t.everWatched = true;
                b.turns.add(t);
            }
            b.voted = s.voted();
            b.voteResult = s.voteResult();
            Battle.Turn last = b.current();
            boolean votable = !Battle.DIRECT.equals(b.mode) && !b.voted && b.turns.stream().noneMatch(Battle.Turn::anyFailed);
            last.log.add(Battle.Published.of(BattleEvent.turnComplete(last.number, votable)));
        }
        return b;
    }

    /** Stores the battle's finished turns and vote (asynchronously); caller holds the battle's monitor. */
    public void persist(Battle b) {
        if (!stopping && store.enabled()) {
            store.save(BattleStore.snapshot(b));
        }
    }

    public Battle followUp(String id, String rawPrompt, Long seed) {
        String prompt = checkPrompt(rawPrompt);
        Battle b = get(id);
        synchronized (b) {
            if (b.voted || b.voting) {
                throw new ProblemException(409, "Battle closed", "this battle has been voted on; start a new round");
            }
            Battle.Turn t = b.current();
            if (!t.finished) {
                throw new ProblemException(409, "Turn in progress", "wait until both answers are complete");
            }
            if (t.anyFailed()) {
                throw new ProblemException(409, "Side failed",
                        "an answer of the last turn failed; regenerate it or start a new round");
            }
            if (b.turns.size() >= config.maxTurns()) {
                throw new ProblemException(422, "Too many turns", "a conversation is limited to "
                        + config.maxTurns() + " turns", "prompt");
            }
            startTurn(b, prompt, seed);
        }
        return b;
    }

    public Battle regenerate(String id, Long seed) {
        Battle b = get(id);
        synchronized (b) {
            if (b.voted || b.voting) {
                throw new ProblemException(409, "Battle closed", "this battle has been voted on; start a new round");
            }
            Battle.Turn t = b.current();
            if (!t.finished) {
                cancelTurn(b, t, "cancelled", "replaced by a regenerated answer");
            }
            b.turns.remove(b.turns.size() - 1);
            startTurn(b, t.prompt, seed);
        }
        return b;
    }

    /** The voter left: stop generating and forget the battle. */
    public void abandon(String id) {
        Battle b = get(id);
        synchronized (b) {
            Battle.Turn t = b.current();
            if (t != null && !t.finished) {
                cancelTurn(b, t, "cancelled", "the voter left the battle");
            }
        }
        battles.remove(id);
        store.delete(id);
    }

    /**
     * Streams the current turn's events to {@code response} (headers already set, called on the response's
     * event loop): everything so far, then live events, ending the response when the turn ends.
     */
    public void watch(Battle b, HttpServerResponse response, io.vertx.core.Context context) {
        Battle.Watcher w = new Battle.Watcher(response, context);
        synchronized (b) {
            Battle.Turn t = b.current();
            for (Battle.Published e : t.replay()) {
                w.send(e);
            }
            if (t.finished) {
                w.complete();
                return;
            }
            t.listeners.add(w);
            t.timers = w.eventLoop();
            t.unwatchedSinceNanos = 0;
            t.everWatched = true;
            response.closeHandler(v -> {
                w.close();
                synchronized (b) {
                    if (t.listeners.remove(w) && t.listeners.isEmpty() && !t.finished) {
                        t.unwatchedSinceNanos = System.nanoTime();
                    }
                }
            });
        }
    }

    public int openBattles() {
        return battles.size();
    }

    /** Conversation of one side over the finished turns (and the current one if finished). */
    public static List<ChatMessage> conversation(Battle b, int side) {
        List<ChatMessage> out = new ArrayList<>();
        for (Battle.Turn t : b.turns) {
            out.add(ChatMessage.user(t.prompt));
            if (t.sides[side].terminal() || t.sides[side].text.length() > 0) {
                out.add(ChatMessage.assistant(t.sides[side].text.toString()));
            }
        }
        return out;
    }

    private String checkPrompt(String prompt) {
        if (prompt == null || prompt.isBlank()) {
            throw new ProblemException(422, "Empty prompt", "prompt must not be empty", "prompt");
        }
        if (prompt.length() > config.maxPromptChars()) {
            throw new ProblemException(413, "Prompt too long", "a prompt is limited to " + config.maxPromptChars()
                    + " characters; this one has " + prompt.length(), "prompt");
        }
        return prompt;
    }

    private ModelSpec pickNamed(String id, String field) {
        if (id == null || id.isBlank()) {
            throw new ProblemException(422, "Model required", field + " is required in this mode", field);
        }
        ModelSpec m = registry.require(id, field);
        if (m.isPrivate()) {
            throw new ProblemException(422, "Private model",
                    "model '" + id + "' is pre-release and only appears anonymously", field);
        }
        if (!m.isServing()) {
            throw new ProblemException(422, "Model unavailable", "model '" + id + "' is disabled or in outage", field);
        }
        return m;
    }

    private String newId() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Starts a turn; caller holds the battle's monitor. */
    private void startTurn(Battle b, String prompt, Long seed) {
        int number = b.turns.size() + 1;
        long[] seeds = new long[b.sides()];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = seed != null ? seed + i * 7919L + number : random.nextLong();
        }
        Battle.Turn turn = new Battle.Turn(number, prompt, b.sides(), seeds);
        turn.timers = Vertx.currentContext() instanceof ContextInternal c && c.isEventLoopContext() ? c.nettyEventLoop() : null;
        List<List<ChatMessage>> histories = new ArrayList<>();
        for (int s = 0; s < b.sides(); s++) {
            List<ChatMessage> h = conversation(b, s);
            h.add(ChatMessage.user(prompt));
            histories.add(h);
        }
        b.turns.add(turn);
        b.lastTouchedNanos = System.nanoTime();
        live.add(b);
        for (int s = 0; s < b.sides(); s++) {
            Side side = Side.values()[s];
            Battle.SideRun run = turn.sides[s];
            ModelSpec model = b.models.get(s);
            run.startNanos = System.nanoTime();
            run.lastEventNanos = run.startNanos;
            StreamHandle h = providers.forModel(model).stream(model, histories.get(s), run.seed,
                    new SideListener(b, turn, side, run));
            if (run.terminal()) {
                h.cancel();
            } else {
                run.handle = h;
            }
        }
    }

    private final class SideListener implements StreamListener {
        private final Battle battle;
        private final Battle.Turn turn;
        private final Side side;
        private final Battle.SideRun run;

        SideListener(Battle battle, Battle.Turn turn, Side side, Battle.SideRun run) {
            this.battle = battle;
            this.turn = turn;
            this.side = side;
            this.run = run;
        }

        @Override
        public ScheduledExecutorService preferredTimers() {
            return turn.timers;
        }

        @Override
        public void onDelta(String text) {
            long now = System.nanoTime();
            synchronized (battle) {
                if (run.terminal()) {
                    return;
                }
                if (run.ttftMs == null) {
                    run.ttftMs = (now - run.startNanos) / 1_000_000;
                }
                run.lastEventNanos = now;
                run.text.append(text);
                publish(battle, turn, BattleEvent.delta(side, turn.number, text));
            }
        }

        @Override
        public void onComplete(Integer inputTokens, Integer outputTokens) {
            long now = System.nanoTime();
            synchronized (battle) {
                if (run.terminal()) {
                    return;
                }
                if (run.text.isEmpty()) {
                    fail(battle, turn, side, "empty_response", "the provider returned no text");
                    return;
                }
                // providers that report no usage: estimate from the conversation (only then is it tokenized)
                run.inputTokens = inputTokens != null ? inputTokens : conversation(battle, side.ordinal()).stream()
                        .limit(2L * turn.number - 1).mapToInt(m -> StyleFeatures.countTokens(m.content())).sum();
                run.outputTokens = outputTokens != null ? outputTokens : StyleFeatures.countTokens(run.text.toString());
                run.latencyMs = (now - run.startNanos) / 1_000_000;
                run.status = "done";
                publish(battle, turn, BattleEvent.usage(side, turn.number, run.inputTokens, run.outputTokens));
                publish(battle, turn, BattleEvent.done(side, turn.number, run.ttftMs, run.latencyMs));
                maybeFinish(battle, turn);
            }
        }

        @Override
        public void onError(String code, String message) {
            synchronized (battle) {
                fail(battle, turn, side, code, message);
            }
        }
    }

    /** Ends one side with an error; caller holds the monitor. */
    private void fail(Battle b, Battle.Turn turn, Side side, String code, String message) {
        Battle.SideRun run = turn.sides[side.ordinal()];
        if (run.terminal()) {
            return;
        }
        run.status = "error";
        run.errorCode = code;
        run.errorMessage = message;
        run.latencyMs = (System.nanoTime() - run.startNanos) / 1_000_000;
        StreamHandle h = run.handle;
        if (h != null) {
            h.cancel();
        }
        publish(b, turn, BattleEvent.error(side, turn.number, code, message));
        maybeFinish(b, turn);
    }

    private void cancelTurn(Battle b, Battle.Turn turn, String code, String message) {
        for (int s = 0; s < turn.sides.length; s++) {
            fail(b, turn, Side.values()[s], code, message);
        }
    }

    private void maybeFinish(Battle b, Battle.Turn turn) {
        if (turn.finished || !turn.allDone()) {
            return;
        }
        turn.finished = true;
        live.remove(b);
        boolean votable = !Battle.DIRECT.equals(b.mode) && !turn.anyFailed() && !b.voted;
        publish(b, turn, BattleEvent.turnComplete(turn.number, votable));
        persist(b);
        List<Battle.Watcher> ls = new ArrayList<>(turn.listeners);
        turn.listeners.clear();
        ls.forEach(Battle.Watcher::complete);
    }

    private void publish(Battle b, Battle.Turn turn, BattleEvent event) {
        Battle.Published e = Battle.Published.of(event);
        if (!"delta".equals(event.type())) {
            // deltas are not kept: a replay sends each side's text so far (Turn.replay), so a streaming battle
            // holds its answers once and every per-token event dies young
            turn.log.add(e);
        }
        for (Battle.Watcher w : turn.listeners) {
            w.send(e);
        }
    }

    /** Time-outs and abandoned turns of the battles being generated; runs every 250 ms on an event loop. */
    private void sweep() {
        long now = System.nanoTime();
        long idle = config.providerTimeout().toNanos();
        long deadline = config.answerDeadline().toNanos();
        long grace = config.abandonGrace().toNanos();
        long connectGrace = Math.max(grace, config.connectGrace().toNanos());
        for (Battle b : live) {
            synchronized (b) {
                Battle.Turn t = b.current();
                if (t == null || t.finished) {
                    live.remove(b);
                    continue;
                }
                if (t.listeners.isEmpty() && t.unwatchedSinceNanos != 0
                        && now - t.unwatchedSinceNanos > (t.everWatched ? grace : connectGrace)) {
                    cancelTurn(b, t, "cancelled", "nobody is watching this battle any more");
                    continue;
                }
                for (int s = 0; s < t.sides.length; s++) {
                    Battle.SideRun r = t.sides[s];
                    if (r.terminal()) {
                        continue;
                    }
                    if (now - r.lastEventNanos > idle) {
                        fail(b, t, Side.values()[s], "timeout", "the provider sent nothing for "
                                + config.providerTimeout().toMillis() + " ms");
                    } else if (now - r.startNanos > deadline) {
                        fail(b, t, Side.values()[s], "timeout", "the answer took longer than "
                                + config.answerDeadline().toSeconds() + " s");
                    }
                }
            }
        }
    }

    /**
     * Forgets the battles untouched for {@code battle-ttl} as of {@code nowNanos} (System.nanoTime) whose turn is
     * finished (a finished battle can still be read back from the store of finished battles). Runs every 10 s on
     * the expiry thread. Returns how many were forgotten.
     */
    public int expireIdle(long nowNanos) {
        long ttl = config.battleTtl().toNanos();
        int n = 0;
        for (Battle b : battles.values()) {
            if (nowNanos - b.lastTouchedNanos <= ttl) {
                continue;
            }
            synchronized (b) {
                Battle.Turn t = b.current();
                if ((t == null || t.finished) && battles.remove(b.id, b)) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Whether the battle is held in memory (open, or finished and not yet expired). */
    public boolean inMemory(String id) {
        return battles.containsKey(id);
    }
}

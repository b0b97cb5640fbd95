package dev.colosseum.battle.provider;

import dev.colosseum.battle.ChatMessage;
import dev.colosseum.battle.SimProfile;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulated model: a pure function of (model id, conversation, seed) to an answer and a timing
 * plan, plus a scheduler that replays the plan. Depends on the JDK only, so benchmarks can call it
 * directly and compare with the same answer streamed through battle-service.
 */
public final class SimulatedEngine {
    private static final Pattern PIECE = Pattern.compile("\\s*\\S+|\\s+");
    private static final Pattern WORD = Pattern.compile("[\\p{L}][\\p{L}\\p{N}_'-]{3,}");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?");
    private static final Pattern CODE_HINT = Pattern.compile(
            "(?i)```|\\b(code|function|python|java(script)?|typescript|sql|rust|golang|c\\+\\+|bash|regex|compile|bug|class|method|api|algorithm|implement)\\b");
    private static final Pattern MATH_HINT = Pattern.compile(
            "(?i)\\b(sum|product|solve|equation|integral|derivative|probability|prime|average|percent|calculate|compute)\\b|\\d+\\s*[-+*/^=]\\s*\\d+");
    private static final Set<String> STOP = Set.of("about", "above", "after", "again", "also", "because", "been",
            "before", "being", "between", "both", "could", "does", "doing", "each", "from", "have", "having", "here",
            "into", "just", "more", "most", "other", "over", "same", "should", "some", "such", "than", "that", "their",
            "them", "then", "there", "these", "they", "this", "those", "through", "very", "what", "when", "where",
            "which", "while", "will", "with", "would", "your", "please", "explain", "write", "tell", "give", "make");

    private SimulatedEngine() {
    }

    /** The answer split into streamed pieces with their emission times. */
    public record Plan(List<String> pieces, long[] offsetsMs, int failAt, String text) {
        public long ttftMs() {
            return offsetsMs.length == 0 ? 0 : offsetsMs[0];
        }

        public boolean fails() {
            return failAt >= 0;
        }
    }

    /** Receives the plan as it is replayed. */
    public interface Sink {
        void delta(String piece);

        void complete();

        void fail(String message);
    }

    public static Plan plan(String modelId, SimProfile profile, List<ChatMessage> history, long seed) {
        Random rnd = new Random(seedOf(modelId, history, seed));
        String prompt = lastUser(history);
        int turn = (int) history.stream().filter(m -> "user".equals(m.role())).count();
        String text = compose(profile, prompt, turn, rnd);
        List<String> pieces = new ArrayList<>();
        Matcher m = PIECE.matcher(text);
        while (m.find()) {
            pieces.add(m.group());
        }
        long[] offsets = new long[pieces.size()];
        double t = profile.ttftMsOr() * (0.75 + 0.5 * rnd.nextDouble());
        double gap = 1000.0 / profile.tokensPerSecondOr();
        for (int i = 0; i < offsets.length; i++) {
            if (i > 0) {
                t += gap * (0.6 + 0.8 * rnd.nextDouble());
            }
            offsets[i] = Math.round(t);
        }
        int failAt = -1;
        if (rnd.nextDouble() < profile.failureRateOr() && !pieces.isEmpty()) {
            failAt = rnd.nextInt(pieces.size());
        }
        return new Plan(List.copyOf(pieces), offsets, failAt, text);
    }

    /**
     * Replays a plan: piece i is emitted at {@code startNanos + offsetsMs[i]} (absolute times, so
     * scheduling delays do not accumulate). Returns a handle that stops the replay.
     */
    public static StreamHandle replay(Plan plan, ScheduledExecutorService scheduler, long startNanos, Sink sink) {
        return replay(plan, () -> scheduler, startNanos, sink);
    }

    /**
     * Replays a plan with each piece's timer set on the scheduler {@code timers} gives at that moment, so a
     * replay can follow its reader (battle-service moves it onto the event loop that writes the stream).
     */
    public static StreamHandle replay(Plan plan, Supplier<? extends ScheduledExecutorService> timers, long startNanos,
                                      Sink sink) {
        Replay r = new Replay(plan, timers, startNanos, sink);
        r.scheduleNext();
        return r;
    }

    private static final class Replay implements StreamHandle, Runnable {
        private final Plan plan;
        private final Supplier<? extends ScheduledExecutorService> timers;
        private final long startNanos;
        private final Sink sink;
        private final AtomicBoolean cancelled = new AtomicBoolean();
        private volatile ScheduledFuture<?> pending;
        private int next;

        Replay(Plan plan, Supplier<? extends ScheduledExecutorService> timers, long startNanos, Sink sink) {
            this.plan = plan;
            this.timers = timers;
            this.startNanos = startNanos;
            this.sink = sink;
        }

        void scheduleNext() {
            if (cancelled.get()) {
                return;
            }
            long offset = next < plan.offsetsMs.length ? plan.offsetsMs[next]
                    : (plan.offsetsMs.length == 0 ? 0 : plan.offsetsMs[plan.offsetsMs.length - 1]);
            long delay = startNanos + TimeUnit.MILLISECONDS.toNanos(offset) - System.nanoTime();
            pending = timers.get().schedule(this, Math.max(0, delay), TimeUnit.NANOSECONDS);
        }

        @Override
        public void run() {
            if (cancelled.get()) {
                return;
            }
            if (next == plan.failAt) {
                cancelled.set(true);
                sink.fail("simulated provider failure after " + next + " pieces");
                return;
            }
            if (next >= plan.pieces.size()) {
                cancelled.set(true);
                sink.complete();
                return;
            }
            sink.delta(plan.pieces.get(next++));
            if (next >= plan.pieces.size()) {
                cancelled.set(true);
                sink.complete();
                return;
            }
            scheduleNext();
        }

        @Override
        public void cancel() {
            cancelled.set(true);
            ScheduledFuture<?> f = pending;
            if (f != null) {
                f.cancel(false);
            }
        }
    }

    static long seedOf(String modelId, List<ChatMessage> history, long seed) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(modelId.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            for (ChatMessage m : history) {
                md.update(m.role().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 1);
                md.update(m.content().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 2);
            }
            md.update(Long.toString(seed).getBytes(StandardCharsets.UTF_8));
            byte[] d = md.digest();
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (d[i] & 0xff);
            }
            return v;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String lastUser(List<ChatMessage> history) {
        for (int i = history.size() - 1; i >= 0; i--) {
            if ("user".equals(history.get(i).role())) {
                return history.get(i).content();
            }
        }
        return "";
    }

    private static List<String> keywords(String prompt) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = WORD.matcher(prompt);
        while (m.find() && out.size() < 6) {
            String w = m.group().toLowerCase(Locale.ROOT);
            if (!STOP.contains(w)) {
                out.add(w);
            }
        }
        if (out.isEmpty()) {
            out.add("your question");
        }
        return new ArrayList<>(out);
    }

    private static final String[] OPENERS_FRIENDLY = {"Great question!", "Happy to help with this.",
            "Sure thing!", "What a fun one to think about."};
    private static final String[] OPENERS_NEUTRAL = {"Here is an answer.", "Let us go through it.",
            "In short:", "Here is how I would approach it."};
    private static final String[] STRONG = {
            "The key point about %s is that it depends on the constraints you care about most.",
            "A careful look at %s shows two separate questions: what it is, and when it matters.",
            "For %s, the most reliable approach is to start from a concrete example and generalise.",
            "It helps to separate the definition of %s from its practical consequences.",
            "A common mistake with %s is to optimise too early; measure first.",
            "In practice %s behaves predictably once the edge cases are handled explicitly.",
            "The trade-off with %s is between simplicity now and flexibility later.",
            "You can verify the claim about %s by checking a small case by hand."};
    private static final String[] WEAK = {
            "There are many things to say about %s.",
            "%s is an interesting topic with various aspects.",
            "Some people think %s is important, others do not.",
            "It is hard to say much about %s in general.",
            "%s can be good or bad depending on things.",
            "Overall %s is something to consider."};
    private static final String[] HEADINGS = {"Overview", "Key ideas", "Details", "Example", "Summary",
            "Things to watch"};

    private static String compose(SimProfile p, String prompt, int turn, Random rnd) {
        List<String> keys = keywords(prompt);
        double quality = 1.0 / (1.0 + Math.exp(-p.strengthOr()));
        int targetWords = (int) Math.max(12, p.meanTokensOr() * 0.75 * Math.exp(0.35 * rnd.nextGaussian()));
        boolean coding = CODE_HINT.matcher(prompt).find();
        boolean math = MATH_HINT.matcher(prompt).find();
        StringBuilder sb = new StringBuilder();
        String[] openers = "friendly".equals(p.toneOr()) ? OPENERS_FRIENDLY : OPENERS_NEUTRAL;
        if (!"terse".equals(p.toneOr())) {
            sb.append(openers[rnd.nextInt(openers.length)]).append(' ');
        }
        if (turn > 1) {
            sb.append("Building on what we discussed, ");
        }
        sb.append(sentence(keys, quality, rnd, true)).append("\n\n");
        if (math) {
            appendMath(sb, prompt, quality, rnd);
        }
        if (coding && rnd.nextDouble() < p.codeOr()) {
            appendCode(sb, keys, rnd);
        }
        int section = 0;
        while (words(sb) < targetWords) {
            if (rnd.nextDouble() < p.headersOr()) {
                sb.append("## ").append(HEADINGS[section++ % HEADINGS.length]).append("\n\n");
            }
            if (rnd.nextDouble() < p.listsOr()) {
                int items = 2 + rnd.nextInt(3);
                boolean ordered = rnd.nextBoolean();
                for (int i = 0; i < items; i++) {
                    sb.append(ordered ? (i + 1) + ". " : "- ");
                    sb.append(sentence(keys, quality, rnd, rnd.nextDouble() < p.boldOr())).append('\n');
                }
                sb.append('\n');
            } else {
                int n = 2 + rnd.nextInt(3);
                for (int i = 0; i < n; i++) {
                    sb.append(sentence(keys, quality, rnd, rnd.nextDouble() < p.boldOr() * 0.5)).append(' ');
                }
                sb.setLength(sb.length() - 1);
                sb.append("\n\n");
            }
        }
        return sb.toString().strip();
    }

    private static String sentence(List<String> keys, double quality, Random rnd, boolean bold) {
        boolean good = rnd.nextDouble() < quality;
        String[] bank = good ? STRONG : WEAK;
        String key = keys.get(rnd.nextInt(keys.size()));
        String k = bold ? "**" + key + "**" : key;
        String s = String.format(Locale.ROOT, bank[rnd.nextInt(bank.length)], k);
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static void appendMath(StringBuilder sb, String prompt, double quality, Random rnd) {
        List<Double> nums = new ArrayList<>();
        Matcher m = NUMBER.matcher(prompt);
        while (m.find() && nums.size() < 6) {
            nums.add(Double.parseDouble(m.group()));
        }
        if (nums.isEmpty()) {
            sb.append("Working it through step by step gives a clean closed form.\n\n");
            return;
        }
        double sum = 0;
        StringBuilder expr = new StringBuilder();
        for (double d : nums) {
            sum += d;
            expr.append(expr.length() == 0 ? "" : " + ").append(fmt(d));
        }
        boolean right = rnd.nextDouble() < quality;
        double shown = right ? sum : sum + 1 + rnd.nextInt(3);
        sb.append("Adding the quantities: ").append(expr).append(" = ").append(fmt(shown)).append(".\n\n");
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static void appendCode(StringBuilder sb, List<String> keys, Random rnd) {
        String name = keys.get(0).replaceAll("[^a-z0-9]", "_");
        switch (rnd.nextInt(3)) {
            case 0 -> sb.append("```python\ndef ").append(name).append("(items):\n")
                    .append("    \"\"\"Return the items sorted, without duplicates.\"\"\"\n")
                    .append("    return sorted(set(items))\n```\n\n");
            case 1 -> sb.append("```java\nstatic <T extends Comparable<T>> List<T> ").append(name)
                    .append("(Collection<T> items) {\n    return items.stream().distinct().sorted().toList();\n}\n```\n\n");
            default -> sb.append("```javascript\nfunction ").append(name)
                    .append("(items) {\n  return [...new Set(items)].sort();\n}\n```\n\n");
        }
    }

    private static int words(StringBuilder sb) {
        int n = 0;
        boolean in = false;
        for (int i = 0; i < sb.length(); i++) {
            boolean ws = Character.isWhitespace(sb.charAt(i));
            if (!ws && !in) {
                n++;
            }
            in = !ws;
        }
        return n;
    }
}

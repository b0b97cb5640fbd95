package dev.colosseum.ranking.service;

import dev.colosseum.ranking.IngestedVote;
import dev.colosseum.ranking.client.RegistryModel;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The in-memory state: every counted-or-excluded anonymous vote in compact columns, plus per category the
 * sufficient statistics of the Bradley–Terry model (ordered pair × outcome counts, votes per model), kept
 * up to date in O(1) per vote and per exclusion change. All methods are synchronised; readers take
 * snapshots ({@link #pairs}, {@link #votes}) and fit outside the lock.
 */
public final class VoteStore {
    public static final String OVERALL = "overall";
    public static final List<String> STANDARD_TAGS = List.of("coding", "math", "hard_prompt", "creative_writing",
            "instruction_following", "longer_query", "multi_turn");
    /** Names that are not numbers in the votes but derived from the registry. */
    public static final String PRICE = "price";
    public static final List<String> STYLE_FEATURES = List.of("tokens", "headers", "lists", "bold");

    private static final int MAX_TAGS = 63;

    private final Map<String, Integer> modelIndex = new HashMap<>();
    private final List<String> models = new ArrayList<>();
    private final Map<String, Integer> tagBit = new LinkedHashMap<>();
    private final Map<String, Integer> languageIndex = new LinkedHashMap<>();
    private final List<String> tagNames = new ArrayList<>();
    private final List<String> languageKeys = new ArrayList<>();
    private final Map<String, Integer> featureIndex = new LinkedHashMap<>();

    private int size;
    private long[] ids = new long[1024];
    private int[] modelA = new int[1024];
    private int[] modelB = new int[1024];
    private byte[] outcome = new byte[1024];
    private long[] time = new long[1024];
    private long[] tags = new long[1024];
    private short[] language = new short[1024];
    private boolean[] excluded = new boolean[1024];
    private final List<float[]> featA = new ArrayList<>();
    private final List<float[]> featB = new ArrayList<>();
    private final LongIntMap rowOfId = new LongIntMap(1024);

    private final Map<String, Aggregate> aggregates = new HashMap<>();
    private long version;
    private long exclusionEpoch;
    private long counted;
    private Instant updatedAt = Instant.EPOCH;

    public VoteStore() {
        aggregates.put(OVERALL, new Aggregate());
        for (String t : STANDARD_TAGS) {
            tagBit(t);
        }
    }

    /** Adds a vote; false (and nothing changes) when its id is already present. */
    public synchronized boolean add(IngestedVote v) {
        if (rowOfId.get(v.id()) >= 0) {
            return false;
        }
        if (size == ids.length) {
            grow(size * 2);
        }
        int r = size++;
        ids[r] = v.id();
        modelA[r] = model(v.modelA());
        modelB[r] = model(v.modelB());
        outcome[r] = (byte) v.outcome();
        time[r] = v.votedAt().toEpochMilli();
        long mask = 0;
        if (v.categories() != null) {
            for (String c : v.categories()) {
                if (c != null && !c.isBlank()) {
                    int bit = tagBit(c.toLowerCase(Locale.ROOT));
                    if (bit >= 0) {
                        mask |= 1L << bit;
                    }
                }
            }
        }
        if (v.turn() != null && v.turn() >= 2) {
            mask |= 1L << tagBit("multi_turn");
        }
        tags[r] = mask;
        language[r] = (short) languageOf(v.language());
        excluded[r] = v.excluded();
        setFeatures(r, v.featuresA(), featA);
        setFeatures(r, v.featuresB(), featB);
        rowOfId.put(v.id(), r);
        if (!v.excluded()) {
            count(r, +1);
        }
        updatedAt = v.votedAt().isAfter(updatedAt) ? v.votedAt() : updatedAt;
        version++;
        return true;
    }

    /** Applies an exclusion item; true when the vote's contribution changed. */
    public synchronized boolean setExcluded(long voteId, boolean exclude) {
        int r = rowOfId.get(voteId);
        if (r < 0 || excluded[r] == exclude) {
            return false;
        }
        excluded[r] = exclude;
        exclusionEpoch++;
        count(r, exclude ? -1 : +1);
        version++;
        return true;
    }

    public synchronized boolean contains(long voteId) {
        return rowOfId.get(voteId) >= 0;
    }

    public synchronized Boolean isExcluded(long voteId) {
        int r = rowOfId.get(voteId);
        return r < 0 ? null : excluded[r];
    }

    public synchronized long version() {
        return version;
    }

    public synchronized int size() {
        return size;
    }

    /** Votes currently counted in the overall leaderboard. */
    public synchronized long counted() {
        return counted;
    }

    public synchronized Instant lastVoteAt() {
        return updatedAt;
    }

    public synchronized List<String> models() {
        return List.copyOf(models);
    }

    /** Resolves a public category name (case-insensitive) to its key, or null when unknown. */
    public synchronized String categoryKey(String name) {
        if (name == null || name.isBlank()) {
            return OVERALL;
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals(OVERALL) || tagBit.containsKey(n)) {
            return n;
        }
        if (n.startsWith("language:")) {
            n = n.substring("language:".length());
        }
        return languageIndex.containsKey(n) ? "language:" + n : null;
    }

    /** Category name → counted votes, overall first, then tags, then languages. */
    public synchronized List<CategoryCount> categories() {
        List<CategoryCount> out = new ArrayList<>();
        out.add(new CategoryCount(OVERALL, "overall", aggregates.get(OVERALL).n));
        for (String t : tagBit.keySet()) {
            Aggregate ag = aggregates.get(t);
            out.add(new CategoryCount(t, "tag", ag == null ? 0 : ag.n));
        }
        for (String l : languageIndex.keySet()) {
            Aggregate ag = aggregates.get("language:" + l);
            out.add(new CategoryCount("language:" + l, "language", ag == null ? 0 : ag.n));
        }
        return out;
    }

    public record CategoryCount(String name, String kind, long votes) {
    }

    /** Version of one category's statistics (changes whenever a vote there is added or excluded). */
    public synchronized long version(String categoryKey) {
        Aggregate ag = aggregates.get(categoryKey);
        return ag == null ? 0 : ag.version;
    }

    /** The aggregated pair table of a category (models without votes there are left out). */
    public synchronized PairTable pairs(String categoryKey) {
        Aggregate ag = aggregates.get(categoryKey);
        if (ag == null) {
            return new PairTable(List.of(), new int[0], new int[0], new double[0], new double[0], 0, new long[0], 0);
        }
        int m = models.size();
        int[] local = new int[m];
        List<String> names = new ArrayList<>();
        List<Long> votes = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            if (i < ag.cap && ag.modelVotes[i] > 0) {
                local[i] = names.size();
                names.add(models.get(i));
                votes.add(ag.modelVotes[i]);
            } else {
                local[i] = -1;
            }
        }
        int rows = 0;
        for (int k = 0; k < ag.counts.length; k++) {
            if (ag.counts[k] > 0) {
                rows++;
            }
        }
        int[] a = new int[rows];
        int[] b = new int[rows];
        double[] y = new double[rows];
        double[] w = new double[rows];
        int r = 0;
        for (int i = 0; i < ag.cap; i++) {
            for (int j = 0; j < ag.cap; j++) {
                int base = (i * ag.cap + j) * 3;
                for (int o = 0; o < 3; o++) {
                    int c = ag.counts[base + o];
                    if (c > 0) {
                        a[r] = local[i];
                        b[r] = local[j];
                        y[r] = o == 0 ? 1.0 : o == 1 ? 0.0 : 0.5;
                        w[r] = c;
                        r++;
                    }
                }
            }
        }
        long[] mv = votes.stream().mapToLong(Long::longValue).toArray();
        return new PairTable(List.copyOf(names), a, b, y, w, ag.n, mv, ag.version);
    }

    /**
     * Per-vote rows of a category in time order (ties broken by arrival), with the requested covariates.
     * Votes lacking a requested covariate on either side are dropped (and counted in {@code dropped}).
     * {@code price} is the vote's {@code cost_usd} when present, else the registry's $/token × the side's
     * input and output tokens; {@code params_b} falls back to the registry.
     *
     * @param sinceMillis only votes at or after this time (Long.MIN_VALUE for all)
     * @param untilMillis only votes before this time (Long.MAX_VALUE for all)
     */
    public synchronized VoteTable votes(String categoryKey, List<String> covariates, Map<String, RegistryModel> registry,
                                        long sinceMillis, long untilMillis) {
        long tagMask = 0;
        int lang = -1;
        boolean all = OVERALL.equals(categoryKey);
        if (!all) {
            if (categoryKey.startsWith("language:")) {
                Integer li = languageIndex.get(categoryKey.substring("language:".length()));
                lang = li == null ? -2 : li;
            } else {
                Integer bit = tagBit.get(categoryKey);
                tagMask = bit == null ? 0 : 1L << bit;
            }
        }
        int[] sel = new int[size];
        int n = 0;
        for (int r = 0; r < size; r++) {
            if (excluded[r] || time[r] < sinceMillis || time[r] >= untilMillis) {
                continue;
            }
            if (!all && (lang != -1 ? language[r] != lang : (tags[r] & tagMask) == 0)) {
                continue;
            }
            sel[n++] = r;
        }
        boolean sorted = true;
        for (int i = 1; i < n && sorted; i++) {
            sorted = time[sel[i - 1]] <= time[sel[i]];
        }
        int[] order;
        if (sorted) {
            order = sel;
        } else {
            Integer[] boxed = new Integer[n];
            for (int i = 0; i < n; i++) {
                boxed[i] = sel[i];
            }
            Arrays.sort(boxed, (p, q) -> time[p] != time[q] ? Long.compare(time[p], time[q]) : Integer.compare(p, q));
            order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = boxed[i];
            }
        }
        int k = covariates.size();
        double[][] fa = new double[k][n];
        double[][] fb = new double[k][n];
        int[] local = new int[models.size()];
        Arrays.fill(local, -1);
        List<String> names = new ArrayList<>();
        int[] a = new int[n];
        int[] b = new int[n];
        double[] y = new double[n];
        long[] t = new long[n];
        int kept = 0;
        for (int i = 0; i < n; i++) {
            int r = order[i];
            boolean ok = true;
            for (int c = 0; c < k && ok; c++) {
                double va = feature(r, covariates.get(c), true, registry);
                double vb = feature(r, covariates.get(c), false, registry);
                if (Double.isNaN(va) || Double.isNaN(vb)) {
                    ok = false;
                } else {
                    fa[c][kept] = va;
                    fb[c][kept] = vb;
                }
            }
            if (!ok) {
                continue;
            }
            a[kept] = localIndex(modelA[r], local, names);
            b[kept] = localIndex(modelB[r], local, names);
            y[kept] = outcome[r] == IngestedVote.A ? 1.0 : outcome[r] == IngestedVote.B ? 0.0 : 0.5;
            t[kept] = time[r];
            kept++;
        }
        double[][] fa2 = new double[k][];
        double[][] fb2 = new double[k][];
        for (int c = 0; c < k; c++) {
            fa2[c] = Arrays.copyOf(fa[c], kept);
            fb2[c] = Arrays.copyOf(fb[c], kept);
        }
        Aggregate ag = aggregates.get(categoryKey);
        return new VoteTable(List.copyOf(names), Arrays.copyOf(a, kept), Arrays.copyOf(b, kept), Arrays.copyOf(y, kept),
                Arrays.copyOf(t, kept), List.copyOf(covariates), fa2, fb2, n - kept, ag == null ? 0 : ag.version);
    }

    /**
     * Counted votes of a category appended since row {@code fromRow}, in arrival order, for incremental
     * online Elo. {@code inOrder} is false when any of them is older than {@code lastTime} or out of time
     * order (then the caller must replay from scratch).
     */
    public record Appended(int size, long exclusionEpoch, boolean inOrder, long lastTime, String[] modelA,
                           String[] modelB, double[] y) {
    }

    public synchronized Appended appendedSince(String categoryKey, int fromRow, long lastTime) {
        long tagMask = 0;
        int lang = -1;
        boolean all = OVERALL.equals(categoryKey);
        if (!all) {
            if (categoryKey.startsWith("language:")) {
                Integer li = languageIndex.get(categoryKey.substring("language:".length()));
                lang = li == null ? -2 : li;
            } else {
                Integer bit = tagBit.get(categoryKey);
                tagMask = bit == null ? 0 : 1L << bit;
            }
        }
        List<Integer> rows = new ArrayList<>();
        boolean inOrder = true;
        long t = lastTime;
        for (int r = Math.max(0, fromRow); r < size; r++) {
            if (excluded[r] || (!all && (lang != -1 ? language[r] != lang : (tags[r] & tagMask) == 0))) {
                continue;
            }
            if (time[r] < t) {
                inOrder = false;
            }
            t = Math.max(t, time[r]);
            rows.add(r);
        }
        String[] a = new String[rows.size()];
        String[] b = new String[rows.size()];
        double[] y = new double[rows.size()];
        for (int k = 0; k < rows.size(); k++) {
            int r = rows.get(k);
            a[k] = models.get(modelA[r]);
            b[k] = models.get(modelB[r]);
            y[k] = outcome[r] == IngestedVote.A ? 1.0 : outcome[r] == IngestedVote.B ? 0.0 : 0.5;
        }
        return new Appended(size, exclusionEpoch, inOrder, t, a, b, y);
    }

    /** Names of the numeric per-side features seen in votes, plus the derived {@code price}. */
    public synchronized List<String> featureNames() {
        List<String> out = new ArrayList<>(featureIndex.keySet());
        if (!out.contains(PRICE)) {
            out.add(PRICE);
        }
        return out;
    }

    /** Approximate bytes held by the vote columns, the id index and the aggregates. */
    public synchronized long memoryBytes() {
        long cap = ids.length;
        long bytes = cap * (8 + 4 + 4 + 1 + 8 + 8 + 2 + 1) + rowOfId.memoryBytes();
        bytes += (long) (featA.size() + featB.size()) * cap * 4;
        for (Aggregate ag : aggregates.values()) {
            bytes += ag.counts.length * 4L + ag.modelVotes.length * 8L;
        }
        return bytes;
    }

    private double feature(int r, String name, boolean sideA, Map<String, RegistryModel> registry) {
        String model = models.get(sideA ? modelA[r] : modelB[r]);
        RegistryModel reg = registry == null ? null : registry.get(model);
        if (PRICE.equals(name)) {
            double cost = raw(r, "cost_usd", sideA);
            if (!Double.isNaN(cost)) {
                return cost;
            }
            if (reg == null || reg.inputPricePerMtok() == null || reg.outputPricePerMtok() == null) {
                return Double.NaN;
            }
            double out = raw(r, "output_tokens", sideA);
            if (Double.isNaN(out)) {
                out = raw(r, "tokens", sideA);
            }
            if (Double.isNaN(out)) {
                return Double.NaN;
            }
            double in = raw(r, "input_tokens", sideA);
            in = Double.isNaN(in) ? 0 : in;
            return (in * reg.inputPricePerMtok() + out * reg.outputPricePerMtok()) / 1_000_000.0;
        }
        double v = raw(r, name, sideA);
        if (Double.isNaN(v) && "params_b".equals(name) && reg != null && reg.paramsB() != null) {
            return reg.paramsB();
        }
        return v;
    }

    private double raw(int r, String name, boolean sideA) {
        Integer f = featureIndex.get(name);
        if (f == null) {
            return Double.NaN;
        }
        return (sideA ? featA : featB).get(f)[r];
    }

    private int localIndex(int global, int[] local, List<String> names) {
        if (local[global] < 0) {
            local[global] = names.size();
            names.add(models.get(global));
        }
        return local[global];
    }

    private int model(String name) {
        Integer i = modelIndex.get(name);
        if (i == null) {
            i = models.size();
            modelIndex.put(name, i);
            models.add(name);
        }
        return i;
    }

    private int tagBit(String tag) {
        Integer bit = tagBit.get(tag);
        if (bit == null) {
            if (tagBit.size() >= MAX_TAGS) {
                return -1;
            }
            bit = tagBit.size();
            tagBit.put(tag, bit);
            tagNames.add(tag);
        }
        return bit;
    }

    private int languageOf(String lang) {
        if (lang == null || lang.isBlank()) {
            return -1;
        }
        String key = lang.trim().toLowerCase(Locale.ROOT);
        Integer i = languageIndex.get(key);
        if (i == null) {
            if (languageIndex.size() >= Short.MAX_VALUE) {
                return -1;
            }
            i = languageIndex.size();
            languageIndex.put(key, i);
            languageKeys.add("language:" + key);
        }
        return i;
    }

    private void setFeatures(int r, Map<String, Double> values, List<float[]> columns) {
        if (values == null) {
            return;
        }
        for (Map.Entry<String, Double> e : values.entrySet()) {
            if (e.getValue() == null || e.getValue().isNaN() || e.getValue().isInfinite()) {
                continue;
            }
            Integer f = featureIndex.get(e.getKey());
            if (f == null) {
                f = featureIndex.size();
                featureIndex.put(e.getKey(), f);
                featA.add(nanColumn(ids.length));
                featB.add(nanColumn(ids.length));
            }
            columns.get(f)[r] = e.getValue().floatValue();
        }
    }

    private static float[] nanColumn(int n) {
        float[] c = new float[n];
        Arrays.fill(c, Float.NaN);
        return c;
    }

    /** Adds (+1) or removes (−1) a row's contribution to every aggregate it belongs to. */
    private void count(int r, int delta) {
        int a = modelA[r];
        int b = modelB[r];
        int o = Math.min(outcome[r], 2);
        counted += delta;
        aggregates.get(OVERALL).add(a, b, o, delta, models.size());
        long mask = tags[r];
        while (mask != 0) {
            int bit = Long.numberOfTrailingZeros(mask);
            mask &= mask - 1;
            aggregates.computeIfAbsent(tagNames.get(bit), x -> new Aggregate()).add(a, b, o, delta, models.size());
        }
        if (language[r] >= 0) {
            aggregates.computeIfAbsent(languageKeys.get(language[r]), x -> new Aggregate())
                    .add(a, b, o, delta, models.size());
        }
    }

    private void grow(int cap) {
        ids = Arrays.copyOf(ids, cap);
        modelA = Arrays.copyOf(modelA, cap);
        modelB = Arrays.copyOf(modelB, cap);
        outcome = Arrays.copyOf(outcome, cap);
        time = Arrays.copyOf(time, cap);
        tags = Arrays.copyOf(tags, cap);
        language = Arrays.copyOf(language, cap);
        excluded = Arrays.copyOf(excluded, cap);
        for (List<float[]> cols : List.of(featA, featB)) {
            for (int f = 0; f < cols.size(); f++) {
                float[] old = cols.get(f);
                float[] c = Arrays.copyOf(old, cap);
                Arrays.fill(c, old.length, cap, Float.NaN);
                cols.set(f, c);
            }
        }
    }

    /** Ordered pair × outcome counts and per-model vote counts of one category. */
    private static final class Aggregate {
        int cap;
        int[] counts = new int[0];
        long[] modelVotes = new long[0];
        long n;
        long version;

        void add(int a, int b, int o, int delta, int modelCount) {
            if (a >= cap || b >= cap) {
                resize(Math.max(Math.max(a, b) + 1, Math.max(modelCount, cap * 2)));
            }
            counts[(a * cap + b) * 3 + o] += delta;
            modelVotes[a] += delta;
            modelVotes[b] += delta;
            n += delta;
            version++;
        }

        private void resize(int newCap) {
            int[] c = new int[newCap * newCap * 3];
            for (int i = 0; i < cap; i++) {
                for (int j = 0; j < cap; j++) {
                    System.arraycopy(counts, (i * cap + j) * 3, c, (i * newCap + j) * 3, 3);
                }
            }
            counts = c;
            modelVotes = Arrays.copyOf(modelVotes, newCap);
            cap = newCap;
        }
    }
}

package dev.colosseum.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * A compact, immutable, columnar set of battles: int model indices, outcome codes, timestamps and
 * per-side numeric feature columns by name (NaN where a row lacks the feature). One million votes
 * with the four style features take about 90 MB. Build it with {@link Builder}.
 */
public final class BattleSet {
    private final List<String> models;
    private final Map<String, Integer> index;
    private final int n;
    private final int[] a;
    private final int[] b;
    private final byte[] outcome;
    private final double[] tstamp;
    private final Map<String, double[][]> features; // name -> {colA, colB}

    private BattleSet(List<String> models, Map<String, Integer> index, int n, int[] a, int[] b, byte[] outcome,
                      double[] tstamp, Map<String, double[][]> features) {
        this.models = models;
        this.index = index;
        this.n = n;
        this.a = a;
        this.b = b;
        this.outcome = outcome;
        this.tstamp = tstamp;
        this.features = features;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Number of battles. */
    public int size() {
        return n;
    }

    /** Model names, indexed by model id in first-seen order. */
    public List<String> models() {
        return models;
    }

    public int modelCount() {
        return models.size();
    }

    /** Model id of a name, or -1. */
    public int modelIndex(String name) {
        Integer i = index.get(name);
        return i == null ? -1 : i;
    }

    public int modelA(int row) {
        return a[row];
    }

    public int modelB(int row) {
        return b[row];
    }

    public Outcome outcome(int row) {
        return Outcome.ofCode(outcome[row]);
    }

    public byte outcomeCode(int row) {
        return outcome[row];
    }

    /** Score of side A (1, 0, 0.5). */
    public double y(int row) {
        return Outcome.ofCode(outcome[row]).y();
    }

    /** Timestamp in seconds since the epoch, NaN when unknown. */
    public double tstamp(int row) {
        return tstamp[row];
    }

    /** Feature names present in the set (any row). */
    public List<String> featureNames() {
        return List.copyOf(features.keySet());
    }

    public boolean hasFeature(String name) {
        return features.containsKey(name);
    }

    /** Column of feature {@code name} for side A (shared array: do not modify), or null. */
    public double[] featureA(String name) {
        double[][] c = features.get(name);
        return c == null ? null : c[0];
    }

    /** Column of feature {@code name} for side B (shared array: do not modify), or null. */
    public double[] featureB(String name) {
        double[][] c = features.get(name);
        return c == null ? null : c[1];
    }

    /** Battles per model (index = model id). */
    public int[] battleCounts() {
        int[] c = new int[models.size()];
        for (int i = 0; i < n; i++) {
            c[a[i]]++;
            c[b[i]]++;
        }
        return c;
    }

    /**
     * The rows satisfying {@code keep}, as a new set. Models that no longer appear are dropped and
     * the remaining ones re-indexed in first-seen order.
     */
    public BattleSet filter(IntPredicate keep) {
        int[] rows = new int[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (keep.test(i)) {
                rows[k++] = i;
            }
        }
        return select(Arrays.copyOf(rows, k));
    }

    /** The given rows (in that order) as a new set, with models re-indexed in first-seen order. */
    public BattleSet select(int[] rows) {
        int m = rows.length;
        int[] remap = new int[models.size()];
        Arrays.fill(remap, -1);
        List<String> newModels = new ArrayList<>();
        Map<String, Integer> newIndex = new HashMap<>();
        int[] na = new int[m];
        int[] nb = new int[m];
        byte[] no = new byte[m];
        double[] nt = new double[m];
        for (int j = 0; j < m; j++) {
            int i = rows[j];
            na[j] = remapModel(a[i], remap, newModels, newIndex);
            nb[j] = remapModel(b[i], remap, newModels, newIndex);
            no[j] = outcome[i];
            nt[j] = tstamp[i];
        }
        Map<String, double[][]> nf = new LinkedHashMap<>();
        for (Map.Entry<String, double[][]> e : features.entrySet()) {
            double[] ca = new double[m];
            double[] cb = new double[m];
            double[] sa = e.getValue()[0];
            double[] sb = e.getValue()[1];
            for (int j = 0; j < m; j++) {
                ca[j] = sa[rows[j]];
                cb[j] = sb[rows[j]];
            }
            nf.put(e.getKey(), new double[][]{ca, cb});
        }
        return new BattleSet(Collections.unmodifiableList(newModels), newIndex, m, na, nb, no, nt, nf);
    }

    private int remapModel(int id, int[] remap, List<String> newModels, Map<String, Integer> newIndex) {
        if (remap[id] < 0) {
            remap[id] = newModels.size();
            newModels.add(models.get(id));
            newIndex.put(models.get(id), remap[id]);
        }
        return remap[id];
    }

    /** Incremental builder (not thread-safe). */
    public static final class Builder {
        private final List<String> models = new ArrayList<>();
        private final Map<String, Integer> index = new HashMap<>();
        private int n;
        private int[] a = new int[1024];
        private int[] b = new int[1024];
        private byte[] outcome = new byte[1024];
        private double[] tstamp = new double[1024];
        private final Map<String, double[][]> features = new LinkedHashMap<>();

        /** Model id for a name, registering it when new. */
        public int model(String name) {
            Integer i = index.get(name);
            if (i == null) {
                i = models.size();
                models.add(name);
                index.put(name, i);
            }
            return i;
        }

        /** Adds a battle; returns its row. Self-pairs are rejected. */
        public int add(String modelA, String modelB, Outcome o, double tstampSeconds) {
            return add(model(modelA), model(modelB), o, tstampSeconds);
        }

        /** Adds a battle by model ids; returns its row. */
        public int add(int ia, int ib, Outcome o, double tstampSeconds) {
            if (ia == ib) {
                throw new IllegalArgumentException("self-pair: " + models.get(ia));
            }
            if (o == null) {
                throw new IllegalArgumentException("outcome is null");
            }
            ensure(n + 1);
            a[n] = ia;
            b[n] = ib;
            outcome[n] = o.code();
            tstamp[n] = tstampSeconds;
            return n++;
        }

        /** Adds a record with all its numeric per-side features. */
        public int add(BattleRecord r) {
            int row = add(r.modelA(), r.modelB(), r.outcome(), r.tstamp() == null ? Double.NaN : r.tstamp());
            if (r.featuresA() != null) {
                for (Map.Entry<String, Double> e : r.featuresA().entrySet()) {
                    setFeature(row, e.getKey(), e.getValue(), true);
                }
            }
            if (r.featuresB() != null) {
                for (Map.Entry<String, Double> e : r.featuresB().entrySet()) {
                    setFeature(row, e.getKey(), e.getValue(), false);
                }
            }
            return row;
        }

        /** Sets feature {@code name} of one side of a row. */
        public void setFeature(int row, String name, double value, boolean sideA) {
            double[][] c = features.get(name);
            if (c == null) {
                c = new double[][]{new double[a.length], new double[a.length]};
                Arrays.fill(c[0], Double.NaN);
                Arrays.fill(c[1], Double.NaN);
                features.put(name, c);
            }
            c[sideA ? 0 : 1][row] = value;
        }

        /** Sets the four standard style features of both sides of a row. */
        public void setStyle(int row, StyleFeatures fa, StyleFeatures fb) {
            for (String name : StyleFeatures.NAMES) {
                setFeature(row, name, fa.get(name), true);
                setFeature(row, name, fb.get(name), false);
            }
        }

        public int size() {
            return n;
        }

        private void ensure(int cap) {
            if (cap <= a.length) {
                return;
            }
            int nc = Math.max(cap, a.length + (a.length >> 1));
            a = Arrays.copyOf(a, nc);
            b = Arrays.copyOf(b, nc);
            outcome = Arrays.copyOf(outcome, nc);
            tstamp = Arrays.copyOf(tstamp, nc);
            for (double[][] c : features.values()) {
                int old = c[0].length;
                c[0] = Arrays.copyOf(c[0], nc);
                c[1] = Arrays.copyOf(c[1], nc);
                Arrays.fill(c[0], old, nc, Double.NaN);
                Arrays.fill(c[1], old, nc, Double.NaN);
            }
        }

        public BattleSet build() {
            Map<String, double[][]> f = new LinkedHashMap<>();
            for (Map.Entry<String, double[][]> e : features.entrySet()) {
                f.put(e.getKey(), new double[][]{Arrays.copyOf(e.getValue()[0], n), Arrays.copyOf(e.getValue()[1], n)});
            }
            return new BattleSet(Collections.unmodifiableList(new ArrayList<>(models)), new HashMap<>(index), n,
                    Arrays.copyOf(a, n), Arrays.copyOf(b, n), Arrays.copyOf(outcome, n), Arrays.copyOf(tstamp, n), f);
        }
    }
}

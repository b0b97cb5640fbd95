package dev.colosseum.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Prepared data for a (contextual) Bradley-Terry fit, separate from fitting: rows of
 * (model a, model b, y, count) plus, for style control, a standardised covariate vector z per row.
 *
 * <p>{@link #aggregate(BattleSet)} groups votes by ordered pair and outcome class (y = 1, 0.5, 0),
 * so a million votes over 100 models become at most 3·100·99 rows. {@link #withStyle} keeps one
 * row per vote (the covariates are continuous).
 */
public final class PairTable {
    final int m;
    final int f;
    final int n;
    final int[] a;
    final int[] b;
    final double[] y;
    final double[] count;
    final double[] omega;
    final double[] z;
    final List<String> models;
    final List<String> featureNames;
    final double[] featureMean;
    final double[] featureStd;
    final double totalVotes;

    private PairTable(List<String> models, List<String> featureNames, int n, int[] a, int[] b, double[] y,
                      double[] count, double[] omega, double[] z, double[] featureMean, double[] featureStd) {
        this.models = models;
        this.featureNames = featureNames;
        this.m = models.size();
        this.f = featureNames.size();
        this.n = n;
        this.a = a;
        this.b = b;
        this.y = y;
        this.count = count;
        this.omega = omega;
        this.z = z;
        this.featureMean = featureMean;
        this.featureStd = featureStd;
        double t = 0;
        for (int i = 0; i < n; i++) {
            t += count[i];
        }
        this.totalVotes = t;
    }

    /** Aggregates votes into (a, b, y, count) rows, unweighted. */
    public static PairTable aggregate(BattleSet set) {
        return aggregate(set, false);
    }

    /**
     * Aggregates votes into (a, b, y, count) rows. With {@code inversePropensity} every vote of an
     * unordered pair gets weight 1 / max(n_pair, 50) (arena-rank's reweighting).
     */
    public static PairTable aggregate(BattleSet set, boolean inversePropensity) {
        int m = set.modelCount();
        int n = set.size();
        long keys = 3L * m * m;
        int[] dense = keys <= (1 << 22) ? new int[(int) keys] : null; // row + 1, 0 = none
        LongIntMap map = dense == null ? new LongIntMap(Math.max(16, Math.min(n, 1 << 20) * 2)) : null;
        int[] ra = new int[64];
        int[] rb = new int[64];
        double[] ry = new double[64];
        double[] rc = new double[64];
        int rows = 0;
        for (int i = 0; i < n; i++) {
            int ia = set.modelA(i);
            int ib = set.modelB(i);
            byte code = set.outcomeCode(i);
            int cls = code == 0 ? 2 : code == 1 ? 0 : 1; // MODEL_A, MODEL_B, ties
            double yy = cls * 0.5;
            long key = ((long) ia * m + ib) * 3 + cls;
            int r = dense != null ? dense[(int) key] - 1 : map.get(key);
            if (r < 0) {
                if (rows == ra.length) {
                    int nc = rows * 2;
                    ra = Arrays.copyOf(ra, nc);
                    rb = Arrays.copyOf(rb, nc);
                    ry = Arrays.copyOf(ry, nc);
                    rc = Arrays.copyOf(rc, nc);
                }
                r = rows++;
                if (dense != null) {
                    dense[(int) key] = r + 1;
                } else {
                    map.put(key, r);
                }
                ra[r] = ia;
                rb[r] = ib;
                ry[r] = yy;
            }
            rc[r] += 1;
        }
        double[] omega = null;
        if (inversePropensity) {
            omega = ipw(m, rows, ra, rb, rc);
        }
        return new PairTable(set.models(), List.of(), rows, Arrays.copyOf(ra, rows), Arrays.copyOf(rb, rows),
                Arrays.copyOf(ry, rows), Arrays.copyOf(rc, rows), omega, new double[0], new double[0], new double[0]);
    }

    /** An already-aggregated table, unweighted: see {@link #ofCounts(List, int[], int[], double[], double[], boolean)}. */
    public static PairTable ofCounts(List<String> models, int[] a, int[] b, double[] y, double[] count) {
        return ofCounts(models, a, b, y, count, false);
    }

    /**
     * A plain (no covariates) table from rows the caller has already aggregated, e.g. ordered-pair ×
     * outcome counts kept up to date vote by vote. Row r says: {@code count[r]} votes of model
     * {@code a[r]} (side A) against {@code b[r]} with outcome {@code y[r]} (1 = A won, 0 = B won,
     * 0.5 = tie). Rows need not be unique (several rows with the same key simply add up), so per-vote
     * rows with count 1 are accepted too. Fits, sandwich and bootstrap on the result equal those on
     * {@link #aggregate(BattleSet, boolean)} of the corresponding votes (up to rounding in the row order).
     * The arrays are copied.
     *
     * @param models            model names; indices in {@code a}/{@code b} refer to this list
     * @param inversePropensity weight every vote of an unordered pair by 1 / max(n_pair, 50)
     * @throws IllegalArgumentException on arrays of different lengths, an index out of range, a == b,
     *                                  y not in {0, 0.5, 1}, or a negative / non-finite count
     */
    public static PairTable ofCounts(List<String> models, int[] a, int[] b, double[] y, double[] count,
                                     boolean inversePropensity) {
        int m = models.size();
        int n = a.length;
        if (b.length != n || y.length != n || count.length != n) {
            throw new IllegalArgumentException("a, b, y and count must have the same length");
        }
        for (int r = 0; r < n; r++) {
            if (a[r] < 0 || a[r] >= m || b[r] < 0 || b[r] >= m) {
                throw new IllegalArgumentException("row " + r + ": model index out of range 0.." + (m - 1));
            }
            if (a[r] == b[r]) {
                throw new IllegalArgumentException("row " + r + ": a model cannot battle itself");
            }
            if (y[r] != 0.0 && y[r] != 0.5 && y[r] != 1.0) {
                throw new IllegalArgumentException("row " + r + ": y must be 0, 0.5 or 1, got " + y[r]);
            }
            if (!(count[r] >= 0) || Double.isInfinite(count[r])) {
                throw new IllegalArgumentException("row " + r + ": count must be finite and >= 0, got " + count[r]);
            }
        }
        int[] ca = a.clone();
        int[] cb = b.clone();
        double[] cc = count.clone();
        double[] omega = inversePropensity ? ipw(m, n, ca, cb, cc) : null;
        return new PairTable(List.copyOf(models), List.of(), n, ca, cb, y.clone(), cc, omega,
                new double[0], new double[0], new double[0]);
    }

    private static double[] ipw(int m, int rows, int[] ra, int[] rb, double[] rc) {
        double[] pairN = new double[m * m];
        for (int r = 0; r < rows; r++) {
            int lo = Math.min(ra[r], rb[r]);
            int hi = Math.max(ra[r], rb[r]);
            pairN[lo * m + hi] += rc[r];
        }
        double[] omega = new double[rows];
        for (int r = 0; r < rows; r++) {
            int lo = Math.min(ra[r], rb[r]);
            int hi = Math.max(ra[r], rb[r]);
            omega[r] = 1.0 / Math.max(pairN[lo * m + hi], 50.0);
        }
        return omega;
    }

    /** How a per-side covariate becomes one component of z. */
    public enum Transform {
        /** (f_a - f_b) / (f_a + f_b + 1): the standard style transform. */
        RATIO,
        /** f_a - f_b. */
        DIFF
    }

    /** One covariate of style control: a per-side feature of the battle set and its transform. */
    public record Covariate(String name, Transform transform) {
    }

    /** The four standard style covariates (tokens, headers, lists, bold), ratio transform. */
    public static List<Covariate> standardCovariates() {
        List<Covariate> c = new ArrayList<>();
        for (String s : StyleFeatures.NAMES) {
            c.add(new Covariate(s, Transform.RATIO));
        }
        return c;
    }

    /**
     * One row per vote with covariates z: each covariate transformed, then standardised over the
     * data set (mean removed, divided by the population standard deviation; a constant column stays 0).
     *
     * @throws IllegalArgumentException when a covariate is missing from the set or from some rows
     */
    public static PairTable withStyle(BattleSet set, List<Covariate> covariates, boolean inversePropensity) {
        int n = set.size();
        int f = covariates.size();
        double[] z = new double[n * f];
        double[] mean = new double[f];
        double[] std = new double[f];
        List<String> names = new ArrayList<>();
        for (int k = 0; k < f; k++) {
            Covariate c = covariates.get(k);
            names.add(c.name());
            double[] fa = set.featureA(c.name());
            double[] fb = set.featureB(c.name());
            if (fa == null) {
                throw new IllegalArgumentException("no battle carries feature '" + c.name()
                        + "' (style control needs conv_metadata, features_a/features_b or full conversations)");
            }
            int missing = 0;
            double sum = 0;
            for (int i = 0; i < n; i++) {
                double va = fa[i];
                double vb = fb[i];
                if (Double.isNaN(va) || Double.isNaN(vb)) {
                    missing++;
                    continue;
                }
                double d = c.transform() == Transform.RATIO ? (va - vb) / (va + vb + 1.0) : va - vb;
                z[i * f + k] = d;
                sum += d;
            }
            if (missing > 0) {
                throw new IllegalArgumentException(missing + " of " + n + " battles lack feature '" + c.name() + "'");
            }
            double mu = n == 0 ? 0 : sum / n;
            double ss = 0;
            for (int i = 0; i < n; i++) {
                double d = z[i * f + k] - mu;
                ss += d * d;
            }
            double sd = n == 0 ? 0 : Math.sqrt(ss / n);
            mean[k] = mu;
            std[k] = sd;
            for (int i = 0; i < n; i++) {
                z[i * f + k] = sd > 0 ? (z[i * f + k] - mu) / sd : 0.0;
            }
        }
        int[] a = new int[n];
        int[] b = new int[n];
        double[] y = new double[n];
        double[] cnt = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = set.modelA(i);
            b[i] = set.modelB(i);
            y[i] = set.y(i);
            cnt[i] = 1;
        }
        double[] omega = inversePropensity ? ipw(set.modelCount(), n, a, b, cnt) : null;
        return new PairTable(set.models(), List.copyOf(names), n, a, b, y, cnt, omega, z, mean, std);
    }

    /** Number of rows. */
    public int rows() {
        return n;
    }

    public int modelCount() {
        return m;
    }

    /** Number of covariates (0 for a plain table). */
    public int featureCount() {
        return f;
    }

    /** Number of parameters: models + covariates. */
    public int parameterCount() {
        return m + f;
    }

    public List<String> models() {
        return models;
    }

    public List<String> featureNames() {
        return featureNames;
    }

    /** Sum of the row counts (the number of votes). */
    public double totalVotes() {
        return totalVotes;
    }

    public int a(int row) {
        return a[row];
    }

    public int b(int row) {
        return b[row];
    }

    public double y(int row) {
        return y[row];
    }

    public double count(int row) {
        return count[row];
    }

    /** Per-vote weight of a row (1 unless inverse-propensity weighting is on). */
    public double weight(int row) {
        return omega == null ? 1.0 : omega[row];
    }

    /** Mean of covariate k before standardisation. */
    public double featureMean(int k) {
        return featureMean[k];
    }

    /** Population standard deviation of covariate k before standardisation. */
    public double featureStd(int k) {
        return featureStd[k];
    }

    /** Open-addressing long to int map (keys are non-negative). */
    static final class LongIntMap {
        private long[] keys;
        private int[] vals;
        private int size;
        private int mask;

        LongIntMap(int capacity) {
            int cap = Integer.highestOneBit(Math.max(16, capacity) - 1) << 1;
            keys = new long[cap];
            vals = new int[cap];
            Arrays.fill(keys, -1L);
            mask = cap - 1;
        }

        int get(long key) {
            int i = mix(key) & mask;
            while (true) {
                long k = keys[i];
                if (k == key) {
                    return vals[i];
                }
                if (k == -1L) {
                    return -1;
                }
                i = (i + 1) & mask;
            }
        }

        void put(long key, int val) {
            if ((size + 1) * 2 > keys.length) {
                grow();
            }
            int i = mix(key) & mask;
            while (keys[i] != -1L && keys[i] != key) {
                i = (i + 1) & mask;
            }
            if (keys[i] == -1L) {
                size++;
            }
            keys[i] = key;
            vals[i] = val;
        }

        private void grow() {
            long[] ok = keys;
            int[] ov = vals;
            keys = new long[ok.length * 2];
            vals = new int[ok.length * 2];
            Arrays.fill(keys, -1L);
            mask = keys.length - 1;
            size = 0;
            for (int i = 0; i < ok.length; i++) {
                if (ok[i] != -1L) {
                    put(ok[i], ov[i]);
                }
            }
        }

        private static int mix(long k) {
            long h = k * 0x9E3779B97F4A7C15L;
            return (int) (h ^ (h >>> 32));
        }
    }
}

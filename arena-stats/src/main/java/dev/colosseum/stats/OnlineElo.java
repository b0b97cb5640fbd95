package dev.colosseum.stats;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Online Elo (the legacy column): E = 1 / (1 + 10^((R_b - R_a)/400)), R_a += K (S - E),
 * R_b -= K (S - E), starting at 1000, in ascending timestamp order (stable: equal or missing
 * timestamps keep file order; missing timestamps sort last).
 */
public final class OnlineElo {
    public static final double DEFAULT_K = 4.0;

    private OnlineElo() {
    }

    /** Ratings with K = 4, indexed by the set's model ids. */
    public static double[] ratings(BattleSet set) {
        return ratings(set, DEFAULT_K, 1000.0);
    }

    public static double[] ratings(BattleSet set, double k, double initial) {
        int n = set.size();
        double[] r = new double[set.modelCount()];
        Arrays.fill(r, initial);
        boolean anyTime = false;
        for (int i = 0; i < n && !anyTime; i++) {
            anyTime = !Double.isNaN(set.tstamp(i));
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (anyTime) {
            Arrays.sort(order, Comparator.comparingDouble(i -> {
                double t = set.tstamp(i);
                return Double.isNaN(t) ? Double.POSITIVE_INFINITY : t;
            }));
        }
        double alpha = Math.log(10.0) / 400.0;
        for (int idx = 0; idx < n; idx++) {
            int i = order[idx];
            int a = set.modelA(i);
            int b = set.modelB(i);
            double e = 1.0 / (1.0 + Math.exp(alpha * (r[b] - r[a])));
            double u = k * (set.y(i) - e);
            r[a] += u;
            r[b] -= u;
        }
        return r;
    }
}

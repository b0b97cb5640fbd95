package dev.colosseum.ranking.service;

import dev.colosseum.ranking.BadRequestException;
import dev.colosseum.ranking.Coefficient;
import dev.colosseum.ranking.Leaderboard;
import dev.colosseum.ranking.LeaderboardEntry;
import dev.colosseum.ranking.Matrices;
import dev.colosseum.ranking.client.RegistryModel;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Leaderboards from the store's live statistics. Fits are cached per (category, controls, CI) and
 * recomputed lazily when that category's statistics changed; a refit starts from the previous solution
 * of the same category and controls (warm start). Concurrent readers of the same key wait for one fit.
 */
@ApplicationScoped
public class LeaderboardService {
    private final VoteStore store;
    private final RegistryService registry;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Double>> warm = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    public LeaderboardService(VoteStore store, RegistryService registry) {
        this.store = store;
        this.registry = registry;
    }

    private record Cached(long version, FitResult fit) {
    }

    /** The fit of a category under the given controls and intervals (cached until the category changes). */
    public FitResult fit(String category, List<String> covariates, StatsEngine.CiSpec ci) {
        String warmKey = category + "|" + covariates;
        String key = warmKey + "|" + ci;
        Object lock = locks.computeIfAbsent(key, x -> new Object());
        synchronized (lock) {
            long version = store.version(category);
            Cached c = cache.get(key);
            if (c != null && c.version == version) {
                return c.fit;
            }
            FitResult fit;
            if (covariates.isEmpty()) {
                PairTable t = store.pairs(category);
                fit = t.modelCount() == 0 ? empty(version) : StatsEngine.fitPlain(t, ci, warmStart(warmKey, t.models(), 0));
            } else {
                VoteTable vt = store.votes(category, covariates, registry.models(), Long.MIN_VALUE, Long.MAX_VALUE);
                fit = vt.size() == 0 || vt.models().size() < 2 ? empty(version)
                        : StatsEngine.fitCovariates(vt, ci, warmStart(warmKey, vt.models(), covariates.size()));
            }
            if (fit.models().size() > 0) {
                Map<String, Double> w = new HashMap<>();
                for (int i = 0; i < fit.models().size(); i++) {
                    w.put(fit.models().get(i), fit.theta()[i]);
                }
                for (int g = 0; g < fit.gamma().length; g++) {
                    w.put("\u0000" + fit.covariates().get(g), fit.gamma()[g]);
                }
                warm.put(warmKey, w);
            }
            cache.put(key, new Cached(version, fit));
            return fit;
        }
    }

    private double[] warmStart(String warmKey, List<String> models, int k) {
        Map<String, Double> w = warm.get(warmKey);
        if (w == null) {
            return null;
        }
        double[] start = new double[models.size() + k];
        double mean = 0;
        for (int i = 0; i < models.size(); i++) {
            start[i] = w.getOrDefault(models.get(i), 0.0);
            mean += start[i];
        }
        mean /= Math.max(1, models.size());
        for (int i = 0; i < models.size(); i++) {
            start[i] -= mean;
        }
        return start;
    }

    private static FitResult empty(long version) {
        return new FitResult(List.of(), new double[0], new double[0], new double[0], new double[0], new double[0],
                List.of(), new double[0], new double[0], new double[0], new long[0], 0, version, 0);
    }

    /** Online Elo state of a category: ratings after the store's first {@code rows} rows. */
    private record EloState(int rows, long exclusionEpoch, long lastTime, Map<String, Double> ratings) {
    }

    private final Map<String, EloState> elo = new ConcurrentHashMap<>();

    /**
     * Online Elo (K=4, time order) over the counted votes of a category. A full replay goes through
     * arena-stats; votes appended since in time order (the usual case) are applied one by one with the same
     * update (METHODS.md "Online Elo"), so a new vote costs O(1); an exclusion change or an out-of-order vote
     * triggers a full replay.
     */
    public Map<String, Double> eloOnline(String category) {
        String key = "elo|" + category;
        Object lock = locks.computeIfAbsent(key, x -> new Object());
        synchronized (lock) {
            EloState st = elo.get(category);
            if (st != null) {
                VoteStore.Appended d = store.appendedSince(category, st.rows(), st.lastTime());
                if (d.exclusionEpoch() == st.exclusionEpoch() && d.inOrder()) {
                    if (d.y().length == 0) {
                        return st.ratings();
                    }
                    Map<String, Double> r = new HashMap<>(st.ratings());
                    double alpha = Math.log(10.0) / 400.0;
                    for (int k = 0; k < d.y().length; k++) {
                        double ra = r.getOrDefault(d.modelA()[k], 1000.0);
                        double rb = r.getOrDefault(d.modelB()[k], 1000.0);
                        double e = 1.0 / (1.0 + Math.exp(alpha * (rb - ra)));
                        double u = 4.0 * (d.y()[k] - e);
                        r.put(d.modelA()[k], ra + u);
                        r.put(d.modelB()[k], rb - u);
                    }
                    st = new EloState(d.size(), d.exclusionEpoch(), d.lastTime(), r);
                    elo.put(category, st);
                    return st.ratings();
                }
            }
            VoteStore.Appended marker;
            VoteTable vt;
            synchronized (store) {
                marker = store.appendedSince(category, Integer.MAX_VALUE, Long.MIN_VALUE);
                vt = store.votes(category, List.of(), Map.of(), Long.MIN_VALUE, Long.MAX_VALUE);
            }
            double[] ratings = StatsEngine.onlineElo(vt);
            Map<String, Double> out = new HashMap<>();
            for (int i = 0; i < vt.models().size(); i++) {
                out.put(vt.models().get(i), ratings[i]);
            }
            long last = vt.size() == 0 ? Long.MIN_VALUE : vt.timeMillis()[vt.size() - 1];
            st = new EloState(marker.size(), marker.exclusionEpoch(), last, Map.copyOf(out));
            elo.put(category, st);
            return st.ratings();
        }
    }

    public Leaderboard leaderboard(LeaderboardQuery q) {
        StatsEngine.CiSpec ci = new StatsEngine.CiSpec(q.ci(), q.rounds(), q.seed(), q.anchorModel(),
                q.anchorRating() == null ? 1000.0 : q.anchorRating());
        FitResult plain = fit(q.category(), List.of(), q.controlled() ? sandwichOnly(ci) : ci);
        FitResult shown = q.controlled() ? fit(q.category(), q.covariates(), ci) : plain;
        if (q.anchorModel() != null && shown.indexOf(q.anchorModel()) < 0) {
            throw new BadRequestException("anchor", "model '" + q.anchorModel() + "' has no votes in category '"
                    + q.category() + "'");
        }
        Map<String, Double> elo = eloOnline(q.category());
        Map<String, RegistryModel> reg = registry.models();
        List<Integer> visible = new ArrayList<>();
        for (int i = 0; i < shown.models().size(); i++) {
            String m = shown.models().get(i);
            int pi = plain.indexOf(m);
            long votes = pi >= 0 ? plain.modelVotes()[pi] : shown.modelVotes()[i];
            RegistryModel r = reg.get(m);
            if (votes <= q.minVotes()) {
                continue;
            }
            if (!q.includeDeprecated() && r != null && r.isDeprecated()) {
                continue;
            }
            if (!q.includePrivate() && r != null && r.isPrivate()) {
                continue;
            }
            visible.add(i);
        }
        int[] rankShown = ranks(visible, shown.ciLow(), shown.ciHigh(), i -> i);
        int[] rankPlain = null;
        if (q.controlled()) {
            rankPlain = ranks(visible, plain.ciLow(), plain.ciHigh(), i -> plain.indexOf(shown.models().get(i)));
        }
        List<LeaderboardEntry> rows = new ArrayList<>();
        for (int v = 0; v < visible.size(); v++) {
            int i = visible.get(v);
            String m = shown.models().get(i);
            RegistryModel r = reg.get(m);
            int pi = plain.indexOf(m);
            long votes = pi >= 0 ? plain.modelVotes()[pi] : shown.modelVotes()[i];
            rows.add(new LeaderboardEntry(m, shown.ratings()[i], shown.ciLow()[i], shown.ciHigh()[i],
                    q.controlled() ? rankPlain[v] : rankShown[v], q.controlled() ? rankShown[v] : null, votes,
                    elo.getOrDefault(m, 1000.0), r == null ? null : r.organization(), r == null ? null : r.license(),
                    r == null ? null : r.isDeprecated(), r == null ? null : r.visibility()));
        }
        Comparator<LeaderboardEntry> order = q.controlled()
                ? Comparator.comparingInt(LeaderboardEntry::rankStyleControl)
                : Comparator.comparingInt(LeaderboardEntry::rank);
        rows.sort(order.thenComparing(Comparator.comparingDouble(LeaderboardEntry::rating).reversed()));
        Map<String, Coefficient> coefficients = null;
        if (q.controlled()) {
            coefficients = new LinkedHashMap<>();
            for (int g = 0; g < shown.covariates().size(); g++) {
                coefficients.put(shown.covariates().get(g),
                        new Coefficient(shown.gamma()[g], shown.gammaLow()[g], shown.gammaHigh()[g]));
            }
        }
        return new Leaderboard(q.category(), q.styleControl(), q.covariates(), q.ci().label(), rows, coefficients,
                plain.nVotes(), q.controlled() ? shown.nVotes() : null, store.lastVoteAt(), Instant.now());
    }

    private static StatsEngine.CiSpec sandwichOnly(StatsEngine.CiSpec ci) {
        return new StatsEngine.CiSpec(CiMethod.SANDWICH, 0, 0, ci.anchorModel(), ci.anchorRating());
    }

    /** Rank (UB) among the visible models: 1 + #{visible j : low_j > high_i}. */
    private static int[] ranks(List<Integer> visible, double[] low, double[] high,
                               java.util.function.IntUnaryOperator index) {
        int n = visible.size();
        double[] lo = new double[n];
        double[] hi = new double[n];
        for (int v = 0; v < n; v++) {
            int i = index.applyAsInt(visible.get(v));
            lo[v] = i >= 0 ? low[i] : Double.NEGATIVE_INFINITY;
            hi[v] = i >= 0 ? high[i] : Double.POSITIVE_INFINITY;
        }
        return StatsEngine.ranks(lo, hi);
    }

    /** Win-fraction, count and predicted-probability matrices of a category (models by plain rating). */
    public Matrices matrices(String category) {
        FitResult fit = fit(category, List.of(), new StatsEngine.CiSpec(CiMethod.SANDWICH, 0, 0, null, 1000));
        VoteTable vt = store.votes(category, List.of(), Map.of(), Long.MIN_VALUE, Long.MAX_VALUE);
        return StatsEngine.matrices(category, vt, fit);
    }
}

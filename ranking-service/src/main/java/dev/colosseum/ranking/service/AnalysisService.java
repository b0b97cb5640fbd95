package dev.colosseum.ranking.service;

import dev.colosseum.ranking.BadRequestException;
import dev.colosseum.ranking.DriftEntry;
import dev.colosseum.ranking.DriftReport;
import dev.colosseum.ranking.HistoryPoint;
import dev.colosseum.ranking.Leaderboard;
import dev.colosseum.ranking.LeaderboardEntry;
import dev.colosseum.ranking.ModelHistory;
import dev.colosseum.ranking.ParetoPoint;
import dev.colosseum.ranking.ParetoView;
import dev.colosseum.ranking.SamplingWeights;
import dev.colosseum.ranking.client.RegistryModel;
import dev.colosseum.ranking.config.RankingConfig;
import dev.colosseum.stats.BradleyTerry;
import dev.colosseum.stats.FixedOpponentFit;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.commons.math3.distribution.NormalDistribution;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** History, drift, Elo-vs-price and sampling weights, all from the live store. */
@ApplicationScoped
public class AnalysisService {
    private final VoteStore store;
    private final LeaderboardService leaderboards;
    private final RegistryService registry;
    private final RankingConfig config;

    public AnalysisService(VoteStore store, LeaderboardService leaderboards, RegistryService registry,
                           RankingConfig config) {
        this.store = store;
        this.leaderboards = leaderboards;
        this.registry = registry;
        this.config = config;
    }

    private static StatsEngine.CiSpec sandwich() {
        return new StatsEngine.CiSpec(CiMethod.SANDWICH, 0, 0, null, 1000);
    }

    /** The model's rating fitted on all votes up to each of {@code points} evenly spaced times. */
    public ModelHistory history(String category, String model, int points) {
        VoteTable all = store.votes(category, List.of(), Map.of(), Long.MIN_VALUE, Long.MAX_VALUE);
        if (!all.models().contains(model)) {
            throw new jakarta.ws.rs.NotFoundException("model '" + model + "' has no votes in category '" + category + "'");
        }
        long first = all.timeMillis()[0];
        long last = all.timeMillis()[all.size() - 1];
        List<HistoryPoint> out = new ArrayList<>();
        double[] warm = null;
        List<String> warmModels = null;
        for (int k = 1; k <= points; k++) {
            long cut = k == points ? Long.MAX_VALUE : first + (long) ((last - first) * (double) k / points);
            VoteTable vt = store.votes(category, List.of(), Map.of(), Long.MIN_VALUE, cut == Long.MAX_VALUE ? cut : cut + 1);
            int idx = vt.models().indexOf(model);
            if (idx < 0 || vt.models().size() < 2) {
                continue;
            }
            double[] start = null;
            if (warm != null) {
                start = new double[vt.models().size()];
                for (int i = 0; i < start.length; i++) {
                    int j = warmModels.indexOf(vt.models().get(i));
                    start[i] = j >= 0 ? warm[j] : 0.0;
                }
            }
            FitResult fit = StatsEngine.fitVotes(vt, sandwich(), start);
            warm = fit.theta();
            warmModels = fit.models();
            Instant at = Instant.ofEpochMilli(cut == Long.MAX_VALUE ? last : cut);
            out.add(new HistoryPoint(at, fit.modelVotes()[idx], fit.ratings()[idx], fit.ciLow()[idx], fit.ciHigh()[idx]));
        }
        return new ModelHistory(model, category, out);
    }

    /**
     * METHODS.md "Drift": for every model with at least {@code minEach} votes before and after the split,
     * θ on the recent window and θ on the earlier votes, opponents fixed at the full-data fit;
     * z = Δ / √(V_recent + V_before); significant when |z| exceeds the two-sided Bonferroni threshold
     * Φ⁻¹(1 − α / (2k)) over the k models checked.
     */
    public DriftReport drift(String category, Instant since, double recentFraction, double alpha, int minEach,
                             boolean onlySignificant) {
        VoteTable all = store.votes(category, List.of(), Map.of(), Long.MIN_VALUE, Long.MAX_VALUE);
        if (all.size() == 0) {
            return new DriftReport(category, since, alpha, 0, Double.NaN, List.of());
        }
        long split = since != null ? since.toEpochMilli()
                : all.timeMillis()[Math.min(all.size() - 1, (int) Math.floor(all.size() * (1 - recentFraction)))];
        FitResult full = StatsEngine.fitVotes(all, sandwich(), null);
        double[] theta = new double[all.models().size()];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = full.theta()[full.indexOf(all.models().get(i))];
        }
        VoteTable before = store.votes(category, List.of(), Map.of(), Long.MIN_VALUE, split);
        VoteTable recent = store.votes(category, List.of(), Map.of(), split, Long.MAX_VALUE);
        double[] thetaBefore = remap(theta, all.models(), before.models());
        double[] thetaRecent = remap(theta, all.models(), recent.models());
        List<double[]> stats = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < all.models().size(); i++) {
            String m = all.models().get(i);
            int bi = before.models().indexOf(m);
            int ri = recent.models().indexOf(m);
            if (bi < 0 || ri < 0) {
                continue;
            }
            FixedOpponentFit.Result fb = StatsEngine.fitWithFixedOpponents(before, bi, thetaBefore, theta[i]);
            FixedOpponentFit.Result fr = StatsEngine.fitWithFixedOpponents(recent, ri, thetaRecent, theta[i]);
            if (fb.votes() < minEach || fr.votes() < minEach || Double.isNaN(fb.theta()) || Double.isNaN(fr.theta())) {
                continue;
            }
            double z = (fr.theta() - fb.theta()) / Math.sqrt(fb.variance() + fr.variance());
            names.add(m);
            stats.add(new double[]{fb.theta(), fr.theta(), z, fb.votes(), fr.votes()});
        }
        int k = names.size();
        double threshold = k == 0 ? Double.NaN : new NormalDistribution().inverseCumulativeProbability(1 - alpha / (2.0 * k));
        List<DriftEntry> entries = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            double[] s = stats.get(i);
            boolean sig = Math.abs(s[2]) > threshold;
            if (onlySignificant && !sig) {
                continue;
            }
            double rb = 1000 + s[0] * BradleyTerry.ELO_PER_LOGIT;
            double rr = 1000 + s[1] * BradleyTerry.ELO_PER_LOGIT;
            entries.add(new DriftEntry(names.get(i), rb, rr, rr - rb, s[2], (long) s[3], (long) s[4], sig));
        }
        entries.sort(Comparator.comparingDouble((DriftEntry e) -> -Math.abs(e.z())));
        return new DriftReport(category, Instant.ofEpochMilli(split), alpha, k, threshold, entries);
    }

    private static double[] remap(double[] theta, List<String> from, List<String> to) {
        double[] out = new double[to.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = theta[from.indexOf(to.get(i))];
        }
        return out;
    }

    /**
     * Elo against price: a model's price is its mean cost per answer in USD over its votes in the category
     * ({@code cost_usd} when the vote carries it, else the registry's $/token × the answer's tokens).
     * A model is on the frontier when every cheaper model rates strictly lower.
     */
    public ParetoView pareto(String category, Leaderboard board) {
        VoteTable vt = store.votes(category, List.of(VoteStore.PRICE), registry.models(), Long.MIN_VALUE, Long.MAX_VALUE);
        Map<String, double[]> sums = new HashMap<>();
        for (int i = 0; i < vt.size(); i++) {
            sums.computeIfAbsent(vt.models().get(vt.a()[i]), x -> new double[2]);
            sums.computeIfAbsent(vt.models().get(vt.b()[i]), x -> new double[2]);
            double[] sa = sums.get(vt.models().get(vt.a()[i]));
            sa[0] += vt.featuresA()[0][i];
            sa[1]++;
            double[] sb = sums.get(vt.models().get(vt.b()[i]));
            sb[0] += vt.featuresB()[0][i];
            sb[1]++;
        }
        List<LeaderboardEntry> rows = board.models();
        List<ParetoPoint> points = new ArrayList<>();
        List<LeaderboardEntry> priced = new ArrayList<>();
        for (LeaderboardEntry e : rows) {
            if (sums.containsKey(e.model())) {
                priced.add(e);
            }
        }
        priced.sort(Comparator.comparingDouble((LeaderboardEntry e) -> mean(sums.get(e.model())))
                .thenComparing(Comparator.comparingDouble(LeaderboardEntry::rating).reversed()));
        double best = Double.NEGATIVE_INFINITY;
        for (LeaderboardEntry e : priced) {
            boolean frontier = e.rating() > best;
            best = Math.max(best, e.rating());
            points.add(new ParetoPoint(e.model(), e.rating(), e.ciLow(), e.ciHigh(), mean(sums.get(e.model())),
                    "mean_cost_usd_per_answer", frontier));
        }
        for (LeaderboardEntry e : rows) {
            if (!sums.containsKey(e.model())) {
                points.add(new ParetoPoint(e.model(), e.rating(), e.ciLow(), e.ciHigh(), null, null, false));
            }
        }
        return new ParetoView(category, "USD", points);
    }

    private static double mean(double[] s) {
        return s[0] / s[1];
    }

    /** Sampling weights for battle-service (CONTRACTS.md). */
    public SamplingWeights sampling(String policy, List<String> requested) {
        FitResult fit = leaderboards.fit(VoteStore.OVERALL, List.of(), sandwich());
        Map<String, RegistryModel> reg = registry.models();
        List<String> names = new ArrayList<>();
        if (requested != null && !requested.isEmpty()) {
            names.addAll(requested);
        } else if (!reg.isEmpty()) {
            for (RegistryModel r : reg.values()) {
                if (!Boolean.TRUE.equals(r.historical()) && !r.isDeprecated() && !Boolean.FALSE.equals(r.enabled())) {
                    names.add(r.id());
                }
            }
        } else {
            names.addAll(store.models());
        }
        List<SamplingPolicies.Candidate> candidates = new ArrayList<>();
        for (String n : names) {
            RegistryModel r = reg.get(n);
            int i = fit.indexOf(n);
            candidates.add(new SamplingPolicies.Candidate(n,
                    r == null || r.samplingWeight() == null ? 1.0 : r.samplingWeight(),
                    r != null && r.isOutage(), i >= 0 ? fit.modelVotes()[i] : 0, i >= 0 ? fit.ratings()[i] : null));
        }
        return switch (policy) {
            case "fastchat" -> SamplingPolicies.fastchat(candidates, config.newModelVoteTarget(), config.newModelBoost(),
                    config.topK(), config.topKWeight());
            case "active" -> SamplingPolicies.active(candidates, fit);
            case "active-eq9" -> SamplingPolicies.activeEq9(candidates, fit);
            default -> throw new BadRequestException("policy",
                    "policy must be active, active-eq9 or fastchat, got '" + policy + "'");
        };
    }
}

package dev.colosseum.stats;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Parity with FastChat's own rating code on real votes (../shared/data/reference). The 2024 file
 * contains mixtral-8x7b-instruct-v0.1, which FastChat anchors at 1114 in compute_bt.
 */
class ReferenceParityTest {
    static final String FASTCHAT_ANCHOR = "mixtral-8x7b-instruct-v0.1";

    private static Map<String, JsonNode> byModel(JsonNode list) {
        Map<String, JsonNode> m = new HashMap<>();
        for (JsonNode e : list) {
            m.put(e.get("model").asText(), e);
        }
        return m;
    }

    private static double[] anchored(BattleSet set, double[] ratings) {
        int a = set.modelIndex(FASTCHAT_ANCHOR);
        double[] r = ratings.clone();
        if (a >= 0) {
            double s = 1114.0 - r[a];
            for (int i = 0; i < r.length; i++) {
                r[i] += s;
            }
        }
        return r;
    }

    /** FastChat's point estimate in log-odds, sum-zero (its L-BFGS starts at 0 and keeps the sum). */
    private static double[] referenceTheta(BattleSet set, JsonNode bt) {
        double mean = 0;
        for (JsonNode e : bt) {
            mean += e.get("rating").asDouble();
        }
        mean /= bt.size();
        double[] th = new double[set.modelCount()];
        for (JsonNode e : bt) {
            th[set.modelIndex(e.get("model").asText())] = (e.get("rating").asDouble() - mean) / BradleyTerry.ELO_PER_LOGIT;
        }
        return th;
    }

    @ParameterizedTest
    @ValueSource(strings = {SharedData.SAMPLE_10K, SharedData.ARENA_1135})
    void btPointRatingsMatchFastChat(String name) throws IOException {
        BattleSet set = SharedData.battles(name);
        JsonNode ref = SharedData.reference(name);
        JsonNode bt = ref.path("leaderboards").path("bt");
        assertEquals(bt.size(), set.modelCount());
        assertEquals(ref.path("input").path("battles_used").asInt(), set.size());
        PairTable t = PairTable.aggregate(set);
        BradleyTerry.Fit fit = BradleyTerry.fit(t, BradleyTerry.FitOptions.defaults()
                .withOptimizer(BradleyTerry.Optimizer.FASTCHAT_LBFGS));
        double[] r = anchored(set, fit.ratings());
        for (JsonNode e : bt) {
            int i = set.modelIndex(e.get("model").asText());
            assertEquals(e.get("rating").asDouble(), r[i], 0.01, e.get("model").asText());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {SharedData.SAMPLE_10K, SharedData.ARENA_1135})
    void newtonMleIsAtLeastAsGoodAsFastChatsOptimum(String name) throws IOException {
        BattleSet set = SharedData.battles(name);
        JsonNode bt = SharedData.reference(name).path("leaderboards").path("bt");
        PairTable t = PairTable.aggregate(set);
        BradleyTerry.Fit fit = BradleyTerry.fit(t);
        assertTrue(fit.converged());
        double ours = BradleyTerry.loss(t, fit.theta());
        double theirs = BradleyTerry.loss(t, referenceTheta(set, bt));
        assertTrue(ours <= theirs, "Newton optimum " + ours + " vs FastChat's " + theirs);
        // FastChat stops L-BFGS at a relative loss reduction of ~2.2e-9 on the mean loss
        assertTrue(theirs - ours < 1e-7 * theirs, "reference is close to the optimum");
        double[] r = anchored(set, fit.ratings());
        for (JsonNode e : bt) {
            int i = set.modelIndex(e.get("model").asText());
            assertEquals(e.get("rating").asDouble(), r[i], 1.0, e.get("model").asText());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {SharedData.SAMPLE_10K, SharedData.ARENA_1135})
    void sandwichIntervalsMatchArenaRankRestated(String name) throws IOException {
        BattleSet set = SharedData.battles(name);
        JsonNode ref = SharedData.reference(name).path("leaderboards");
        PairTable t = PairTable.aggregate(set);
        // The reference evaluates the sandwich at FastChat's point estimate: do the same, so the
        // comparison tests the formula (per-vote meat, ridge 1e-5 * N, z = 1.959964).
        BradleyTerry.Fit at = new BradleyTerry.Fit(referenceTheta(set, ref.path("bt")), new double[0], 0, true);
        double[] v = Sandwich.covariance(t, at, BradleyTerry.Penalty.NONE);
        int p = t.parameterCount();
        double z = Ranker.normalQuantile(0.05);
        for (JsonNode e : ref.path("bt_sandwich_arena_rank_restated")) {
            int i = set.modelIndex(e.get("model").asText());
            double sd = Math.sqrt(v[i * p + i]) * BradleyTerry.ELO_PER_LOGIT;
            double rating = e.get("rating").asDouble();
            assertEquals(e.get("variance").asDouble(), sd * sd, 1e-6 * sd * sd, "variance " + e.get("model"));
            assertEquals(e.get("ci_low").asDouble(), rating - z * sd, 0.01, "ci_low " + e.get("model"));
            assertEquals(e.get("ci_high").asDouble(), rating + z * sd, 0.01, "ci_high " + e.get("model"));
        }
        // and at our own point estimate the intervals agree as closely as the point estimates do
        BradleyTerry.Fit fit = BradleyTerry.fit(t, BradleyTerry.FitOptions.defaults()
                .withOptimizer(BradleyTerry.Optimizer.FASTCHAT_LBFGS));
        double[] v2 = Sandwich.covariance(t, fit, BradleyTerry.Penalty.NONE);
        double[] r = anchored(set, fit.ratings());
        for (JsonNode e : ref.path("bt_sandwich_arena_rank_restated")) {
            int i = set.modelIndex(e.get("model").asText());
            double sd = Math.sqrt(v2[i * p + i]) * BradleyTerry.ELO_PER_LOGIT;
            assertEquals(e.get("ci_low").asDouble(), r[i] - z * sd, 0.01, "ci_low " + e.get("model"));
            assertEquals(e.get("ci_high").asDouble(), r[i] + z * sd, 0.01, "ci_high " + e.get("model"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {SharedData.SAMPLE_10K, SharedData.ARENA_1135})
    void onlineEloMatchesFastChat(String name) throws IOException {
        BattleSet set = SharedData.battles(name);
        JsonNode elo = SharedData.reference(name).path("leaderboards").path("elo_online");
        double[] r = OnlineElo.ratings(set);
        assertEquals(elo.size(), set.modelCount());
        int[] counts = set.battleCounts();
        for (JsonNode e : elo) {
            int i = set.modelIndex(e.get("model").asText());
            assertEquals(e.get("rating").asDouble(), r[i], 0.01, e.get("model").asText());
            assertEquals(e.get("num_battles").asInt(), counts[i], e.get("model").asText());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {SharedData.SAMPLE_10K, SharedData.ARENA_1135})
    void matricesMatchFastChatsPivotTables(String name) throws IOException {
        BattleSet set = SharedData.battles(name);
        JsonNode mx = SharedData.reference(name).path("matrices");
        Matrices m = Matrices.compute(set, true);
        compare(set, mx.path("win_fraction_row_beats_col_no_ties"), m, true);
        compare(set, mx.path("battle_count_no_ties"), m, false);
        JsonNode avg = mx.path("average_win_rate_no_ties");
        Iterator<Map.Entry<String, JsonNode>> it = avg.fields();
        int n = 0;
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            int i = set.modelIndex(e.getKey());
            if (e.getValue().isNull()) {
                assertTrue(Double.isNaN(m.averageWinRate(i)), e.getKey());
            } else {
                assertEquals(e.getValue().asDouble(), m.averageWinRate(i), 1e-12, e.getKey());
            }
            n++;
        }
        assertTrue(n > 0);
    }

    private static void compare(BattleSet set, JsonNode table, Matrices m, boolean winFraction) {
        int cells = 0;
        int nulls = 0;
        Iterator<Map.Entry<String, JsonNode>> rows = table.fields();
        while (rows.hasNext()) {
            Map.Entry<String, JsonNode> row = rows.next();
            int i = set.modelIndex(row.getKey());
            assertTrue(i >= 0, row.getKey());
            Iterator<Map.Entry<String, JsonNode>> cols = row.getValue().fields();
            while (cols.hasNext()) {
                Map.Entry<String, JsonNode> c = cols.next();
                int j = set.modelIndex(c.getKey());
                double ours = winFraction ? m.winFraction(i, j) : m.count(i, j);
                String where = row.getKey() + " vs " + c.getKey();
                if (c.getValue().isNull()) {
                    assertTrue(Double.isNaN(ours), "expected undefined at " + where + ", got " + ours);
                    nulls++;
                } else {
                    assertEquals(c.getValue().asDouble(), ours, 1e-12, where);
                }
                cells++;
            }
        }
        assertEquals(set.modelCount() * set.modelCount(), cells);
        if (winFraction) {
            assertTrue(nulls > 0, "the reference has undefined win-fraction cells");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {SharedData.SAMPLE_10K, SharedData.ARENA_1135})
    void bootstrapIntervalsAgreeStatistically(String name) throws IOException {
        BattleSet set = SharedData.battles(name);
        JsonNode bt = SharedData.reference(name).path("leaderboards").path("bt");
        boolean anchored = set.modelIndex(FASTCHAT_ANCHOR) >= 0;
        RankOptions o = RankOptions.defaults().withCi(RankOptions.CiMethod.BOOTSTRAP).withRounds(400).withSeed(7);
        if (anchored) {
            o = o.withAnchor(FASTCHAT_ANCHOR, 1114.0);
        }
        RankResult r = Ranker.rank(set, o);
        Map<String, RankResult.ModelRating> ours = new HashMap<>();
        r.models().forEach(x -> ours.put(x.model(), x));
        double sumAbs = 0;
        int n = 0;
        for (JsonNode e : bt) {
            RankResult.ModelRating x = ours.get(e.get("model").asText());
            int battles = e.get("num_battles").asInt();
            double refWidth = e.get("ci_high").asDouble() - e.get("ci_low").asDouble();
            double width = x.ciHigh() - x.ciLow();
            // each bound is a 2.5% quantile estimated from 100 (reference) and 400 (ours) draws
            double tol = Math.max(4.0, 0.25 * refWidth);
            if (battles >= 50) {
                assertEquals(e.get("ci_low").asDouble(), x.ciLow(), tol, "ci_low " + e.get("model"));
                assertEquals(e.get("ci_high").asDouble(), x.ciHigh(), tol, "ci_high " + e.get("model"));
                sumAbs += Math.abs(width - refWidth) / Math.max(1e-9, refWidth);
                n++;
            }
        }
        assertTrue(n > 0);
        assertTrue(sumAbs / n < 0.12, "mean relative width difference " + sumAbs / n);
    }
}

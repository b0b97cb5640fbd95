package dev.colosseum.stats;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Known-truth simulations: recovery of ratings and style coefficients, CI coverage. */
class SimulationTest {

    private static int index(BattleSet set, int trueModel) {
        return set.modelIndex(Simulator.name(trueModel));
    }

    @Test
    void ratingsRecoverTheTruth() {
        Simulator sim = new Simulator(20, 0.8, null, 11);
        BattleSet set = sim.battles(200_000);
        PairTable t = PairTable.aggregate(set);
        BradleyTerry.Fit fit = BradleyTerry.fit(t);
        assertTrue(fit.converged());
        assertTrue(fit.iterations() <= 10, "Newton converges in a handful of iterations: " + fit.iterations());
        double[] v = Sandwich.covariance(t, fit, BradleyTerry.Penalty.NONE);
        int p = t.parameterCount();
        double maxElo = 0;
        for (int i = 0; i < 20; i++) {
            int j = index(set, i);
            double err = fit.theta()[j] - sim.theta[i];
            double se = Math.sqrt(v[j * p + j]);
            assertTrue(Math.abs(err) < 4.5 * se, "model " + i + " error " + err + " se " + se);
            maxElo = Math.max(maxElo, Math.abs(err) * BradleyTerry.ELO_PER_LOGIT);
        }
        assertTrue(maxElo < 12, "max error in Elo " + maxElo);
        // the order is recovered for well-separated models
        double sum = 0;
        for (double x : fit.theta()) {
            sum += x;
        }
        assertEquals(0.0, sum, 1e-9, "sum-zero identification");
    }

    @Test
    void warmStartReachesTheSameOptimumFaster() {
        Simulator sim = new Simulator(30, 0.7, null, 5);
        BattleSet set = sim.battles(50_000);
        PairTable t = PairTable.aggregate(set);
        BradleyTerry.Fit cold = BradleyTerry.fit(t);
        BattleSet more = sim.battles(500);
        BattleSet.Builder b = BattleSet.builder();
        for (int i = 0; i < set.size(); i++) {
            b.add(set.models().get(set.modelA(i)), set.models().get(set.modelB(i)), set.outcome(i), i);
        }
        for (int i = 0; i < more.size(); i++) {
            b.add(more.models().get(more.modelA(i)), more.models().get(more.modelB(i)), more.outcome(i), i);
        }
        PairTable t2 = PairTable.aggregate(b.build());
        BradleyTerry.Fit coldNew = BradleyTerry.fit(t2);
        double[] start = new double[t2.modelCount()];
        for (int i = 0; i < t2.modelCount(); i++) {
            start[i] = cold.theta()[set.modelIndex(t2.models().get(i))];
        }
        BradleyTerry.Fit warm = BradleyTerry.fit(t2, BradleyTerry.FitOptions.defaults().withWarmStart(start));
        assertTrue(warm.iterations() < coldNew.iterations(), warm.iterations() + " vs " + coldNew.iterations());
        for (int i = 0; i < t2.modelCount(); i++) {
            assertEquals(coldNew.theta()[i], warm.theta()[i], 1e-8);
        }
    }

    @Test
    void sandwichAndBootstrapIntervalsCoverTheTruth() {
        int reps = 60;
        int m = 8;
        int sandwichHits = 0;
        int bootHits = 0;
        int simHits = 0;
        int cases = 0;
        for (int r = 0; r < reps; r++) {
            Simulator sim = new Simulator(m, 0.6, null, 1000 + r);
            BattleSet set = sim.battles(3000);
            RankResult sw = Ranker.rank(set, RankOptions.defaults());
            RankResult bs = Ranker.rank(set, RankOptions.defaults().withCi(RankOptions.CiMethod.BOOTSTRAP)
                    .withRounds(200).withSeed(r).withThreads(2));
            RankResult si = Ranker.rank(set, RankOptions.defaults().withCi(RankOptions.CiMethod.SIMULTANEOUS));
            for (int i = 0; i < m; i++) {
                double truth = 1000 + sim.theta[i] * BradleyTerry.ELO_PER_LOGIT;
                String name = Simulator.name(i);
                sandwichHits += covers(sw, name, truth);
                bootHits += covers(bs, name, truth);
                simHits += covers(si, name, truth);
                cases++;
            }
        }
        double sCov = sandwichHits / (double) cases;
        double bCov = bootHits / (double) cases;
        double simCov = simHits / (double) cases;
        assertTrue(sCov >= 0.90 && sCov <= 0.99, "sandwich coverage " + sCov);
        assertTrue(bCov >= 0.90 && bCov <= 0.99, "bootstrap coverage " + bCov);
        assertTrue(simCov >= sCov, "simultaneous intervals are wider: " + simCov + " vs " + sCov);
    }

    private static int covers(RankResult r, String model, double truth) {
        for (RankResult.ModelRating x : r.models()) {
            if (x.model().equals(model)) {
                return x.ciLow() <= truth && truth <= x.ciHigh() ? 1 : 0;
            }
        }
        throw new AssertionError("missing " + model);
    }

    @Test
    void styleControlRecoversPlantedCoefficients() {
        double[] gamma = {0.30, -0.20, 0.15, 0.10};
        Simulator sim = new Simulator(15, 0.6, gamma, 21);
        BattleSet set = sim.styledBattles(60_000);
        PairTable t = PairTable.withStyle(set, PairTable.standardCovariates(), false);
        BradleyTerry.Fit fit = BradleyTerry.fit(t, BradleyTerry.FitOptions.defaults().withPenalty(BradleyTerry.Penalty.NONE));
        double[] v = Sandwich.covariance(t, fit, BradleyTerry.Penalty.NONE);
        int p = t.parameterCount();
        int m = t.modelCount();
        for (int k = 0; k < 4; k++) {
            double se = Math.sqrt(v[(m + k) * p + m + k]);
            assertEquals(gamma[k], fit.gamma()[k], 4.5 * se, "gamma " + t.featureNames().get(k));
        }
        for (int i = 0; i < 15; i++) {
            int j = index(set, i);
            double se = Math.sqrt(v[j * p + j]);
            assertEquals(sim.theta[i], fit.theta()[j], 4.5 * se, "theta " + i);
        }
        // FastChat's light penalty barely moves the estimates at this size
        BradleyTerry.Fit fc = BradleyTerry.fit(t, BradleyTerry.FitOptions.defaults().withPenalty(BradleyTerry.Penalty.FASTCHAT));
        for (int k = 0; k < 4; k++) {
            assertEquals(fit.gamma()[k], fc.gamma()[k], 0.01);
        }
        // through the high-level entry point, with intervals that cover the truth
        RankResult r = Ranker.rank(set, RankOptions.defaults().withStyleControl(true)
                .withStylePenalty(BradleyTerry.Penalty.NONE));
        assertEquals(List.of("tokens", "headers", "lists", "bold"), List.copyOf(r.styleCoefficients().keySet()));
        int k = 0;
        for (RankResult.Coefficient c : r.styleCoefficients().values()) {
            assertTrue(c.ciLow() < gamma[k] + 0.02 && gamma[k] - 0.02 < c.ciHigh(), "interval " + k);
            k++;
        }
    }

    @Test
    void extraNamedCovariateIsOneMoreColumn() {
        // truth: latency difference (standardised) lowers the win chance of the slower side
        int m = 8;
        int n = 40_000;
        Simulator sim = new Simulator(m, 0.5, null, 31);
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(32);
        int[] as = new int[n];
        int[] bs = new int[n];
        double[] la = new double[n];
        double[] lb = new double[n];
        double[] d = new double[n];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            as[k] = rnd.nextInt(m);
            int c = rnd.nextInt(m - 1);
            bs[k] = c >= as[k] ? c + 1 : c;
            la[k] = 200 + 800 * rnd.nextDouble();
            lb[k] = 200 + 800 * rnd.nextDouble();
            d[k] = la[k] - lb[k];
            sum += d[k];
        }
        double mu = sum / n;
        double ss = 0;
        for (int k = 0; k < n; k++) {
            ss += (d[k] - mu) * (d[k] - mu);
        }
        double sd = Math.sqrt(ss / n);
        double gammaLatency = -0.25;
        BattleSet.Builder b = BattleSet.builder();
        for (int k = 0; k < n; k++) {
            double logit = sim.theta[as[k]] - sim.theta[bs[k]] + gammaLatency * (d[k] - mu) / sd;
            double p = 1 / (1 + Math.exp(-logit));
            int row = b.add(Simulator.name(as[k]), Simulator.name(bs[k]), rnd.nextDouble() < p ? Outcome.MODEL_A : Outcome.MODEL_B, k);
            b.setFeature(row, "latency_ms", la[k], true);
            b.setFeature(row, "latency_ms", lb[k], false);
        }
        BattleSet set = b.build();
        RankResult r = Ranker.rank(set, RankOptions.defaults().withStyleControl(true)
                .withCovariates(List.of(new PairTable.Covariate("latency_ms", PairTable.Transform.DIFF)))
                .withStylePenalty(BradleyTerry.Penalty.NONE));
        RankResult.Coefficient c = r.styleCoefficients().get("latency_ms");
        assertTrue(c.ciLow() < gammaLatency && gammaLatency < c.ciHigh(), "interval " + c);
        assertEquals(gammaLatency, c.coefficient(), 0.05);
    }

    @Test
    void penaltyConventionsMinimiseTheirOwnObjectives() {
        double[] gamma = {0.30, -0.20, 0.15, 0.10};
        Simulator sim = new Simulator(6, 0.5, gamma, 3);
        BattleSet set = sim.styledBattles(4000);
        PairTable t = PairTable.withStyle(set, PairTable.standardCovariates(), false);
        double n = t.totalVotes();
        double ln10 = Math.log(10);
        for (BradleyTerry.Penalty pen : BradleyTerry.Penalty.values()) {
            BradleyTerry.Fit fit = BradleyTerry.fit(t, BradleyTerry.FitOptions.defaults().withPenalty(pen));
            double[] x = fit.parameters();
            double best = objective(t, x, pen, n, ln10);
            java.util.SplittableRandom rnd = new java.util.SplittableRandom(1);
            for (int trial = 0; trial < 40; trial++) {
                double[] y = x.clone();
                for (int i = 0; i < y.length; i++) {
                    y[i] += 1e-3 * (rnd.nextDouble() - 0.5);
                }
                if (pen == BradleyTerry.Penalty.NONE || pen == BradleyTerry.Penalty.ARENA_RANK) {
                    double s = 0;
                    for (int i = 0; i < t.modelCount(); i++) {
                        s += y[i];
                    }
                    for (int i = 0; i < t.modelCount(); i++) {
                        y[i] -= s / t.modelCount();
                    }
                }
                assertTrue(objective(t, y, pen, n, ln10) >= best - 1e-9, pen + " is not at its optimum");
            }
        }
        // arena-rank's penalty on the mean loss shrinks gamma much more than FastChat's
        BradleyTerry.Fit ar = BradleyTerry.fit(t, BradleyTerry.FitOptions.defaults().withPenalty(BradleyTerry.Penalty.ARENA_RANK));
        BradleyTerry.Fit fc = BradleyTerry.fit(t, BradleyTerry.FitOptions.defaults().withPenalty(BradleyTerry.Penalty.FASTCHAT));
        assertTrue(Math.abs(ar.gamma()[0]) < 0.5 * Math.abs(fc.gamma()[0]));
    }

    private static double objective(PairTable t, double[] x, BradleyTerry.Penalty pen, double n, double ln10) {
        int m = t.modelCount();
        double loss = BradleyTerry.loss(t, x);
        double th = 0;
        double ga = 0;
        for (int i = 0; i < x.length; i++) {
            if (i < m) {
                th += (x[i] / ln10) * (x[i] / ln10);
            } else {
                ga += x[i] * x[i];
            }
        }
        switch (pen) {
            case FASTCHAT: return loss + 0.25 * (th + ga);
            case ARENA_RANK: return loss / n + 0.5 * ga;
            case NONE_RIDGE: return loss + 0.25 * th;
            case ARENA_RANK_RIDGE: return (loss + 0.25 * th) / n + 0.5 * ga;
            default: return loss;
        }
    }
}

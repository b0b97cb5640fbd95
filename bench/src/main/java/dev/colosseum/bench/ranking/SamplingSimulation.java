package dev.colosseum.bench.ranking;

import dev.colosseum.ranking.PairWeight;
import dev.colosseum.ranking.SamplingWeights;
import dev.colosseum.ranking.service.CiMethod;
import dev.colosseum.ranking.service.FitResult;
import dev.colosseum.ranking.service.PairTable;
import dev.colosseum.ranking.service.SamplingPolicies;
import dev.colosseum.ranking.service.StatsEngine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Matchmaking simulation with a known truth. The same simulated voters (Bradley–Terry with the true
 * strengths, 10% ties) answer the battles chosen by three policies — uniform over pairs, FastChat's
 * weights, active sampling by paper eq. 9 ({@code active-eq9}) and by ranking-service's greedy design
 * ({@code active}, the default) — in batches; after each batch
 * the leaderboard is refitted (arena-stats, sandwich CIs, warm start) and the mean 95% CI half-width over
 * all models is checked. Prints the votes each policy needed until the mean half-width is ≤ the target.
 *
 * <p>Arguments: [models=20] [target=20] [batch=200] [repetitions=5] [spread=2.0] [seed=1] [ties=constant]
 * <p>Ties: {@code constant} = 10% of votes are ties whatever the strength gap (the default; BT cannot
 * represent this, so the fitted strengths are compressed and the sandwich intervals narrow);
 * {@code davidson} = Davidson's tie model with 10% ties between equal models, fewer as the gap grows;
 * {@code none} = no ties.
 */
public final class SamplingSimulation {
    /** Virtual votes of the greedy design per refit (-Dactive.design=N; default the service's). */
    static final int DESIGN_VOTES = Integer.getInteger("active.design", SamplingPolicies.DESIGN_VOTES);

    private SamplingSimulation() {
    }

    public static void main(String[] args) {
        int models = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        double target = args.length > 1 ? Double.parseDouble(args[1]) : 20.0;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        int reps = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        double spread = args.length > 4 ? Double.parseDouble(args[4]) : 2.0;
        long seed = args.length > 5 ? Long.parseLong(args[5]) : 1;
        ties = args.length > 6 ? args[6] : "constant";
        if (!ties.equals("constant") && !ties.equals("davidson") && !ties.equals("none")) {
            throw new IllegalArgumentException("ties must be constant, davidson or none");
        }
        System.out.printf(Locale.ROOT, "sampling simulation (uniform, fastchat, active-eq9, active = greedy design): %d models, true strengths ~ N(0, %.2f^2) log-odds "
                        + "(sd %.0f Elo), ties: %s, batches of %d votes, target mean 95%% CI half-width <= %.1f Elo, "
                        + "%d repetitions%n", models, spread, spread * 400 / Math.log(10), ties, batch, target, reps);
        String[] policies = {"uniform", "fastchat", "active-eq9", "active"};
        double[] total = new double[policies.length];
        for (int r = 0; r < reps; r++) {
            Random truthRnd = new Random(seed * 1000 + r);
            double[] truth = new double[models];
            for (int i = 0; i < models; i++) {
                truth[i] = truthRnd.nextGaussian() * spread;
            }
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  repetition %d:", r + 1));
            for (int p = 0; p < policies.length; p++) {
                long votes = run(policies[p], truth, target, batch, seed * 7919 + r);
                total[p] += votes;
                line.append(String.format(Locale.ROOT, "  %s %d", policies[p], votes));
            }
            System.out.println(line);
        }
        System.out.println("votes needed until mean 95% CI half-width <= " + target + " Elo (mean over repetitions):");
        for (int p = 0; p < policies.length; p++) {
            System.out.printf(Locale.ROOT, "  %-9s %10.0f  (%+.1f%% vs uniform)%n", policies[p], total[p] / reps,
                    100.0 * (total[p] - total[0]) / total[0]);
        }
        System.out.printf(Locale.ROOT, "active sampling (greedy design) needs %.1f%% fewer votes than uniform "
                + "(goal: >= 20%%); active-eq9 %.1f%% fewer%n",
                100.0 * (total[0] - total[3]) / total[0], 100.0 * (total[0] - total[2]) / total[0]);
    }

    /** Tie model of the simulated voters (argument 7). */
    static String ties = "constant";

    /** Davidson's ν giving 10% ties between equal models: ν / (2 + ν) = 0.1. */
    private static final double DAVIDSON_NU = 2.0 / 9.0;

    /** 0 = A wins, 1 = B wins, 2 = tie. */
    static int outcome(Random voters, double ta, double tb) {
        double p = 1.0 / (1.0 + Math.exp(-(ta - tb)));
        switch (ties) {
            case "none":
                return voters.nextDouble() < p ? 0 : 1;
            case "davidson": {
                double pa = Math.exp(ta);
                double pb = Math.exp(tb);
                double t = DAVIDSON_NU * Math.sqrt(pa * pb);
                double u = voters.nextDouble() * (pa + pb + t);
                return u < pa ? 0 : u < pa + pb ? 1 : 2;
            }
            default:
                return voters.nextDouble() < 0.1 ? 2 : voters.nextDouble() < p ? 0 : 1;
        }
    }

    /** Votes a policy needs until the mean half-width reaches the target. */
    static long run(String policy, double[] truth, double target, int batch, long seed) {
        int m = truth.length;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            names.add(String.format(Locale.ROOT, "m%02d", i));
        }
        long[] counts = new long[m * m * 3];
        long[] perModel = new long[m];
        Random voters = new Random(seed);
        Random draw = new Random(seed ^ 0x5DEECE66DL);
        FitResult fit = null;
        long n = 0;
        while (n < 5_000_000) {
            double[] w = weights(policy, names, counts, perModel, fit, m, n);
            double[] cum = new double[w.length];
            double s = 0;
            for (int k = 0; k < w.length; k++) {
                s += w[k];
                cum[k] = s;
            }
            for (int v = 0; v < batch; v++) {
                double u = draw.nextDouble() * s;
                int k = 0;
                while (k < cum.length - 1 && cum[k] < u) {
                    k++;
                }
                int i = pairI(k, m);
                int j = pairJ(k, m);
                if (draw.nextBoolean()) {
                    int t = i;
                    i = j;
                    j = t;
                }
                int o = outcome(voters, truth[i], truth[j]);
                counts[(i * m + j) * 3 + o]++;
                perModel[i]++;
                perModel[j]++;
                n++;
            }
            PairTable table = table(names, counts, perModel, n);
            if (table.modelCount() < m) {
                continue;
            }
            fit = StatsEngine.fitPlain(table, new StatsEngine.CiSpec(CiMethod.SANDWICH, 0, 0, null, 1000),
                    fit == null ? null : fit.theta());
            double half = 0;
            for (int i = 0; i < m; i++) {
                half += (fit.ciHigh()[i] - fit.ciLow()[i]) / 2;
            }
            if (half / m <= target) {
                return n;
            }
        }
        return n;
    }

    private static double[] weights(String policy, List<String> names, long[] counts, long[] perModel, FitResult fit,
                                    int m, long n) {
        double[] w = new double[m * (m - 1) / 2];
        if (policy.equals("uniform")) {
            java.util.Arrays.fill(w, 1.0);
            return w;
        }
        List<SamplingPolicies.Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            candidates.add(new SamplingPolicies.Candidate(names.get(i), 1.0, false, perModel[i],
                    fit == null ? null : fit.ratings()[i]));
        }
        SamplingWeights sw = switch (policy) {
            case "fastchat" -> SamplingPolicies.fastchat(candidates, 3000, 5, 10, 3);
            case "active-eq9" -> SamplingPolicies.activeEq9(candidates, fit);
            default -> SamplingPolicies.active(candidates, fit, DESIGN_VOTES);
        };
        int k = 0;
        for (PairWeight pw : sw.pairs()) {
            w[k++] = pw.weight();
        }
        double sum = 0;
        for (double x : w) {
            sum += x;
        }
        if (!(sum > 0)) {
            java.util.Arrays.fill(w, 1.0);
        }
        return w;
    }

    /** Pair index k over (i < j) in row order, as the policies list them. */
    private static int pairI(int k, int m) {
        int i = 0;
        while (k >= m - 1 - i) {
            k -= m - 1 - i;
            i++;
        }
        return i;
    }

    private static int pairJ(int k, int m) {
        int i = 0;
        while (k >= m - 1 - i) {
            k -= m - 1 - i;
            i++;
        }
        return i + 1 + k;
    }

    static PairTable table(List<String> names, long[] counts, long[] perModel, long n) {
        int m = names.size();
        List<Integer> a = new ArrayList<>();
        List<Integer> b = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        List<Double> c = new ArrayList<>();
        int present = 0;
        for (int i = 0; i < m; i++) {
            if (perModel[i] > 0) {
                present++;
            }
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                for (int o = 0; o < 3; o++) {
                    long k = counts[(i * m + j) * 3 + o];
                    if (k > 0) {
                        a.add(i);
                        b.add(j);
                        y.add(o == 0 ? 1.0 : o == 1 ? 0.0 : 0.5);
                        c.add((double) k);
                    }
                }
            }
        }
        if (present < m) {
            return new PairTable(List.of(), new int[0], new int[0], new double[0], new double[0], n, new long[0], n);
        }
        return new PairTable(List.copyOf(names), a.stream().mapToInt(Integer::intValue).toArray(),
                b.stream().mapToInt(Integer::intValue).toArray(), y.stream().mapToDouble(Double::doubleValue).toArray(),
                c.stream().mapToDouble(Double::doubleValue).toArray(), n, perModel.clone(), n);
    }
}

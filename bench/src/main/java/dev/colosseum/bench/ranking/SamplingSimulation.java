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
 * Matchmaking simulation with a known truth. The same simulated voters (the true strengths and, by
 * default, the tie model fitted on the real votes) answer the battles chosen by each policy — uniform over
 * pairs, FastChat's weights, active sampling by paper eq. 9 ({@code active-eq9}), ranking-service's greedy
 * design ({@code active}, the service's default) and its tie-aware variant ({@code active-ties}) — in
 * batches; after each batch
 * the leaderboard is refitted (arena-stats, sandwich CIs, warm start) and the mean 95% CI half-width over
 * all models is checked. Prints the votes each policy needed until the mean half-width is ≤ the target.
 *
 * <p>Arguments: [models=20] [target=20] [batch=200] [repetitions=5] [spread=2.0] [seed=1] [ties=data]
 * [policies=uniform,fastchat,active-eq9,active,active-ties]
 * <p>Ties: {@code data} is the default; {@code constant} = 10% of votes are ties whatever the strength gap (BT cannot represent this, so
 * the fitted strengths are compressed and the sandwich intervals narrow); {@code davidson} = Davidson's tie
 * model with 10% ties between equal models, fewer as the gap grows; {@code none} = no ties; {@code data} =
 * the tie model the real arena votes support: {@link TieAnalysis} fits constant, Davidson, Rao–Kupper and a
 * logistic-in-|gap| model on the 10k 2024 sample and the voters follow Rao–Kupper with the fitted κ
 * (37% ties between equal models, fewer as the gap grows); {@code constant:C}, {@code davidson:NU},
 * {@code rao-kupper:KAPPA} set the parameter explicitly.
 * <p>{@code -Dsim.fit=decisive} fits the decisive votes only (see {@link #DECISIVE_ONLY}).
 * <p>{@code active-ties} is the tie-aware greedy design: each pair's information is h²/(h − t/4) with t the
 * pair's tie rate shrunk to the overall one ({@link SamplingPolicies#shrunkTieRates}).
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
        String tieArg = args.length > 6 ? args[6] : "data";
        configureTies(tieArg);
        String[] policies = (args.length > 7 ? args[7] : "uniform,fastchat,active-eq9,active,active-ties").split(",");
        if (!policies[0].equals("uniform")) {
            throw new IllegalArgumentException("the first policy must be uniform (the reference)");
        }
        System.out.printf(Locale.ROOT, "sampling simulation (%s; active = greedy design): %d models, true strengths ~ N(0, %.2f^2) log-odds "
                        + "(sd %.0f Elo), ties: %s, batches of %d votes, target mean 95%% CI half-width <= %.1f Elo, "
                        + "%d repetitions%n", String.join(", ", policies), models, spread, spread * 400 / Math.log(10),
                ties + (ties.equals("none") ? "" : String.format(Locale.ROOT, " (parameter %.4f)", tieParam)), batch, target, reps);
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
        for (int p = 1; p < policies.length; p++) {
            if (policies[p].startsWith("active")) {
                System.out.printf(Locale.ROOT, "%s needs %.1f%% fewer votes than uniform (goal for active sampling: >= 20%%)%n",
                        policies[p], 100.0 * (total[0] - total[p]) / total[0]);
            }
        }
    }

    /**
     * {@code -Dsim.fit=decisive}: the leaderboard fit leaves ties out (BT on the decisive votes, which is the
     * maximum-likelihood fit when ties do not depend on the gap) instead of counting them as half wins.
     * An experiment on why active sampling gains nothing under constant ties; the service counts half wins.
     */
    static final boolean DECISIVE_ONLY = "decisive".equals(System.getProperty("sim.fit", "half"));

    /** Tie model of the simulated voters (argument 7): none, constant, davidson or rao-kupper. */
    static String ties = "constant";
    /** Its parameter: c (constant), ν (davidson), κ (rao-kupper). */
    static double tieParam = 0.1;

    /** Davidson's ν giving 10% ties between equal models: ν / (2 + ν) = 0.1. */
    private static final double DAVIDSON_NU = 2.0 / 9.0;

    static void configureTies(String arg) {
        String kind = arg.contains(":") ? arg.substring(0, arg.indexOf(':')) : arg;
        Double param = arg.contains(":") ? Double.valueOf(arg.substring(arg.indexOf(':') + 1)) : null;
        switch (kind) {
            case "none" -> {
                ties = "none";
                tieParam = 0;
            }
            case "constant" -> {
                ties = "constant";
                tieParam = param == null ? 0.1 : param;
            }
            case "davidson" -> {
                ties = "davidson";
                tieParam = param == null ? DAVIDSON_NU : param;
            }
            case "rao-kupper" -> {
                ties = "rao-kupper";
                tieParam = param == null ? 0.7832 : param;
            }
            case "data" -> {
                java.nio.file.Path file = TieAnalysis.defaultDataDir().resolve("lmarena_2024_sample10k_battles.jsonl");
                try {
                    System.out.println("tie models fitted on " + file.getFileName() + " (log-likelihood, same number of parameters):");
                    TieAnalysis.TieModel best = null;
                    for (String k : new String[]{"constant", "davidson", "rao-kupper"}) {
                        TieAnalysis.TieModel f = TieAnalysis.fit(file, k);
                        System.out.printf(Locale.ROOT, "  %-11s %.2f  %s%n", k, f.logLik(), f.describe());
                        if (best == null || f.logLik() > best.logLik()) {
                            best = f;
                        }
                    }
                    ties = best.kind();
                    tieParam = ties.equals("constant") ? best.tie()[0] : Math.exp(best.tie()[0]);
                    System.out.println("  simulated voters follow " + ties + " (" + best.describe() + ")");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            default -> throw new IllegalArgumentException("ties must be none, constant[:c], davidson[:nu], rao-kupper[:kappa] or data");
        }
    }

    /** 0 = A wins, 1 = B wins, 2 = tie. */
    static int outcome(Random voters, double ta, double tb) {
        double p = 1.0 / (1.0 + Math.exp(-(ta - tb)));
        switch (ties) {
            case "none":
                return voters.nextDouble() < p ? 0 : 1;
            case "davidson": {
                double pa = Math.exp((ta - tb) / 2);
                double pb = Math.exp((tb - ta) / 2);
                double u = voters.nextDouble() * (pa + pb + tieParam);
                return u < pa ? 0 : u < pa + pb ? 1 : 2;
            }
            case "rao-kupper": {
                double pa = 1.0 / (1.0 + Math.exp(-(ta - tb - tieParam)));
                double pb = 1.0 / (1.0 + Math.exp(ta - tb + tieParam));
                double u = voters.nextDouble();
                return u < pa ? 0 : u < pa + pb ? 1 : 2;
            }
            default:
                return voters.nextDouble() < tieParam ? 2 : voters.nextDouble() < p ? 0 : 1;
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
            case "active" -> SamplingPolicies.active(candidates, fit, DESIGN_VOTES);
            case "active-ties" -> SamplingPolicies.active(candidates, fit, DESIGN_VOTES, tieRates(counts, m));
            default -> throw new IllegalArgumentException("unknown policy " + policy);
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

    /** Shrunk tie rate of each pair (i < j) from the simulated counts, both orders together. */
    private static double[] tieRates(long[] counts, int m) {
        long[] t = new long[m * m];
        long[] n = new long[m * m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                int lo = Math.min(i, j);
                int hi = Math.max(i, j);
                for (int o = 0; o < 3; o++) {
                    long c = counts[(i * m + j) * 3 + o];
                    n[lo * m + hi] += c;
                    if (o == 2) {
                        t[lo * m + hi] += c;
                    }
                }
            }
        }
        return SamplingPolicies.shrunkTieRates(t, n, m);
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
                    if (k > 0 && !(DECISIVE_ONLY && o == 2)) {
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

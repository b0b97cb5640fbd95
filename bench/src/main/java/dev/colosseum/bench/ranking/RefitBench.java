package dev.colosseum.bench.ranking;

import dev.colosseum.ranking.IngestedVote;
import dev.colosseum.ranking.Leaderboard;
import dev.colosseum.ranking.service.CiMethod;
import dev.colosseum.ranking.service.LeaderboardQuery;
import dev.colosseum.ranking.service.LeaderboardService;
import dev.colosseum.ranking.service.RegistryService;
import dev.colosseum.ranking.service.StatsEngine;
import dev.colosseum.ranking.service.VoteStore;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * ranking-service's in-memory path at scale: 1,000,000 stored votes over 100 models in the vote store
 * (with the four style features per side), then one new vote at a time and the overall leaderboard
 * recomputed (BT fit warm-started from the previous solution + sandwich CIs + online Elo), exactly the
 * code the service runs for {@code GET /api/v1/leaderboard}. Prints the refit latency after one new vote
 * and the heap held per 1M votes.
 *
 * <p>Then the same with style control (the four style features, arena-rank penalty, sandwich CIs): one new
 * vote, then the style-controlled leaderboard, split into the per-vote table the store builds and the fit.
 * Style control needs the votes themselves (see ranking-service README), so this refit is O(N).
 *
 * <p>Arguments: [votes=1000000] [models=100] [refits=20] [styleRefits=5]
 */
public final class RefitBench {
    private RefitBench() {
    }

    public static void main(String[] args) {
        int votes = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int models = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int refits = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int styleRefits = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        Random rnd = new Random(5);
        double[] truth = new double[models];
        String[] names = new String[models];
        for (int i = 0; i < models; i++) {
            truth[i] = rnd.nextGaussian();
            names[i] = String.format(Locale.ROOT, "model-%03d", i);
        }
        long heap0 = usedHeap();
        VoteStore store = new VoteStore();
        long t0 = System.nanoTime();
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        for (int k = 0; k < votes; k++) {
            store.add(vote(k, rnd, truth, names, start));
        }
        double loadS = (System.nanoTime() - t0) / 1e9;
        long heap1 = usedHeap();
        System.out.printf(Locale.ROOT, "vote store: %,d votes over %d models ingested in %.2f s (%.0f votes/s)%n",
                votes, models, loadS, votes / loadS);
        System.out.printf(Locale.ROOT, "heap held by the store: %.1f MB measured (%.1f MB per 1M votes); "
                        + "store's own estimate %.1f MB%n", (heap1 - heap0) / 1e6, (heap1 - heap0) / 1e6 * 1e6 / votes,
                store.memoryBytes() / 1e6);

        LeaderboardService service = new LeaderboardService(store, new RegistryService(null));
        LeaderboardQuery q = new LeaderboardQuery(VoteStore.OVERALL, false, List.of(), CiMethod.SANDWICH, 100, 42,
                null, null, true, true, 0);
        long c0 = System.nanoTime();
        Leaderboard cold = service.leaderboard(q);
        double coldMs = (System.nanoTime() - c0) / 1e6;
        System.out.printf(Locale.ROOT, "cold leaderboard (first fit, no warm start): %.1f ms, %d models, %,d votes%n",
                coldMs, cold.models().size(), cold.nVotes());
        double[] total = new double[refits];
        double[] fitOnly = new double[refits];
        double[] eloOnly = new double[refits];
        for (int r = 0; r < refits; r++) {
            store.add(vote(votes + 2L * r, rnd, truth, names, start)); // ids (and timestamps) increase: votes arrive in time order
            long a = System.nanoTime();
            Leaderboard lb = service.leaderboard(q);
            total[r] = (System.nanoTime() - a) / 1e6;
            if (lb.nVotes() != votes + 2L * r + 1) {
                throw new IllegalStateException("the new vote is not in the leaderboard");
            }
            store.add(vote(votes + 2L * r + 1, rnd, truth, names, start));
            long b = System.nanoTime();
            service.fit(VoteStore.OVERALL, List.of(), new StatsEngine.CiSpec(CiMethod.SANDWICH, 100, 42, null, 1000.0));
            fitOnly[r] = (System.nanoTime() - b) / 1e6;
            long c = System.nanoTime();
            service.eloOnline(VoteStore.OVERALL);
            eloOnly[r] = (System.nanoTime() - c) / 1e6;
        }
        System.out.printf(Locale.ROOT, "refit after one new vote (leaderboard with sandwich CIs and online Elo): "
                + "p50 %.1f ms, max %.1f ms over %d refits%n", pct(total, 0.5), pct(total, 1.0), refits);
        System.out.printf(Locale.ROOT, "  of which BT fit + sandwich (warm start): p50 %.1f ms; online Elo replay: p50 %.1f ms%n",
                pct(fitOnly, 0.5), pct(eloOnly, 0.5));
        LeaderboardQuery styleQ = new LeaderboardQuery(VoteStore.OVERALL, true, VoteStore.STYLE_FEATURES, CiMethod.SANDWICH,
                100, 42, null, null, true, true, 0);
        long s0 = System.nanoTime();
        service.leaderboard(styleQ);
        double styleColdMs = (System.nanoTime() - s0) / 1e6;
        double[] styleTotal = new double[styleRefits];
        double[] styleTable = new double[styleRefits];
        double[] styleFit = new double[styleRefits];
        long next = votes + 2L * refits;
        for (int r = 0; r < styleRefits; r++) {
            store.add(vote(next++, rnd, truth, names, start));
            long a = System.nanoTime();
            Leaderboard lb = service.leaderboard(styleQ);
            styleTotal[r] = (System.nanoTime() - a) / 1e6;
            if (lb.nVotes() != next) {
                throw new IllegalStateException("the new vote is not in the style-controlled leaderboard");
            }
            store.add(vote(next++, rnd, truth, names, start));
            long b = System.nanoTime();
            dev.colosseum.ranking.service.VoteTable vt = store.votes(VoteStore.OVERALL, VoteStore.STYLE_FEATURES, Map.of(),
                    Long.MIN_VALUE, Long.MAX_VALUE);
            styleTable[r] = (System.nanoTime() - b) / 1e6;
            long c = System.nanoTime();
            StatsEngine.fitCovariates(vt, new StatsEngine.CiSpec(CiMethod.SANDWICH, 100, 42, null, 1000.0), null);
            styleFit[r] = (System.nanoTime() - c) / 1e6;
        }
        System.out.printf(Locale.ROOT, "style control: cold leaderboard %.0f ms; refit after one new vote p50 %.0f ms, max %.0f ms"
                + " over %d refits%n", styleColdMs, pct(styleTotal, 0.5), pct(styleTotal, 1.0), styleRefits);
        System.out.printf(Locale.ROOT, "  of which per-vote table from the store p50 %.0f ms; contextual BT fit + sandwich"
                + " (cold start) p50 %.0f ms%n", pct(styleTable, 0.5), pct(styleFit, 0.5));
        System.out.printf(Locale.ROOT, "load average while measuring: %s%n", loadAverage());
        System.out.printf(Locale.ROOT, "peak heap committed: %.0f MB%n",
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() / 1e6);
    }

    static IngestedVote vote(long id, Random rnd, double[] truth, String[] names, Instant start) {
        int m = truth.length;
        int a = rnd.nextInt(m);
        int b = rnd.nextInt(m - 1);
        if (b >= a) {
            b++;
        }
        double p = 1.0 / (1.0 + Math.exp(-(truth[a] - truth[b])));
        int o = rnd.nextDouble() < 0.1 ? IngestedVote.TIE : rnd.nextDouble() < p ? IngestedVote.A : IngestedVote.B;
        Map<String, Double> fa = Map.of("tokens", 100.0 + rnd.nextInt(900), "headers", (double) rnd.nextInt(4),
                "lists", (double) rnd.nextInt(8), "bold", (double) rnd.nextInt(5));
        Map<String, Double> fb = Map.of("tokens", 100.0 + rnd.nextInt(900), "headers", (double) rnd.nextInt(4),
                "lists", (double) rnd.nextInt(8), "bold", (double) rnd.nextInt(5));
        List<String> cats = rnd.nextInt(3) == 0 ? List.of("coding") : List.of();
        return new IngestedVote(id, "battle-" + id, names[a], names[b], o, start.plusSeconds(id), 1,
                rnd.nextInt(4) == 0 ? "German" : "English", cats, fa, fb, false, List.of());
    }

    /** The 1/5/15-minute load average (the machine is shared; figures under load are "busy"). */
    static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    static double pct(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.ceil(q * s.length) - 1)];
    }

    static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}

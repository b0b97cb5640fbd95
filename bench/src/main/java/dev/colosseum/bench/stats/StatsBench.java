package dev.colosseum.bench.stats;

import dev.colosseum.stats.BattleReader;
import dev.colosseum.stats.BattleSet;
import dev.colosseum.stats.Bootstrap;
import dev.colosseum.stats.BradleyTerry;
import dev.colosseum.stats.PairTable;
import dev.colosseum.stats.Sandwich;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Statistics benchmark: N synthetic votes (default 1,000,000) over M models (default 100) with the
 * four style features in conv_metadata. Prints load time of the JSONL, BT fit + sandwich, a
 * 100-round bootstrap, the style-control point fit, a 100-round style-control bootstrap and the
 * peak heap. Each timed step runs once cold and then {@code repeat} more times (median printed).
 *
 * <p>Usage: {@code StatsBench [votes] [models] [rounds] [repeat]}.
 */
public final class StatsBench {
    private StatsBench() {
    }

    public static void main(String[] args) throws IOException {
        int votes = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int models = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        int repeat = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        int threads = Bootstrap.defaultThreads();
        System.out.printf(Locale.ROOT, "load average at start: %.2f on %d cores%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "colosseum stats bench: %,d votes, %d models, %d bootstrap rounds, %d threads, max heap %d MB%n",
                votes, models, rounds, threads, Runtime.getRuntime().maxMemory() >> 20);
        Path file = Files.createTempFile("colosseum-bench-", ".jsonl");
        file.toFile().deleteOnExit();
        long t0 = System.nanoTime();
        write(file, votes, models, 20261128L);
        System.out.printf(Locale.ROOT, "  (wrote %s, %,d MB, in %.2f s; not part of the figures)%n", file,
                Files.size(file) >> 20, (System.nanoTime() - t0) / 1e9);
        resetPeaks();

        BattleSet[] holder = new BattleSet[1];
        double load = time("load JSONL (stream parse -> columnar set)", 1, () -> {
            try (InputStream in = Files.newInputStream(file)) {
                holder[0] = BattleReader.readSet(in, true);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        BattleSet set = holder[0];
        System.out.printf(Locale.ROOT, "    %,d battles, %d models, features %s%n", set.size(), set.modelCount(), set.featureNames());

        PairTable[] table = new PairTable[1];
        BradleyTerry.Fit[] fit = new BradleyTerry.Fit[1];
        time("BT: aggregate + Newton fit + sandwich", repeat, () -> {
            table[0] = PairTable.aggregate(set);
            fit[0] = BradleyTerry.fit(table[0]);
            Sandwich.covariance(table[0], fit[0], BradleyTerry.Penalty.NONE);
        });
        System.out.printf(Locale.ROOT, "    %,d aggregated rows, %d Newton iterations%n", table[0].rows(), fit[0].iterations());
        time("  of which aggregation", repeat, () -> PairTable.aggregate(set));
        time("  of which Newton fit", repeat, () -> BradleyTerry.fit(table[0]));
        time("  of which sandwich", repeat, () -> Sandwich.covariance(table[0], fit[0], BradleyTerry.Penalty.NONE));
        time("BT bootstrap, " + rounds + " rounds", 1, () ->
                Bootstrap.replicates(table[0], fit[0], BradleyTerry.Penalty.NONE, rounds, 42L, threads));

        PairTable[] style = new PairTable[1];
        BradleyTerry.Fit[] sfit = new BradleyTerry.Fit[1];
        BradleyTerry.FitOptions arena = BradleyTerry.FitOptions.defaults().withPenalty(BradleyTerry.Penalty.ARENA_RANK);
        time("style control: design + point fit", repeat, () -> {
            style[0] = PairTable.withStyle(set, PairTable.standardCovariates(), false);
            sfit[0] = BradleyTerry.fit(style[0], arena);
        });
        System.out.printf(Locale.ROOT, "    gamma (arena-rank penalty) %s, %d iterations%n",
                Arrays.toString(round(sfit[0].gamma())), sfit[0].iterations());
        time("style control: sandwich", repeat, () -> Sandwich.covariance(style[0], sfit[0], BradleyTerry.Penalty.ARENA_RANK));
        time("style control bootstrap, " + rounds + " rounds", 1, () ->
                Bootstrap.replicates(style[0], sfit[0], BradleyTerry.Penalty.ARENA_RANK, rounds, 42L, threads));

        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf(Locale.ROOT, "peak heap (sum of heap pool peaks): %d MB (load took %.2f s)%n", peak >> 20, load);
    }

    private static double[] round(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = Math.round(v[i] * 1e4) / 1e4;
        }
        return r;
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
    }

    private static long cpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
        }
        return -1;
    }

    /**
     * Runs once cold, then {@code repeat} times; prints cold and median warm wall seconds (and the
     * process CPU seconds of the cold run, which tells how much the machine's load inflated the
     * wall time); returns the cold wall time.
     */
    private static double time(String label, int repeat, Runnable r) {
        long c0 = cpuNanos();
        long s = System.nanoTime();
        r.run();
        double cold = (System.nanoTime() - s) / 1e9;
        double cpu = (cpuNanos() - c0) / 1e9;
        if (repeat <= 1) {
            System.out.printf(Locale.ROOT, "%-46s %8.3f s wall (%.3f s CPU)%n", label, cold, cpu);
            return cold;
        }
        double[] warm = new double[repeat];
        for (int i = 0; i < repeat; i++) {
            s = System.nanoTime();
            r.run();
            warm[i] = (System.nanoTime() - s) / 1e9;
        }
        Arrays.sort(warm);
        System.out.printf(Locale.ROOT, "%-46s %8.3f s wall, warm median (cold %.3f s wall, %.3f s CPU)%n", label,
                warm[repeat / 2], cold, cpu);
        return cold;
    }

    /** Writes FastChat-style JSONL: BT truth plus style effects through conv_metadata. */
    static void write(Path file, int votes, int models, long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] theta = new double[models];
        for (int i = 0; i < models; i++) {
            theta[i] = 0.8 * gaussian(rnd);
        }
        double[] gamma = {0.25, 0.05, 0.08, 0.06};
        String[] winners = {"model_a", "model_b", "tie", "tie (bothbad)"};
        StringBuilder sb = new StringBuilder(512);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int k = 0; k < votes; k++) {
                int a = rnd.nextInt(models);
                int b = rnd.nextInt(models - 1);
                if (b >= a) {
                    b++;
                }
                int ta = (int) Math.exp(5.5 + 0.8 * gaussian(rnd));
                int tb = (int) Math.exp(5.5 + 0.8 * gaussian(rnd));
                int ha = rnd.nextInt(6);
                int hb = rnd.nextInt(6);
                int la = rnd.nextInt(15);
                int lb = rnd.nextInt(15);
                int ba = rnd.nextInt(10);
                int bb = rnd.nextInt(10);
                double logit = theta[a] - theta[b]
                        + gamma[0] * 3 * (ta - tb) / (double) (ta + tb + 1)
                        + gamma[1] * 2 * (ha - hb) / (double) (ha + hb + 1)
                        + gamma[2] * 2 * (la - lb) / (double) (la + lb + 1)
                        + gamma[3] * 2 * (ba - bb) / (double) (ba + bb + 1);
                double p = 1 / (1 + Math.exp(-logit));
                double tie = 0.6 * Math.min(p, 1 - p);
                double u = rnd.nextDouble();
                String winner = u < p - tie / 2 ? winners[0] : u < p + tie / 2 ? winners[2 + rnd.nextInt(2)] : winners[1];
                sb.setLength(0);
                sb.append("{\"question_id\":\"q").append(k).append("\",\"model_a\":\"model-").append(a)
                        .append("\",\"model_b\":\"model-").append(b).append("\",\"winner\":\"").append(winner)
                        .append("\",\"tstamp\":").append(1_700_000_000L + k).append(",\"anony\":true,\"language\":\"English\",\"turn\":1,")
                        .append("\"conv_metadata\":{\"sum_assistant_a_tokens\":").append(ta)
                        .append(",\"sum_assistant_b_tokens\":").append(tb)
                        .append(",\"header_count_a\":{\"h1\":").append(ha).append(",\"h2\":0,\"h3\":0,\"h4\":0,\"h5\":0,\"h6\":0}")
                        .append(",\"header_count_b\":{\"h1\":").append(hb).append(",\"h2\":0,\"h3\":0,\"h4\":0,\"h5\":0,\"h6\":0}")
                        .append(",\"list_count_a\":{\"ordered\":").append(la).append(",\"unordered\":0}")
                        .append(",\"list_count_b\":{\"ordered\":").append(lb).append(",\"unordered\":0}")
                        .append(",\"bold_count_a\":{\"**\":").append(ba).append(",\"__\":0}")
                        .append(",\"bold_count_b\":{\"**\":").append(bb).append(",\"__\":0}}}\n");
                w.append(sb);
            }
        }
    }

    private static double gaussian(SplittableRandom rnd) {
        double u = rnd.nextDouble();
        double v = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }
}

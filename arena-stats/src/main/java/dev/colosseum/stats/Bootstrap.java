package dev.colosseum.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bootstrap of a (contextual) BT fit: each round draws row counts from a multinomial with
 * n = N votes and probabilities count/N (FastChat's scheme) and refits to convergence
 * (estimated remaining error below 1e-8 log-odds), warm-started from the point estimate with
 * chord-Newton passes that reuse the point estimate's Hessian factor. Round r uses its own random
 * stream derived from (seed, r), so results do not depend on the number of threads.
 */
public final class Bootstrap {
    private Bootstrap() {
    }

    /** Default number of worker threads: the available processors. */
    public static int defaultThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Replicates of all parameters (models then covariates), one row per round, in log-odds units.
     */
    public static double[][] replicates(PairTable t, BradleyTerry.Fit point, BradleyTerry.Penalty penalty,
                                        int rounds, long seed, int threads) {
        if (rounds <= 0) {
            return new double[0][];
        }
        // vote -> row table: a uniform vote index maps to its row in O(1)
        long total = 0;
        for (int i = 0; i < t.n; i++) {
            double c = t.count[i];
            if (c != Math.rint(c) || c < 0) {
                throw new IllegalArgumentException("row counts must be whole numbers");
            }
            total += (long) c;
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many votes for one bootstrap: " + total);
        }
        int nVotes = (int) total;
        int[] voteRow = new int[nVotes];
        int k = 0;
        for (int i = 0; i < t.n; i++) {
            for (int c = (int) t.count[i]; c > 0; c--) {
                voteRow[k++] = i;
            }
        }
        double[][] out = new double[rounds][];
        double[] start = point.parameters();
        double[] factor = BradleyTerry.newtonFactor(t, t.count, start, penalty);
        int nThreads = Math.max(1, Math.min(threads, rounds));
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            BradleyTerry.Workspace ws = new BradleyTerry.Workspace(t.parameterCount());
            double[] counts = new double[t.n];
            int r;
            while ((r = next.getAndIncrement()) < rounds) {
                java.util.Arrays.fill(counts, 0);
                SplittableRandom rnd = new SplittableRandom(mix(seed, r));
                for (int v = 0; v < nVotes; v++) {
                    counts[voteRow[rnd.nextInt(nVotes)]] += 1;
                }
                out[r] = BradleyTerry.fitChord(t, counts, start, factor, penalty, 1e-8, ws).parameters();
            }
        };
        if (nThreads == 1) {
            worker.run();
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(nThreads, rr -> {
            Thread th = new Thread(rr, "bt-bootstrap");
            th.setDaemon(true);
            return th;
        });
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < nThreads; i++) {
                fs.add(pool.submit(worker));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("bootstrap interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("bootstrap failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return out;
    }

    private static long mix(long seed, int round) {
        long z = seed * 0x9E3779B97F4A7C15L + (round + 1) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Linear-interpolation quantile (numpy's default) of column j of the replicates. */
    public static double quantile(double[][] reps, int j, double q) {
        double[] v = new double[reps.length];
        for (int i = 0; i < reps.length; i++) {
            v[i] = reps[i][j];
        }
        return quantile(v, q);
    }

    /** Linear-interpolation quantile of a sample (the array is sorted in place). */
    public static double quantile(double[] v, double q) {
        java.util.Arrays.sort(v);
        if (v.length == 0) {
            return Double.NaN;
        }
        double pos = q * (v.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(v.length - 1, lo + 1);
        double frac = pos - lo;
        return v[lo] + (v[hi] - v[lo]) * frac;
    }
}

package dev.colosseum.router.core.bench;

import dev.colosseum.router.core.Comparison;
import dev.colosseum.router.core.Embedder;
import dev.colosseum.router.core.Query;
import dev.colosseum.router.core.QualityTable;
import dev.colosseum.router.core.Router;
import dev.colosseum.router.core.RouterTrainer;
import dev.colosseum.router.core.TrainingSet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Router benchmark (run by bench/router-bench.sh; prints figures):
 * 1. routing decision latency per router including the embedding of a never-seen prompt (no cache), with
 *    the embedding alone on 1 and the default number of ONNX Runtime threads and the benchmark prompts' length distribution;
 * 2. training time of each router on N synthetic votes (default 100,000) over 20 models whose prompts are
 *    resampled from the real prompt pool (MMLU, GSM8K, MT-Bench) with per-topic model strengths.
 */
public final class RouterBench {
    private RouterBench() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 0 ? args[0] : "../shared/data");
        int votes = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int queries = args.length > 2 ? Integer.parseInt(args[2]) : 400;
        String mode = args.length > 3 ? args[3] : "all";
        boolean latency = mode.equals("all") || mode.equals("latency");
        boolean training = mode.equals("all") || mode.equals("train");
        System.out.printf(Locale.ROOT, "router bench: %d cores, data %s, load average %s%n", Runtime.getRuntime().availableProcessors(),
                data, load());
        QualityTable gsm = QualityTable.load(List.of(data.resolve("routellm/gsm8k/gsm8k_responses.csv").toString()));
        QualityTable mmlu = QualityTable.load(List.of(data.resolve("routellm/mmlu/responses").toString()));
        String strong = gsm.column("gpt-4");
        String weak = gsm.column("mixtral");
        try (Embedder cached = Embedder.withDefaultCache()) {
            // ---- 1. decision latency
            List<Comparison> train = QualityTable.comparisons(gsm.rows(), strong, weak);
            long t0 = System.nanoTime();
            TrainingSet ts = TrainingSet.build(train, cached, null);
            System.out.printf(Locale.ROOT, "training set: %d GSM8K comparisons embedded in %.1f s (cache %d vectors)%n",
                    ts.size(), (System.nanoTime() - t0) / 1e9, cached.cache().size());
            List<String> prompts = new ArrayList<>();
            for (String line : Files.readAllLines(data.resolve("mt_bench/question.jsonl"))) {
                if (!line.isBlank()) {
                    prompts.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(line).get("turns").get(0).asText());
                }
            }
            SplittableRandom rnd = new SplittableRandom(5);
            while (prompts.size() < queries) {
                prompts.add(mmlu.rows().get(rnd.nextInt(mmlu.rows().size())).prompt());
            }
            if (latency) {
            printLengths(prompts);
            System.out.printf(Locale.ROOT, "%nrouting decision latency on %d distinct never-seen prompts (each prompt gets a unique suffix; "
                    + "embedding included, no embedding cache):%n", prompts.size());
            Embedder fresh = null;
            int def = Embedder.defaultThreads();
            for (int threads : def == 1 ? new int[] {1} : new int[] {1, def}) {
                Embedder e = new Embedder(null, threads);
                for (int i = 0; i < 30; i++) {
                    e.embed(prompts.get(i) + " warm-up " + threads + " " + i);
                }
                double[] embedMs = new double[prompts.size()];
                for (int i = 0; i < prompts.size(); i++) {
                    long s = System.nanoTime();
                    e.embed(prompts.get(i) + " #" + threads + "-" + i);
                    embedMs[i] = (System.nanoTime() - s) / 1e6;
                }
                System.out.printf(Locale.ROOT, "  %-30s p50 %7.2f ms  p99 %7.2f ms   [load %s]%n",
                        "embedding only, " + threads + " ORT thread" + (threads > 1 ? "s" : ""), pct(embedMs, 50), pct(embedMs, 99), load());
                fresh = e; // the routers below use the default (last) one
            }
            for (String kind : List.of("random", "length", "sw", "mf", "clf", "best")) {
                Router r = RouterTrainer.train(kind, ts, null);
                double[] ms = new double[prompts.size()];
                double[] after = new double[prompts.size()];
                for (int i = 0; i < 20; i++) {
                    r.score(Query.of(prompts.get(i) + " w" + i, fresh), strong, weak);
                }
                for (int i = 0; i < prompts.size(); i++) {
                    String p = prompts.get(i) + " ~" + kind + i;
                    long s = System.nanoTime();
                    Query q = r.needsEmbedding() ? Query.of(p, fresh)
                            : new Query(p, new float[0], dev.colosseum.router.core.PromptFeatures.of(p));
                    long s2 = System.nanoTime();
                    r.score(q, strong, weak);
                    long e2 = System.nanoTime();
                    ms[i] = (e2 - s) / 1e6;
                    after[i] = (e2 - s2) / 1e6;
                }
                System.out.printf(Locale.ROOT, "  %-30s p50 %7.2f ms  p99 %7.2f ms   (router alone after embedding p50 %6.3f / p99 %6.3f ms)"
                        + "   [load %s]%n", "router " + kind, pct(ms, 50), pct(ms, 99), pct(after, 50), pct(after, 99), load());
            }
            }
            if (!training) {
                return;
            }
            // ---- 2. training time on synthetic votes
            List<String> pool = new ArrayList<>();
            for (QualityTable.Row r : gsm.rows()) {
                pool.add(r.prompt());
            }
            for (int i = 0; i < 2000; i++) {
                pool.add(mmlu.rows().get(rnd.nextInt(mmlu.rows().size())).prompt());
            }
            pool.addAll(prompts.subList(0, 80));
            int models = 20;
            double[][] strength = new double[models][2];
            for (int m = 0; m < models; m++) {
                strength[m][0] = rnd.nextDouble() * 2 - 1;
                strength[m][1] = strength[m][0] + rnd.nextDouble() - 0.5;
            }
            List<Comparison> synth = new ArrayList<>(votes);
            for (int v = 0; v < votes; v++) {
                String p = pool.get(rnd.nextInt(pool.size()));
                int topic = p.contains("\nA.") ? 1 : 0;
                int a = rnd.nextInt(models);
                int b = (a + 1 + rnd.nextInt(models - 1)) % models;
                double pa = 1 / (1 + Math.exp(-(strength[a][topic] - strength[b][topic])));
                double u = rnd.nextDouble();
                double y = u < 0.3 ? 0.5 : rnd.nextDouble() < pa ? 1 : 0;
                synth.add(new Comparison(p, "m" + a, "m" + b, y));
            }
            t0 = System.nanoTime();
            TrainingSet big = TrainingSet.build(synth, cached, null);
            System.out.printf(Locale.ROOT, "%ntraining on %,d synthetic votes over %d models (%d distinct real prompts; preparing the set "
                    + "with cached embeddings took %.1f s):%n", votes, models, pool.size(), (System.nanoTime() - t0) / 1e9);
            for (String kind : List.of("sw", "clf", "best", "mf")) {
                long s = System.nanoTime();
                Router r = RouterTrainer.train(kind, big, null);
                double secs = (System.nanoTime() - s) / 1e9;
                byte[] blob = dev.colosseum.router.core.RouterCodec.toBytes(r);
                System.out.printf(Locale.ROOT, "  %-6s %8.1f s   model %,d bytes   [load %s]%n", kind, secs, blob.length, load());
            }
        }
    }

    /** Prompt length distribution of the benchmark prompts (characters and BERT word pieces). */
    static void printLengths(List<String> prompts) {
        dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator tok = new dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator();
        double[] chars = new double[prompts.size()];
        double[] tokens = new double[prompts.size()];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = prompts.get(i).length();
            tokens[i] = tok.estimateTokenCountInText(prompts.get(i));
        }
        System.out.printf(Locale.ROOT, "benchmark prompts: %d (80 MT-Bench first turns + MMLU questions drawn at random, seed 5)%n", prompts.size());
        System.out.printf(Locale.ROOT, "  length in chars  p10 %.0f  p50 %.0f  p90 %.0f  p99 %.0f  max %.0f%n", pct(chars, 10), pct(chars, 50),
                pct(chars, 90), pct(chars, 99), pct(chars, 100));
        System.out.printf(Locale.ROOT, "  length in tokens p10 %.0f  p50 %.0f  p90 %.0f  p99 %.0f  max %.0f%n", pct(tokens, 10), pct(tokens, 50),
                pct(tokens, 90), pct(tokens, 99), pct(tokens, 100));
    }

    /** The 1, 5 and 15 minute load averages (the machine is shared; figures under load are marked by it). */
    static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "n/a";
        }
    }

    static double pct(double[] v, double p) {
        double[] s = v.clone();
        Arrays.sort(s);
        int idx = (int) Math.ceil(p / 100 * s.length) - 1;
        return s[Math.max(0, Math.min(s.length - 1, idx))];
    }
}

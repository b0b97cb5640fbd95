package dev.colosseum.router.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The best router's parts that the routing tests cannot see: the word-problem prompt features, the penalty
 * chosen by inner cross-fitting, the non-negative stacking weights, the features-only component, and reading
 * models saved with fewer feature columns.
 */
class BestRouterTest {
    private static int index(String name) {
        int i = Arrays.asList(PromptFeatures.NAMES).indexOf(name);
        assertTrue(i >= 0, name);
        return i;
    }

    @Test
    void wordProblemFeaturesCountSentencesQuantitiesAndCues() {
        String p = "Janet has 16 ducks and three hens. Each duck lays 2.5 eggs per day, and she sells half of them for $2 each. "
                + "If the price rises by 10% after 3 weeks, how much more does she earn in 1,200 days?";
        double[] f = PromptFeatures.of(p);
        assertEquals(PromptFeatures.SIZE, f.length);
        assertEquals(Math.log1p(3), f[index("log_sentences")], 1e-12);
        // digits: 16, 2.5, 2, 10, 3, 1,200 (6); number words: three, half (2)
        assertEquals(Math.log1p(8), f[index("log_quantities")], 1e-12);
        assertEquals(Math.log1p(6), f[index("log_distinct_numbers")], 1e-12);
        // Each, per, half, each, more
        assertEquals(Math.log1p(5), f[index("log_relation_words")], 1e-12);
        assertEquals(1, f[index("has_percent")]);
        assertEquals(1, f[index("has_fraction")]);
        assertEquals(1, f[index("has_decimal")]);
        assertEquals(Math.log1p(Math.log1p(1200)), f[index("loglog_max_number")], 1e-12);
        assertEquals(Math.log1p(3), f[index("log_units")], 1e-12); // day, weeks, days
        assertEquals(1, f[index("has_money")]);
        assertEquals(Math.log1p(2), f[index("log_condition_words")], 1e-12); // If, after

        // whole words only, boundaries as for the regex \b (Unicode letters join a word), ASCII case-insensitive
        double[] w = PromptFeatures.of("Émile ran 3hours, an inch, 2 INCHES and a Mile; halves? Percentage: 1 / 4, x5.5y, 12,000 and 12000");
        assertEquals(Math.log1p(3), w[index("log_units")], 1e-12); // inch, INCHES, Mile (not "Émile", "3hours")
        assertEquals(1, w[index("has_percent")]); // "Percentage" starts with percent
        assertEquals(1, w[index("has_fraction")]); // "1 / 4" ("halves" is not a listed word)
        assertEquals(1, w[index("has_decimal")]); // "5.5" inside "x5.5y"
        assertEquals(0, w[index("has_money")]);
        assertEquals(Math.log1p(1), w[index("log_sentences")], 1e-12); // only "?" is followed by a space
        // 3, 2, 1, 4, 5.5, 12,000, 12000 -> 7 quantities, 6 distinct (12,000 = 12000)
        assertEquals(Math.log1p(7), w[index("log_quantities")], 1e-12);
        assertEquals(Math.log1p(6), w[index("log_distinct_numbers")], 1e-12);
        assertEquals(0, PromptFeatures.of("no fraction/ratio here")[index("has_fraction")]);

        double[] chat = PromptFeatures.of("hello there");
        for (String n : List.of("log_sentences", "log_quantities", "log_relation_words", "has_percent", "has_fraction",
                "has_decimal", "loglog_max_number", "log_units", "has_money", "log_condition_words")) {
            assertEquals(0, chat[index(n)], n);
        }
    }

    @Test
    void choiceOverlapFeaturesCompareTheOptionsWordSets() {
        String q = "Which organ filters the blood?\nA. the left kidney\nB. the right kidney\nC. the liver\nD. 2.5 x 10^3\nAnswer:";
        double[] f = PromptFeatures.of(q);
        // word sets {the, left, kidney}, {the, right, kidney}, {the, liver}, {2, 5, x, 10, 3}:
        // A-B 2/4, A-C 1/4, B-C 1/4, and 0 against D
        assertEquals((0.5 + 0.25 + 0.25) / 6, f[index("choice_overlap_mean")], 1e-12);
        assertEquals(0.5, f[index("choice_overlap_max")], 1e-12);
        assertEquals(0.25, f[index("formula_choices")], 1e-12); // only D is a formula
        // Roman-numeral statements ("I. ...") are not options; a prompt without options has zeros
        double[] roman = PromptFeatures.of("I. The earth is round.\nII. The sky is blue.\nWhich is true?");
        double[] chat = PromptFeatures.of("hello there");
        for (String n : List.of("choice_overlap_mean", "choice_overlap_max", "formula_choices")) {
            assertEquals(0, roman[index(n)], n);
            assertEquals(0, chat[index(n)], n);
        }
    }

    @Test
    void blendWeightsAreNonNegative() {
        // c0 is the true logit, c1 = truth + noise, c2 = the same noise: unconstrained logistic stacking would
        // cancel the noise with w = (0, 1, -1); the constrained blend keeps every weight >= 0.
        SplittableRandom r = new SplittableRandom(5);
        int n = 3000;
        double[][] z = new double[n][];
        double[] y = new double[n];
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            double t = 3 * (r.nextDouble() - 0.5);
            double e = 2 * (r.nextDouble() - 0.5);
            z[i] = new double[] {t, t + e, e};
            y[i] = Bt.sigmoid(t);
            w[i] = 1;
        }
        double[] b = BestRouter.blend(z, y, w);
        for (double v : b) {
            assertTrue(v >= 0, Arrays.toString(b));
        }
        assertEquals(0, b[2], 1e-12, Arrays.toString(b));
        assertEquals(1, b[0] + b[1], 0.05, Arrays.toString(b));
        assertTrue(b[0] > 0.9, Arrays.toString(b));
    }

    /** Two models, one distinct random unit embedding per prompt, random features; outcome from {@code label}. */
    private static TrainingSet synthetic(int prompts, long seed, java.util.function.BiFunction<float[], double[], Double> label) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Comparison> cs = new ArrayList<>();
        float[][] e = new float[prompts][];
        double[][] f = new double[prompts][];
        for (int i = 0; i < prompts; i++) {
            float[] v = new float[12];
            double norm = 0;
            for (int j = 0; j < v.length; j++) {
                v[j] = (float) r.nextGaussian();
                norm += v[j] * v[j];
            }
            for (int j = 0; j < v.length; j++) {
                v[j] /= (float) Math.sqrt(norm);
            }
            double[] fi = new double[PromptFeatures.SIZE];
            for (int j = 0; j < fi.length; j++) {
                fi[j] = r.nextGaussian();
            }
            e[i] = v;
            f[i] = fi;
            double p = label.apply(v, fi);
            cs.add(new Comparison("p" + i, "strong", "weak", r.nextDouble() < p ? 1 : 0));
        }
        return new TrainingSet(cs, e, f);
    }

    @Test
    void innerFoldsChooseThePenalty() {
        // pure noise: the strongest penalty; a sharp linear rule in the embedding: the weakest
        BestRouter noise = BestRouter.train(synthetic(600, 1, (v, f) -> 0.5), 300);
        assertEquals(BestRouter.DEFAULT_LAMBDAS[BestRouter.DEFAULT_LAMBDAS.length - 1], noise.lambda());
        BestRouter sharp = BestRouter.train(synthetic(600, 2, (v, f) -> v[0] + v[1] > 0 ? 1.0 : 0.0), 300);
        assertEquals(BestRouter.DEFAULT_LAMBDAS[0], sharp.lambda());
        for (BestRouter b : List.of(noise, sharp)) {
            for (double v : b.blendWeights()) {
                assertTrue(v >= 0, Arrays.toString(b.blendWeights()));
            }
        }
    }

    @Test
    void featureSignalIsLearnedAndSurvivesPersistence() {
        int col = index("log_quantities");
        TrainingSet t = synthetic(600, 3, (v, f) -> Bt.sigmoid(2 * f[col]));
        BestRouter b = BestRouter.train(t, 300);
        double[] bw = b.blendWeights(); // linear, features only and (format 4) the feature trees all read the features
        assertTrue(bw[0] + bw[1] + bw[bw.length - 1] > 0.5, Arrays.toString(bw));
        double[] lo = new double[PromptFeatures.SIZE];
        double[] hi = new double[PromptFeatures.SIZE];
        lo[col] = -1;
        hi[col] = 1;
        float[] e = t.embeddings[0];
        double pLo = b.winProbability(new Query("", e, lo), "strong", "weak");
        double pHi = b.winProbability(new Query("", e, hi), "strong", "weak");
        assertTrue(pHi > pLo + 0.2, pLo + " vs " + pHi);
        // the features-only component on its own also sees it
        int is = b.models().indexOf("strong");
        int iw = b.models().indexOf("weak");
        assertTrue(b.featureLogit(new Query("", e, hi), is, iw) > b.featureLogit(new Query("", e, lo), is, iw) + 1);
        Router back = RouterCodec.fromBytes(RouterCodec.toBytes(b));
        assertEquals(pHi, back.winProbability(new Query("", e, hi), "strong", "weak"), 1e-12);
        assertEquals(b.lambda(), ((BestRouter) back).lambda());
    }

    @Test
    void modelsSavedWithFewerFeaturesAndFormatTwoStillScore() throws Exception {
        // a format-2 model (no features-only component) whose standardiser knew only the first 18 features
        int old = 18;
        double[] mean = new double[old];
        double[] sd = new double[old];
        Arrays.fill(sd, 1);
        mean[4] = 1;
        int dim = 3;
        double[][] beta = {new double[1 + dim + old], new double[1 + dim + old]};
        beta[0][0] = 0.3;
        beta[0][1] = 1.0;
        beta[0][1 + dim + 4] = 0.5;
        float[][] vectors = {{1, 0, 0}, {0, 1, 0}};
        int[] ofc = {0, 1};
        int[] a = {0, 0};
        int[] bb = {1, 1};
        double[] y = {1, 0};
        int[] ks = {2};
        double[] w2 = {0.8, 0.4};
        java.io.ByteArrayOutputStream bo = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(new java.util.zip.GZIPOutputStream(bo))) {
            out.writeInt(0x43525452);
            out.writeInt(2);
            out.writeUTF("best");
            Codec.writeStrings(out, List.of("strong", "weak"));
            new Standardizer(mean, sd).write(out);
            Codec.writeMatrix(out, beta);
            Codec.writeMatrix(out, vectors);
            Codec.writeInts(out, ofc);
            Codec.writeInts(out, a);
            Codec.writeInts(out, bb);
            Codec.writeDoubles(out, y);
            Codec.writeInts(out, ks);
            Codec.writeDoubles(out, w2);
        }
        Router r = RouterCodec.fromBytes(bo.toByteArray());
        double[] f = new double[PromptFeatures.SIZE]; // today's longer feature vector
        f[4] = 3;
        f[PromptFeatures.SIZE - 1] = 100; // a column the old model never saw: ignored
        Query q = new Query("", new float[] {1, 0, 0}, f);
        BestRouter expected = new BestRouter(List.of("strong", "weak"), new Standardizer(mean, sd), beta, null, 3e-3,
                new PromptIndex(vectors, ofc), a, bb, y, ks, new double[] {0.8, 0, 0.4});
        double p = r.winProbability(q, "strong", "weak");
        assertEquals(expected.winProbability(q, "strong", "weak"), p, 1e-12);
        double linear = 0.3 + 1.0 + 0.5 * (3 - 1);
        assertEquals(linear, expected.linearLogit(q, 0, 1), 1e-12);
        assertTrue(p > Bt.sigmoid(0.8 * linear) - 1e-9 || p < 1, "" + p);
        // and it round-trips in today's format with an empty features-only component
        assertEquals(p, RouterCodec.fromBytes(RouterCodec.toBytes(r)).winProbability(q, "strong", "weak"), 1e-12);
    }
    @Test
    void featureTreesLearnAnInteractionThatTheLinearPartsCannot() {
        // the strong model wins where exactly one of two features is positive (an XOR): no linear function of the
        // features or of the (unrelated) embedding separates it, trees do
        int c1 = index("log_quantities");
        int c2 = index("log_units");
        TrainingSet t = synthetic(1500, 7, (v, f) -> (f[c1] > 0) != (f[c2] > 0) ? 0.9 : 0.1);
        BestRouter b = BestRouter.train(t, 300);
        double[] w = b.blendWeights();
        assertEquals(3 + b.neighbourhoodSizes().length, w.length);
        assertTrue(b.trees() > 0 && w[w.length - 1] > 0.3, b.trees() + " trees, weights " + Arrays.toString(w));
        double[] one = new double[PromptFeatures.SIZE];
        double[] both = new double[PromptFeatures.SIZE];
        one[c1] = 1;
        one[c2] = -1;
        both[c1] = 1;
        both[c2] = 1;
        float[] e = t.embeddings[0];
        double pOne = b.winProbability(new Query("", e, one), "strong", "weak");
        double pBoth = b.winProbability(new Query("", e, both), "strong", "weak");
        assertTrue(pOne > pBoth + 0.3, pOne + " vs " + pBoth);
        assertEquals(1 - pOne, b.winProbability(new Query("", e, one), "weak", "strong"), 1e-12);
        // format 4 keeps the trees
        Router back = RouterCodec.fromBytes(RouterCodec.toBytes(b));
        assertEquals(pOne, back.winProbability(new Query("", e, one), "strong", "weak"), 1e-12);
        assertEquals(b.trees(), ((BestRouter) back).trees());
    }

    @Test
    void formatThreeModelsWithoutTreesStillLoad() throws Exception {
        BestRouter noTrees = new BestRouter(List.of("strong", "weak"), Standardizer.fit(new double[][] {new double[PromptFeatures.SIZE]}),
                new double[2][1 + 12 + PromptFeatures.SIZE], new double[2][1 + PromptFeatures.SIZE], 1e-2,
                PromptIndex.of(new float[][] {{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}}), new int[] {0}, new int[] {1},
                new double[] {1}, new int[] {1}, new double[] {0, 0, 1});
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(body)) {
            noTrees.write(out);
        }
        byte[] params = body.toByteArray();
        assertEquals(0, params[params.length - 1]); // format 4 ends with "no trees"; format 3 ended before it
        java.io.ByteArrayOutputStream bo = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(new java.util.zip.GZIPOutputStream(bo))) {
            out.writeInt(0x43525452);
            out.writeInt(3);
            out.writeUTF("best");
            out.write(params, 0, params.length - 1);
        }
        BestRouter r = (BestRouter) RouterCodec.fromBytes(bo.toByteArray());
        assertEquals(0, r.trees());
        Query q = new Query("", new float[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, new double[PromptFeatures.SIZE]);
        assertEquals(noTrees.winProbability(q, "strong", "weak"), r.winProbability(q, "strong", "weak"), 1e-12);
        assertTrue(r.winProbability(q, "strong", "weak") > 0.5);
    }
}

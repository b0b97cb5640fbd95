package dev.colosseum.router.core;

import smile.classification.LogisticRegression;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;

/**
 * Classifier router (smile-core 2.6.0 multinomial logistic regression) on the prompt embedding plus the
 * standardised prompt features. Each comparison is oriented so that the model ranked higher overall comes
 * first; the classes are "higher-ranked model won", "tie", "lower-ranked model won" (ties kept). The score
 * for a higher-ranked a against b is P(win) + ½·P(tie).
 * <p>
 * Training cost grows with rows × iterations of smile's L-BFGS, so at most {@link #MAX_ROWS} comparisons are
 * used: when there are more, a seeded uniform sample of that size (fixed a priori; a 413-feature, 3-class
 * linear model has about 1,240 parameters, so 20,000 rows still give over 15 rows per parameter).
 */
public final class ClfRouter implements Router {
    private final List<String> models;
    private final Standardizer std;
    private final LogisticRegression clf;
    private final int[] classOutcome; // class index -> 0 (lower won), 1 (tie), 2 (higher won)

    ClfRouter(List<String> models, Standardizer std, LogisticRegression clf, int[] classOutcome) {
        this.models = List.copyOf(models);
        this.std = std;
        this.clf = clf;
        this.classOutcome = classOutcome;
    }

    /** Most comparisons the classifier is fitted on. */
    public static final int MAX_ROWS = 20_000;

    /** The rows used for training: all of them, or a seeded uniform sample of {@link #MAX_ROWS}. */
    static int[] trainingRows(int n, long seed) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        if (n <= MAX_ROWS) {
            return idx;
        }
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        for (int i = 0; i < MAX_ROWS; i++) {
            int j = i + r.nextInt(n - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        int[] out = java.util.Arrays.copyOf(idx, MAX_ROWS);
        java.util.Arrays.sort(out);
        return out;
    }

    public static ClfRouter train(TrainingSet t, double lambda) {
        Standardizer std = Standardizer.fit(t.features);
        int[] rows = trainingRows(t.size(), 29);
        int n = rows.length;
        double[][] x = new double[n][];
        int[] outcome = new int[n];
        boolean[] present = new boolean[3];
        for (int r = 0; r < n; r++) {
            int i = rows[r];
            double[] d = std.design(t.embeddings[i], t.features[i]);
            x[r] = java.util.Arrays.copyOfRange(d, 1, d.length);
            double yHigher = t.a[i] < t.b[i] ? t.y[i] : 1 - t.y[i];
            outcome[r] = yHigher == 1 ? 2 : yHigher == 0 ? 0 : 1;
            present[outcome[r]] = true;
        }
        int[] toClass = new int[3];
        int k = 0;
        for (int o = 0; o < 3; o++) {
            toClass[o] = present[o] ? k++ : -1;
        }
        if (k < 2) {
            throw new IllegalArgumentException("the classifier router needs at least two different outcomes");
        }
        int[] classOutcome = new int[k];
        for (int o = 0; o < 3; o++) {
            if (toClass[o] >= 0) {
                classOutcome[toClass[o]] = o;
            }
        }
        int[] yy = new int[n];
        for (int i = 0; i < n; i++) {
            yy[i] = toClass[outcome[i]];
        }
        LogisticRegression lr = LogisticRegression.fit(x, yy, lambda, 1e-5, 500);
        return new ClfRouter(t.models, std, lr, classOutcome);
    }

    @Override
    public String kind() {
        return "clf";
    }

    @Override
    public List<String> models() {
        return models;
    }

    @Override
    public double winProbability(Query q, String a, String b) {
        int ia = models.indexOf(a);
        int ib = models.indexOf(b);
        if (ia < 0 || ib < 0 || ia == ib) {
            return 0.5;
        }
        double[] d = std.design(q.embedding(), q.features());
        double[] x = java.util.Arrays.copyOfRange(d, 1, d.length);
        double[] post = new double[classOutcome.length];
        clf.predict(x, post);
        double higherWins = 0;
        for (int c = 0; c < post.length; c++) {
            higherWins += post[c] * (classOutcome[c] / 2.0);
        }
        return ia < ib ? higherWins : 1 - higherWins;
    }

    @Override
    public void write(DataOutputStream out) throws IOException {
        Codec.writeStrings(out, models);
        std.write(out);
        Codec.writeInts(out, classOutcome);
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (ObjectOutputStream oo = new ObjectOutputStream(bo)) {
            oo.writeObject(clf);
        }
        byte[] bytes = bo.toByteArray();
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static ClfRouter read(DataInputStream in) throws IOException {
        List<String> models = Codec.readStrings(in);
        Standardizer std = Standardizer.read(in);
        int[] co = Codec.readInts(in);
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        try (ObjectInputStream oi = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return new ClfRouter(models, std, (LogisticRegression) oi.readObject(), co);
        } catch (ClassNotFoundException e) {
            throw new IOException("unreadable classifier", e);
        }
    }
}

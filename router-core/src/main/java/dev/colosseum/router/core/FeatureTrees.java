package dev.colosseum.router.core;

import smile.base.cart.Loss;
import smile.data.DataFrame;
import smile.data.Tuple;
import smile.data.formula.Formula;
import smile.data.type.StructType;
import smile.math.MathEx;
import smile.regression.GradientTreeBoost;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;

/**
 * The best router's tree component: smile-core's gradient-boosted regression trees (least squares) on the raw
 * prompt features only (no embedding), predicting the soft advantage of the higher-ranked model of a comparison,
 * y − ½ with y = 1 (higher-ranked model won), ½ (tie), 0 (lost). With two models that is half the expected
 * gain E[strong correct − weak correct | features]; with more it pools every pair's "the better model helps here".
 * Trees on a few dozen text features capture interactions (say, numeric choices and a long stem) that a linear
 * model cannot, and unlike the embedding parts they say nothing about the topic, so they carry over to
 * subjects the router never saw.
 * <p>
 * Tree shape fixed a priori (see router-core/README.md for how it was settled): depth ≤ 5, ≤ 32 leaves, ≥ 20
 * comparisons per leaf, shrinkage 0.03, 70% subsamples; the number of trees (one of {@link #TREE_COUNTS}) is
 * chosen by the best router's inner held-out data. At most {@link #MAX_ROWS} comparisons are used (a seeded
 * uniform sample when there are more), as for the classifier router.
 */
final class FeatureTrees {
    /** Candidate numbers of trees; the inner held-out squared error picks one. */
    static final int[] TREE_COUNTS = {50, 100, 200, 300};
    static final int MAX_DEPTH = 5;
    static final int MAX_NODES = 32;
    static final int NODE_SIZE = 20;
    static final double SHRINKAGE = 0.03;
    static final double SUBSAMPLE = 0.7;
    static final int MAX_ROWS = 20_000;
    /** What a saved tree model may contain when it is read back. */
    private static final ObjectInputFilter TREE_CLASSES = ObjectInputFilter.Config.createFilter(
            "maxdepth=64;smile.**;java.lang.*;java.util.*;java.math.*;!*");
    /** Advantages are clipped to ±(½ − this) before taking the logit. */
    private static final double CLIP = 0.02;

    private final GradientTreeBoost model;
    private final StructType schema;
    private final int columns;

    private FeatureTrees(GradientTreeBoost model, int columns) {
        this.model = model;
        this.columns = columns;
        this.schema = DataFrame.of(new double[1][columns + 1], names(columns)).schema();
    }

    int trees() {
        return model.size();
    }

    private static String[] names(int p) {
        String[] n = new String[p + 1];
        for (int j = 0; j < p; j++) {
            n[j] = "f" + j;
        }
        n[p] = "y";
        return n;
    }

    /** Fits {@code trees} trees on the given comparison rows (a seeded sample of {@link #MAX_ROWS} when more). */
    static FeatureTrees fit(TrainingSet t, int[] rows, int trees, long seed) {
        int p = t.features[0].length;
        int[] use = rows;
        if (rows.length > MAX_ROWS) {
            int[] idx = ClfRouter.trainingRows(rows.length, seed);
            use = new int[idx.length];
            for (int i = 0; i < idx.length; i++) {
                use[i] = rows[idx[i]];
            }
        }
        double[][] x = new double[use.length][p + 1];
        for (int r = 0; r < use.length; r++) {
            int i = use[r];
            System.arraycopy(t.features[i], 0, x[r], 0, p);
            double yHigher = t.a[i] < t.b[i] ? t.y[i] : 1 - t.y[i];
            x[r][p] = yHigher - 0.5;
        }
        MathEx.setSeed(seed); // smile's subsampling draws from a per-thread generator: seed it for reproducible fits
        GradientTreeBoost m = GradientTreeBoost.fit(Formula.lhs("y"), DataFrame.of(x, names(p)), Loss.ls(), trees, MAX_DEPTH,
                MAX_NODES, NODE_SIZE, SHRINKAGE, SUBSAMPLE);
        return new FeatureTrees(m, p);
    }

    /**
     * Predictions on the given rows after each candidate number of trees: [candidate][row]. The model must have
     * at least the largest candidate's trees.
     */
    double[][] staged(double[][] features, int[] rows, int[] counts) {
        double[][] x = new double[rows.length][columns + 1];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(features[rows[r]], 0, x[r], 0, columns);
        }
        double[][] stages = model.test(DataFrame.of(x, names(columns))); // [tree][row]
        double[][] out = new double[counts.length][];
        for (int c = 0; c < counts.length; c++) {
            out[c] = stages[Math.min(counts[c], stages.length) - 1];
        }
        return out;
    }

    /** Logit for "a beats b" from an advantage of the higher-ranked model. */
    static double logit(double advantage, int a, int b) {
        double g = Math.max(-0.5 + CLIP, Math.min(0.5 - CLIP, advantage));
        double z = Math.log((0.5 + g) / (0.5 - g));
        return a < b ? z : -z;
    }

    /** Predicted advantage of the higher-ranked model on a prompt with these features. */
    double advantage(double[] features) {
        double[] row = new double[columns + 1];
        System.arraycopy(features, 0, row, 0, Math.min(columns, features.length));
        return model.predict(Tuple.of(row, schema));
    }

    void write(DataOutputStream out) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (ObjectOutputStream oo = new ObjectOutputStream(bo)) {
            oo.writeObject(model);
        }
        byte[] bytes = bo.toByteArray();
        out.writeInt(columns);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static FeatureTrees read(DataInputStream in) throws IOException {
        int columns = in.readInt();
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        try (ObjectInputStream oi = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            // the bytes come from the router's own schema, but a saved model is still data: only smile's model
            // classes and the JDK types they hold may be built from it
            oi.setObjectInputFilter(TREE_CLASSES);
            return new FeatureTrees((GradientTreeBoost) oi.readObject(), columns);
        } catch (ClassNotFoundException e) {
            throw new IOException("unreadable tree model", e);
        }
    }

    @Override
    public String toString() {
        return "FeatureTrees" + Arrays.toString(new int[] {model.size(), columns});
    }
}

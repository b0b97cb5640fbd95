package dev.colosseum.router.core;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * Similarity-weighted ranking: every training comparison is weighted by w_i = 10·10^(s_i / max s) where s_i
 * is the cosine similarity of its prompt to the query, then a weighted Bradley–Terry fit over the models
 * gives P(a beats b | q) = σ(θ_a − θ_b).
 */
public final class SwRouter implements Router {
    private final List<String> models;
    private final PromptIndex prompts;
    private final int[] a;
    private final int[] b;
    private final double[] y;

    SwRouter(List<String> models, PromptIndex prompts, int[] a, int[] b, double[] y) {
        this.models = List.copyOf(models);
        this.prompts = prompts;
        this.a = a;
        this.b = b;
        this.y = y;
    }

    public static SwRouter train(TrainingSet t) {
        return new SwRouter(t.models, PromptIndex.of(t.embeddings), t.a, t.b, t.y);
    }

    @Override
    public String kind() {
        return "sw";
    }

    @Override
    public List<String> models() {
        return models;
    }

    @Override
    public double winProbability(Query q, String ma, String mb) {
        int ia = models.indexOf(ma);
        int ib = models.indexOf(mb);
        if (ia < 0 || ib < 0) {
            return 0.5;
        }
        int n = a.length;
        double[] sims = prompts.similarities(q.embedding());
        double max = 1e-9;
        for (double d : sims) {
            max = Math.max(max, d);
        }
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = sims[prompts.ofComparison()[i]];
        }
        double[] w = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            w[i] = 10 * Math.pow(10, s[i] / max);
            total += w[i];
        }
        for (int i = 0; i < n; i++) {
            w[i] *= n / total;
        }
        double[] theta = Bt.fit(models.size(), a, b, y, w, 1e-6);
        return Bt.sigmoid(theta[ia] - theta[ib]);
    }

    @Override
    public void write(DataOutputStream out) throws IOException {
        Codec.writeStrings(out, models);
        Codec.writeMatrix(out, prompts.vectors());
        Codec.writeInts(out, prompts.ofComparison());
        Codec.writeInts(out, a);
        Codec.writeInts(out, b);
        Codec.writeDoubles(out, y);
    }

    static SwRouter read(DataInputStream in) throws IOException {
        List<String> models = Codec.readStrings(in);
        PromptIndex p = new PromptIndex(Codec.readMatrix(in), Codec.readInts(in));
        return new SwRouter(models, p, Codec.readInts(in), Codec.readInts(in), Codec.readDoubles(in));
    }
}

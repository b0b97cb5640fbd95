package dev.colosseum.router.core;

import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

/** Baseline: longer prompts go to the strong model; score = 1 − 1/(1 + chars/1000). */
public final class LengthRouter implements Router {
    private final List<String> models;

    public LengthRouter(List<String> models) {
        this.models = List.copyOf(models);
    }

    @Override
    public String kind() {
        return "length";
    }

    @Override
    public List<String> models() {
        return models;
    }

    @Override
    public boolean needsEmbedding() {
        return false;
    }

    @Override
    public double winProbability(Query q, String a, String b) {
        double s = 1 - 1 / (1 + q.text().length() / 1000.0);
        int ia = models.indexOf(a);
        int ib = models.indexOf(b);
        return ia >= 0 && ib >= 0 && ia > ib ? 1 - s : s;
    }

    @Override
    public void write(DataOutputStream out) throws IOException {
        Codec.writeStrings(out, models);
    }
}

package dev.colosseum.stats;

/**
 * Bradley-Terry strength of ONE model with every other model's strength held fixed (an offset), as
 * the drift check of METHODS.md needs: θ on a window of votes against opponents fixed at the
 * full-data fit.
 *
 * <p>Maximises Σ c·w·[y log σ(θ − θ_opp) + (1 − y) log(1 − σ(θ − θ_opp))] over the rows of a plain
 * {@link PairTable} that involve the model (y taken from the model's side), by Newton's method, and
 * returns the one-parameter sandwich variance G / H² with H = Σ c·w·p(1 − p) and meat
 * G = Σ c·w²·(y − p)² (per vote, as {@link Sandwich}).
 */
public final class FixedOpponentFit {
    private FixedOpponentFit() {
    }

    /**
     * Result: {@code theta} in log-odds (NaN when there is no finite maximum: no rows with the model,
     * or it won or lost all of them), its sandwich {@code variance}, and the number of {@code votes}
     * (sum of counts) involving the model.
     */
    public record Result(double theta, double variance, double votes) {
        public boolean finite() {
            return !Double.isNaN(theta);
        }
    }

    /**
     * @param t         plain table (covariates are ignored)
     * @param model     index of the model to fit
     * @param opponents log-odds strength of every model (index = table index; entry {@code model} unused)
     * @param start     starting value for θ (e.g. the model's full-data strength)
     */
    public static Result fit(PairTable t, int model, double[] opponents, double start) {
        if (model < 0 || model >= t.m) {
            throw new IllegalArgumentException("model index out of range: " + model);
        }
        if (opponents.length < t.m) {
            throw new IllegalArgumentException("need a strength for each of the " + t.m + " models");
        }
        double votes = 0;
        for (int r = 0; r < t.n; r++) {
            if (t.a[r] == model || t.b[r] == model) {
                votes += t.count[r];
            }
        }
        if (votes == 0) {
            return new Result(Double.NaN, Double.NaN, 0);
        }
        double theta = start;
        for (int iter = 0; iter < 100; iter++) {
            double g = 0;
            double h = 0;
            for (int r = 0; r < t.n; r++) {
                boolean isA = t.a[r] == model;
                if (!isA && t.b[r] != model) {
                    continue;
                }
                double cw = t.count[r] * t.weight(r);
                double p = sigmoid(theta - opponents[isA ? t.b[r] : t.a[r]]);
                double yy = isA ? t.y[r] : 1.0 - t.y[r];
                g += cw * (yy - p);
                h += cw * p * (1 - p);
            }
            if (h <= 1e-12) {
                return new Result(Double.NaN, Double.NaN, votes);
            }
            double step = Math.max(-2.0, Math.min(2.0, g / h));
            theta += step;
            if (Math.abs(theta) > 50) {
                return new Result(Double.NaN, Double.NaN, votes);
            }
            if (Math.abs(step) < 1e-10) {
                break;
            }
        }
        double h = 0;
        double meat = 0;
        for (int r = 0; r < t.n; r++) {
            boolean isA = t.a[r] == model;
            if (!isA && t.b[r] != model) {
                continue;
            }
            double w = t.weight(r);
            double p = sigmoid(theta - opponents[isA ? t.b[r] : t.a[r]]);
            double yy = isA ? t.y[r] : 1.0 - t.y[r];
            h += t.count[r] * w * p * (1 - p);
            meat += t.count[r] * w * w * (yy - p) * (yy - p);
        }
        return new Result(theta, meat / (h * h), votes);
    }

    private static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }
}

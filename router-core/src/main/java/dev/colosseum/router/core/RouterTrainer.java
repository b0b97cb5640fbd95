package dev.colosseum.router.core;

import java.util.List;
import java.util.Locale;
import java.util.function.DoubleConsumer;

/** Trains a router of a given kind on a {@link TrainingSet} with the project's default hyper-parameters. */
public final class RouterTrainer {
    public static final List<String> KINDS = List.of("random", "length", "sw", "mf", "clf", "best");

    private RouterTrainer() {
    }

    /** About 300,000 sample steps in total: many passes over small data sets, at least 12 and at most 200. */
    static int mfEpochs(TrainingSet t) {
        int decisive = 0;
        for (double y : t.y) {
            if (y != 0.5) {
                decisive++;
            }
        }
        return (int) Math.max(12, Math.min(200, Math.ceil(300_000.0 / Math.max(1, decisive))));
    }

    public static Router train(String kind, TrainingSet t, DoubleConsumer progress) {
        String k = kind.toLowerCase(Locale.ROOT);
        if (t.models.size() < 2 && !k.equals("random") && !k.equals("length")) {
            throw new IllegalArgumentException("training data must compare at least two models");
        }
        Router r;
        switch (k) {
            case "random":
                r = new RandomRouter(t.models, 42);
                break;
            case "length":
                r = new LengthRouter(t.models);
                break;
            case "sw":
                r = SwRouter.train(t);
                break;
            case "mf":
                r = MfRouter.train(t, mfEpochs(t), 7, progress);
                break;
            case "clf":
                r = ClfRouter.train(t, 1.0);
                break;
            case "best":
                r = BestRouter.train(t, 300);
                break;
            default:
                throw new IllegalArgumentException("unknown router '" + kind + "'; known: " + KINDS);
        }
        if (progress != null) {
            progress.accept(1.0);
        }
        return r;
    }
}

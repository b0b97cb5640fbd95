package dev.colosseum.router.core;

import java.util.ArrayList;
import java.util.List;

/** Plain entry point for running an evaluation without the CLI (used by bench scripts). */
public final class EvalMain {
    private EvalMain() {
    }

    public static void main(String[] args) {
        List<String> routers = new ArrayList<>();
        List<String> foldBy = new ArrayList<>();
        List<String> eval = new ArrayList<>();
        List<String> train = new ArrayList<>();
        int folds = 0;
        long seed = 1;
        String strong = null;
        String weak = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--router": routers.addAll(List.of(args[++i].split(","))); break;
                case "--fold-by": foldBy.addAll(List.of(args[++i].split(","))); break;
                case "--eval": eval.add(args[++i]); break;
                case "--train": train.add(args[++i]); break;
                case "--folds": folds = Integer.parseInt(args[++i]); break;
                case "--seed": seed = Long.parseLong(args[++i]); break;
                case "--strong": strong = args[++i]; break;
                case "--weak": weak = args[++i]; break;
                default: throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        try (Embedder e = Embedder.withDefaultCache()) {
            RouterEvalReport.run(new RouterEvalReport.Options(routers.isEmpty() ? List.of("best") : routers, eval, train, folds,
                    foldBy, strong, weak, seed), e, System.out, System.err);
        }
    }
}

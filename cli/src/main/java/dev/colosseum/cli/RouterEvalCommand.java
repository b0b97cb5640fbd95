package dev.colosseum.cli;

import dev.colosseum.router.core.Embedder;
import dev.colosseum.router.core.RouteLlmEvaluation;
import dev.colosseum.router.core.RouterEvalReport;
import dev.colosseum.router.core.RouterTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ./colosseum router-eval}: RouteLLM's evaluation protocol (11 thresholds at the score deciles, AUC,
 * APGR, CPT(50%), CPT(80%)) for one or more routers and the random and prompt-length baselines, optionally
 * cross-fitted so that no evaluated prompt is in its router's training data (folds drawn at random or grouped
 * by a column such as the source file).
 */
@Command(name = "router-eval", mixinStandardHelpOptions = true,
        description = {"Evaluate a router with RouteLLM's protocol on a correctness table (CSV or JSONL with 'prompt'",
                "and one quality column per model; a file, a directory or a glob)."})
public final class RouterEvalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--router", required = true, split = ",",
            description = "random, length, sw, mf, clf or best; several separated by commas")
    List<String> routers;

    @Option(names = "--eval", required = true, paramLabel = "FILE", description = "evaluation table(s): file, directory or glob")
    List<String> eval;

    @Option(names = "--train", paramLabel = "FILE", description = "extra training data: correctness tables or arena JSONL")
    List<String> train = new ArrayList<>();

    @Option(names = "--folds", defaultValue = "0", description = "cross-fitting folds (0 = none: train on --train only)")
    int folds;

    @Option(names = "--fold-by", split = ",", defaultValue = "random", paramLabel = "random|file|COLUMN",
            description = {"how prompts are assigned to folds: 'random' (seeded by --seed; default), 'file' (whole source",
                    "files, e.g. MMLU subjects) or a text column of the table; several separated by commas are each evaluated"})
    List<String> foldBy;

    @Option(names = "--strong", description = "strong model's quality column (default: the first)")
    String strong;

    @Option(names = "--weak", description = "weak model's quality column (default: the other)")
    String weak;

    @Option(names = "--seed", defaultValue = "1", description = "seed for folds and tie breaking (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--embedding-cache", description = "embedding cache directory (default ~/.cache/colosseum/embeddings)")
    Path cacheDir;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        for (String router : routers) {
            if (!RouterTrainer.KINDS.contains(router)) {
                err.println("error: unknown router '" + router + "'; known: " + RouterTrainer.KINDS);
                return 2;
            }
        }
        if (folds == 1 || folds < 0) {
            err.println("error: --folds must be 0 (no cross-fitting) or at least 2");
            return 2;
        }
        try (Embedder e = cacheDir != null ? Embedder.withCache(cacheDir) : Embedder.withDefaultCache()) {
            List<RouteLlmEvaluation.Result> results = RouterEvalReport.run(
                    new RouterEvalReport.Options(routers, eval, train, folds, foldBy, strong, weak, seed), e, out, err);
            return results.isEmpty() ? 1 : 0;
        } catch (IllegalArgumentException | UncheckedIOException ex) {
            err.println("error: " + ex.getMessage());
            return 2;
        }
    }
}

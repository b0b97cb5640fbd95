package dev.colosseum.router.core;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs RouteLLM's evaluation for one router and the random and prompt-length baselines on a quality table
 * and prints the curves and metrics.
 */
public final class RouterEvalReport {
    /**
     * What to evaluate: one or more routers (the random and length baselines are always added), and with
     * {@code folds ≥ 2} one or more fold assignments ({@code random} or a grouping column such as {@code file}),
     * each evaluated in turn.
     */
    public record Options(List<String> routers, List<String> eval, List<String> train, int folds, List<String> foldBy,
                          String strong, String weak, long seed) {
        public Options {
            routers = List.copyOf(routers);
            foldBy = foldBy == null || foldBy.isEmpty() ? List.of(CrossFitEvaluation.RANDOM) : List.copyOf(foldBy);
        }
    }

    private RouterEvalReport() {
    }

    public static List<RouteLlmEvaluation.Result> run(Options o, Embedder embedder, PrintStream out, PrintStream log) {
        QualityTable table = QualityTable.load(o.eval());
        if (table.rows().size() < 11) {
            throw new IllegalArgumentException("the evaluation set needs at least 11 prompts");
        }
        List<String> cols = table.columns();
        if (cols.size() < 2) {
            throw new IllegalArgumentException("need two quality columns, found " + cols);
        }
        String strong = o.strong() != null ? table.column(o.strong()) : cols.get(0);
        String weak = o.weak() != null ? table.column(o.weak()) : cols.stream().filter(c -> !c.equals(strong)).findFirst().orElseThrow();
        if (strong.equals(weak)) {
            throw new IllegalArgumentException("--strong and --weak name the same column");
        }
        out.printf(Locale.ROOT, "evaluation set: %d prompts from %s (%d contaminated prompts excluded)%n",
                table.rows().size(), o.eval(), table.contaminatedExcluded());
        out.printf(Locale.ROOT, "strong = %s, weak = %s%n", strong, weak);
        List<Comparison> extra = new ArrayList<>();
        for (String t : o.train()) {
            extra.addAll(TrainingFiles.load(t, strong, weak));
        }
        if (!o.train().isEmpty()) {
            out.printf(Locale.ROOT, "extra training comparisons: %d from %s%n", extra.size(), o.train());
        }
        int n = table.rows().size();
        double[] sq = new double[n];
        double[] wq = new double[n];
        for (int i = 0; i < n; i++) {
            sq[i] = table.rows().get(i).quality().get(strong);
            wq[i] = table.rows().get(i).quality().get(weak);
        }
        List<String> kinds = new ArrayList<>(o.routers());
        for (String b : List.of("random", "length")) {
            if (!kinds.contains(b)) {
                kinds.add(b);
            }
        }
        List<String> protocols = o.folds() >= 2 ? o.foldBy() : List.of("none");
        if (o.folds() >= 2) {
            for (String protocol : protocols) {
                CrossFitEvaluation.folds(table.rows(), o.folds(), o.seed(), protocol); // fails now, not after hours
            }
        }
        List<RouteLlmEvaluation.Result> results = new ArrayList<>();
        List<RouteLlmEvaluation.Result> rawResults = new ArrayList<>();
        List<String> protocolOf = new ArrayList<>();
        for (String protocol : protocols) {
            out.println();
            out.printf(Locale.ROOT, "cross-fitting: %s%n", o.folds() >= 2
                    ? o.folds() + " folds, " + (protocol.equals(CrossFitEvaluation.RANDOM) ? "prompts assigned at random (seed "
                    + o.seed() + ")" : "grouped by " + protocol) : "none");
            for (String kind : kinds) {
                long t0 = System.nanoTime();
                CrossFitEvaluation.Scores scores = CrossFitEvaluation.score(kind, table, strong, weak, extra, o.folds(), protocol,
                        embedder, o.seed(), log::println);
                RouteLlmEvaluation.Result r = RouteLlmEvaluation.evaluate(kind, scores.scores(), sq, wq, o.seed());
                RouteLlmEvaluation.Result pooled = o.folds() >= 2
                        ? RouteLlmEvaluation.evaluate(kind, scores.raw(), sq, wq, o.seed()) : r; // one router: raw = scores
                results.add(r);
                rawResults.add(pooled);
                protocolOf.add(protocol);
                print(r, out, (System.nanoTime() - t0) / 1e9);
                if (o.folds() >= 2) {
                    out.printf(Locale.ROOT, "   raw scores pooled across the %d fold routers without calibration: APGR %.4f  "
                            + "CPT(50%%) %.2f%%  CPT(80%%) %.2f%%%n", o.folds(), pooled.apgr(), pooled.cpt50(), pooled.cpt80());
                }
            }
        }
        out.println();
        out.printf(Locale.ROOT, "%-8s %-10s %8s %9s %9s %10s%n", "router", "folds", "APGR", "CPT(50%)", "CPT(80%)",
                "APGR raw");
        for (int i = 0; i < results.size(); i++) {
            RouteLlmEvaluation.Result r = results.get(i);
            out.printf(Locale.ROOT, "%-8s %-10s %8.4f %8.2f%% %8.2f%% %10s%n", r.router(), protocolOf.get(i), r.apgr(), r.cpt50(),
                    r.cpt80(), o.folds() >= 2 ? String.format(Locale.ROOT, "%.4f", rawResults.get(i).apgr()) : "-");
        }
        if (o.folds() >= 2) {
            out.println("APGR: each fold router's scores calibrated on its own training prompts before pooling; APGR raw: "
                    + "the raw scores pooled");
        }
        return results;
    }

    static void print(RouteLlmEvaluation.Result r, PrintStream out, double seconds) {
        out.println();
        out.printf(Locale.ROOT, "== router %s (%d prompts, %.1f s)%n", r.router(), r.n(), seconds);
        out.printf(Locale.ROOT, "   strong-only quality %.4f, weak-only quality %.4f%n", r.strongQuality(), r.weakQuality());
        if (r.tiedScoresBroken() > 0) {
            out.printf(Locale.ROOT, "   %d tied scores broken at random (seeded) so the thresholds are distinct%n", r.tiedScoresBroken());
        }
        out.printf(Locale.ROOT, "   %10s %10s %9s%n", "threshold", "strong %", "quality");
        for (RouteLlmEvaluation.Point p : r.points()) {
            out.printf(Locale.ROOT, "   %10.5f %9.2f%% %9.4f%n", p.threshold(), p.strongPercent(), p.quality());
        }
        out.printf(Locale.ROOT, "   AUC %.4f  APGR %.4f  CPT(50%%) %.2f%%  CPT(80%%) %.2f%%%n", r.auc(), r.apgr(), r.cpt50(), r.cpt80());
    }
}

package dev.colosseum.cli;

import dev.colosseum.stats.BattleFormatException;
import dev.colosseum.stats.BattleReader;
import dev.colosseum.stats.BattleSet;
import dev.colosseum.stats.RankOptions;
import dev.colosseum.stats.RankResult;
import dev.colosseum.stats.Ranker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ./colosseum rank FILE}: a Bradley-Terry leaderboard from a battle file (FastChat JSONL,
 * JSON array or Kaggle CSV). Only anonymous battles count when the file says which are.
 */
@Command(name = "rank", mixinStandardHelpOptions = true,
        description = {"Fit a Bradley-Terry leaderboard from a battle file (JSONL, JSON array or Kaggle CSV; - for stdin).",
                "Only anonymous battles count when the file has an anony/mode field."})
public final class RankCommand implements Callable<Integer> {

    /** Interval methods as spelled on the command line. */
    enum Ci { sandwich, bootstrap, simultaneous }

    /** Output formats. */
    enum Format { json, table }

    /** Point-fit solvers as spelled on the command line. */
    enum Solver { newton, fastchat }

    /** Anchor interval conventions as spelled on the command line. */
    enum AnchorCi { relative, shifted }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "battle file")
    String file;

    @Option(names = "--ci", defaultValue = "sandwich", description = "interval method: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
    Ci ci;

    @Option(names = "--rounds", defaultValue = "100", description = "bootstrap rounds (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--seed", defaultValue = "42", description = "bootstrap seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--style-control", description = "control for answer length and markdown (tokens, headers, lists, bold)")
    boolean styleControl;

    @Option(names = "--anchor", paramLabel = "MODEL=RATING", description = "fix one model's rating, e.g. mixtral-8x7b-instruct-v0.1=1114")
    String anchor;

    @Option(names = "--anchor-ci", defaultValue = "relative", paramLabel = "relative|shifted",
            description = {"intervals under --anchor: relative = intervals of the difference to the anchor (the anchor's own is a point);",
                    "shifted = the unanchored intervals moved by the anchor's shift, as arena-rank's sandwich intervals are restated",
                    "on FastChat's anchored scale (default ${DEFAULT-VALUE})"})
    AnchorCi anchorCi;

    @Option(names = "--solver", defaultValue = "newton", paramLabel = "newton|fastchat",
            description = {"point-fit optimiser for plain Bradley-Terry: newton converges to the exact maximum-likelihood estimate;",
                    "fastchat replays FastChat's L-BFGS optimiser and stopping rule for number-for-number parity with its published",
                    "leaderboards (it stops up to ~0.5 Elo short of the optimum on models with few votes). Style control and",
                    "bootstrap refits always use Newton (default ${DEFAULT-VALUE})"})
    Solver solver;

    @Option(names = "--exclude-ties", description = "drop tie votes")
    boolean excludeTies;

    @Option(names = "--min-battles", defaultValue = "0", paramLabel = "K", description = "hide models with fewer than K battles")
    int minBattles;

    @Option(names = "--format", defaultValue = "json", description = "output: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
    Format format;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            RankOptions options = options();
            BattleSet set = read();
            if (set.size() == 0) {
                throw new IllegalArgumentException(file + ": no (anonymous) battles to rank");
            }
            RankResult result = Ranker.rank(set, options);
            String text = format == Format.json ? result.toJson() + System.lineSeparator() : result.toTable();
            out.print(text);
            out.flush();
            return 0;
        } catch (BattleFormatException e) {
            err.println("colosseum rank: " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException | ArithmeticException e) {
            err.println("colosseum rank: " + e.getMessage());
        } catch (IOException e) {
            err.println("colosseum rank: cannot read " + file + ": " + describe(e));
        }
        err.flush();
        return 1;
    }

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private RankOptions options() {
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be at least 1");
        }
        if (minBattles < 0) {
            throw new IllegalArgumentException("--min-battles must not be negative");
        }
        RankOptions o = RankOptions.defaults()
                .withCi(RankOptions.CiMethod.valueOf(ci.name().toUpperCase(Locale.ROOT)))
                .withRounds(rounds)
                .withSeed(seed)
                .withStyleControl(styleControl)
                .withExcludeTies(excludeTies)
                .withMinBattles(minBattles)
                .withSolver(solver == Solver.fastchat ? RankOptions.Solver.FASTCHAT_LBFGS : RankOptions.Solver.NEWTON)
                .withAnchorCi(anchorCi == AnchorCi.shifted ? RankOptions.AnchorCi.SHIFTED : RankOptions.AnchorCi.RELATIVE);
        if (anchor != null) {
            int eq = anchor.lastIndexOf('=');
            if (eq <= 0 || eq == anchor.length() - 1) {
                throw new IllegalArgumentException("--anchor must be MODEL=RATING, got '" + anchor + "'");
            }
            double rating;
            try {
                rating = Double.parseDouble(anchor.substring(eq + 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--anchor rating is not a number: '" + anchor.substring(eq + 1) + "'");
            }
            o = o.withAnchor(anchor.substring(0, eq).trim(), rating);
        }
        return o;
    }

    private BattleSet read() throws IOException {
        if ("-".equals(file)) {
            return BattleReader.readSet(System.in, true);
        }
        Path p = Path.of(file);
        if (Files.isDirectory(p)) {
            throw new IOException("is a directory");
        }
        try (InputStream in = Files.newInputStream(p)) {
            return BattleReader.readSet(in, true);
        }
    }
}

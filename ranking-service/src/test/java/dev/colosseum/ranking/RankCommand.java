package dev.colosseum.ranking;

import dev.colosseum.stats.BattleReader;
import dev.colosseum.stats.BattleSet;
import dev.colosseum.stats.RankOptions;
import dev.colosseum.stats.Ranker;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * What {@code ./colosseum rank --format json} prints for a JSONL text: arena-stats' reader and Ranker.
 * Only JDK types cross this class's boundary (test classes are scanned by two class loaders).
 */
final class RankCommand {
    private RankCommand() {
    }

    /** Options: "style", "simultaneous", "anchor=MODEL=RATING", "solver=fastchat", "anchor-ci=shifted" (the CLI's spellings). */
    static String rank(String jsonl, String... options) {
        RankOptions o = RankOptions.defaults();
        for (String opt : options) {
            if (opt.equals("style")) {
                o = o.withStyleControl(true);
            } else if (opt.equals("simultaneous")) {
                o = o.withCi(RankOptions.CiMethod.SIMULTANEOUS);
            } else if (opt.equals("solver=fastchat")) {
                o = o.withSolver(RankOptions.Solver.FASTCHAT_LBFGS);
            } else if (opt.equals("anchor-ci=shifted")) {
                o = o.withAnchorCi(RankOptions.AnchorCi.SHIFTED);
            } else if (opt.startsWith("anchor=")) {
                String a = opt.substring("anchor=".length());
                int eq = a.lastIndexOf('=');
                o = o.withAnchor(a.substring(0, eq), Double.parseDouble(a.substring(eq + 1)));
            } else {
                throw new IllegalArgumentException(opt);
            }
        }
        try {
            BattleSet set = BattleReader.readSet(new ByteArrayInputStream(jsonl.getBytes(StandardCharsets.UTF_8)), true);
            return Ranker.rank(set, o).toJson();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

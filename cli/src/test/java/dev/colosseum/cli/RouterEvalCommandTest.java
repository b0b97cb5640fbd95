package dev.colosseum.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouterEvalCommandTest {

    /** 60 prompts: the weak model fails exactly on the long ones, the strong one is always right; 5 topics, each mixing easy and hard prompts. */
    static Path table(Path dir) throws Exception {
        StringBuilder sb = new StringBuilder("prompt,strong_model,weak_model,topic\n");
        for (int i = 0; i < 60; i++) {
            boolean hard = i % 3 == 0;
            String p = hard ? "Prove in detail the theorem number " + i + " about primes and lattices " + "x".repeat(200)
                    : "What is " + i + " plus one?";
            sb.append('"').append(p).append("\",true,").append(hard ? "false" : "true").append(",topic").append(i % 5).append('\n');
        }
        Path f = dir.resolve("quality.csv");
        Files.writeString(f, sb.toString());
        return f;
    }

    static String run(int expectedExit, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            RouterEvalCommand cmd = new RouterEvalCommand();
            int code = new CommandLine(cmd).execute(args);
            assertEquals(expectedExit, code, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(old);
            System.setErr(oldErr);
        }
        return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    static double apgr(String out, String router) {
        Matcher m = Pattern.compile("(?m)^" + router + "\\s+\\S+\\s+([-0-9.]+)").matcher(out);
        assertTrue(m.find(), out);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void lengthBaselineFindsTheLongHardPromptsAndRandomIsNear(@TempDir Path dir) throws Exception {
        Path f = table(dir);
        String out = run(0, "--router", "random", "--eval", f.toString(), "--embedding-cache", dir.resolve("c").toString());
        assertTrue(out.contains("strong = strong_model, weak = weak_model"), out);
        // 11 thresholds printed per router
        assertEquals(22, Pattern.compile("(?m)^\\s+[-0-9.]+\\s+[0-9.]+%\\s+[0-9.]+$").matcher(out).results().count(), out);
        // length is a perfect signal here (every long prompt is a strong win): 0.84 is the most 11 decile points allow
        assertTrue(apgr(out, "length") > 0.8, out);
        assertTrue(apgr(out, "random") < 0.8, out);
        assertTrue(out.contains("CPT(50%)"), out);
    }

    @Test
    void crossFittedEmbeddingRouterLearnsFromOtherFolds(@TempDir Path dir) throws Exception {
        Path f = table(dir);
        String out = run(0, "--router", "best", "--eval", f.toString(), "--folds", "3", "--strong", "strong",
                "--weak", "weak", "--embedding-cache", dir.resolve("c").toString());
        assertTrue(out.contains("cross-fitting: 3 folds, prompts assigned at random (seed 1)"), out);
        assertTrue(apgr(out, "best") > 0.7, out);
    }

    @Test
    void foldByRandomAndByColumnAreBothReportedForEveryRouterAndBaseline(@TempDir Path dir) throws Exception {
        Path f = table(dir);
        String out = run(0, "--router", "sw,best", "--eval", f.toString(), "--folds", "3", "--fold-by", "random,topic",
                "--embedding-cache", dir.resolve("c").toString());
        assertTrue(out.contains("cross-fitting: 3 folds, grouped by topic"), out);
        for (String router : new String[] {"sw", "best", "random", "length"}) {
            for (String protocol : new String[] {"random", "topic"}) {
                Matcher m = Pattern.compile("(?m)^" + router + "\\s+" + protocol + "\\s+([-0-9.]+)").matcher(out);
                assertTrue(m.find(), router + " " + protocol + "\n" + out);
            }
        }
        // every topic mixes easy and hard prompts, so grouping by topic still leaves the signal learnable
        Matcher m = Pattern.compile("(?m)^best\\s+topic\\s+([-0-9.]+)").matcher(out);
        assertTrue(m.find() && Double.parseDouble(m.group(1)) > 0.7, out);
        assertTrue(run(2, "--router", "best", "--eval", f.toString(), "--folds", "3", "--fold-by", "missing",
                "--embedding-cache", dir.resolve("c").toString()).contains("no column 'missing'"));
    }

    @Test
    void badArgumentsExitTwo(@TempDir Path dir) throws Exception {
        Path f = table(dir);
        assertTrue(run(2, "--router", "nope", "--eval", f.toString()).contains("unknown router"));
        assertTrue(run(2, "--router", "best", "--eval", dir.resolve("missing.csv").toString()).contains("error"));
        assertTrue(run(2, "--router", "mf", "--eval", f.toString(), "--embedding-cache", dir.resolve("c").toString())
                .contains("needs --train data or --folds"));
    }
}

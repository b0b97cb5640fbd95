package dev.colosseum.cli.suite;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code ./colosseum logs SERVICE [-f]}: the log of one service (or postgres). */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = "Print the last lines of a service log (vote, ranking, battle, router or postgres).")
public final class LogsCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "vote | ranking | battle | router | postgres")
    String service;

    @Option(names = {"-n", "--lines"}, defaultValue = "50", description = "Lines to show (default ${DEFAULT-VALUE}).")
    int lines;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines.")
    boolean follow;

    @Override
    public Integer call() throws IOException, InterruptedException {
        SuiteConfig cfg = SuiteConfig.fromEnvironment(UpCommand.root());
        Suite suite = new Suite(cfg, UpCommand::say);
        String name = "postgres".equals(service) ? "postgres" : ServiceSpec.byName(service).module();
        Path log = suite.logFile(name);
        if (!Files.exists(log)) {
            UpCommand.say("no log at " + log);
            return 1;
        }
        System.out.println(suite.tail(name, lines));
        if (follow) {
            try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
                long pos = f.length();
                while (true) {
                    long len = f.length();
                    if (len > pos) {
                        f.seek(pos);
                        byte[] buf = new byte[(int) Math.min(len - pos, 1 << 20)];
                        f.readFully(buf);
                        pos += buf.length;
                        System.out.print(new String(buf, StandardCharsets.UTF_8));
                        System.out.flush();
                    }
                    Thread.sleep(500);
                }
            }
        }
        return 0;
    }
}

package dev.colosseum.cli.suite;

import picocli.CommandLine.Command;

import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ./colosseum status}: health per component; exit code 0 only when everything is up. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show PostgreSQL and the health (/q/health) of each service. Exit code 0 when all are UP.")
public final class StatusCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        SuiteConfig cfg = SuiteConfig.fromEnvironment(UpCommand.root());
        Suite suite = new Suite(cfg, UpCommand::say);
        Map<String, String> status = suite.status();
        boolean allUp = true;
        for (Map.Entry<String, String> e : status.entrySet()) {
            System.out.printf("%-24s %s%n", e.getKey(), e.getValue());
            if (!e.getKey().startsWith("postgresql") && !e.getValue().startsWith("UP")) {
                allUp = false;
            }
        }
        return allUp ? 0 : 3;
    }
}

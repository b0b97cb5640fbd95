package dev.colosseum.cli.suite;

import picocli.CommandLine.Command;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code ./colosseum down}: stops the services, then PostgreSQL; keeps the data. */
@Command(name = "down", mixinStandardHelpOptions = true,
        description = "Stop everything 'up' started (services, then PostgreSQL). Data is kept.")
public final class DownCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        SuiteConfig cfg = SuiteConfig.fromEnvironment(UpCommand.root());
        List<String> stopped = new Suite(cfg, UpCommand::say).stopAll();
        UpCommand.say(stopped.isEmpty() ? "nothing was running" : "stopped: " + String.join(", ", stopped));
        UpCommand.say("data kept in " + cfg.home());
        return 0;
    }
}

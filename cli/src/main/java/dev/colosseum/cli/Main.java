package dev.colosseum.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./colosseum} launcher. */
@Command(name = "colosseum", mixinStandardHelpOptions = true, version = "colosseum 0.1.0",
        description = "Colosseum: a self-hosted LLM arena.",
        subcommands = {
                CommandLine.HelpCommand.class,
                dev.colosseum.cli.suite.UpCommand.class,
                dev.colosseum.cli.suite.DownCommand.class,
                dev.colosseum.cli.suite.StatusCommand.class,
                dev.colosseum.cli.suite.LogsCommand.class,
                dev.colosseum.cli.suite.DbServeCommand.class,
                RankCommand.class,
                RouterEvalCommand.class,
        })
public final class Main implements Runnable {
    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}

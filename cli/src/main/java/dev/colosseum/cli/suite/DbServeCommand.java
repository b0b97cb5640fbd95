package dev.colosseum.cli.suite;

import dev.colosseum.embedded.EmbeddedDb;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * Holds the embedded PostgreSQL server for {@code ./colosseum up}: started detached, it runs until it
 * receives SIGTERM ({@code ./colosseum down}), then stops PostgreSQL cleanly.
 */
@Command(name = "db-serve", hidden = true,
        description = "Run embedded PostgreSQL in the foreground until terminated (used by 'up').")
public final class DbServeCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, description = "PostgreSQL data directory (kept between runs).")
    Path data;

    @Option(names = "--port", required = true, description = "TCP port.")
    int port;

    @Option(names = "--ready-file", description = "Written once the server accepts connections.")
    Path readyFile;

    @Override
    public Integer call() throws Exception {
        EmbeddedDb db = EmbeddedDb.start(data, port);
        db.ensureDatabase(SuiteConfig.DATABASE);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping PostgreSQL");
            db.close();
            System.out.println("PostgreSQL stopped");
            stopped.countDown();
        }, "db-serve-stop"));
        System.out.println("PostgreSQL ready on port " + db.port() + ", data in " + data);
        if (readyFile != null) {
            Files.writeString(readyFile, Integer.toString(db.port()));
        }
        stopped.await();
        return 0;
    }
}

package dev.colosseum.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A real PostgreSQL server run from the zonky binaries: for tests (throw-away data directory, any
 * free port) and for the demo launched by {@code ./colosseum up} (persistent data directory, fixed port).
 */
public final class EmbeddedDb implements AutoCloseable {
    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";

    private final EmbeddedPostgres postgres;

    private EmbeddedDb(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** A throw-away server on a free port. */
    public static EmbeddedDb startEphemeral() {
        return start(null, 0);
    }

    /**
     * Starts a server.
     *
     * @param dataDir where the cluster lives; {@code null} for a fresh temporary directory that is removed on close
     * @param port    the port, or 0 for any free port
     */
    public static EmbeddedDb start(Path dataDir, int port) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on");
            if (port > 0) {
                builder.setPort(port);
            }
            if (dataDir != null) {
                Files.createDirectories(dataDir);
                builder.setDataDirectory(dataDir).setCleanDataDirectory(false);
            }
            return new EmbeddedDb(builder.start());
        } catch (IOException e) {
            throw new IllegalStateException("could not start embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port() + "/" + database;
    }

    public String reactiveUrl(String database) {
        return "postgresql://localhost:" + port() + "/" + database;
    }

    /** Creates the database unless it exists already. */
    public void ensureDatabase(String database) {
        if (!database.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("bad database name: " + database);
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USER, PASSWORD);
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            s.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + database + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new IllegalStateException("could not stop embedded PostgreSQL: " + e.getMessage(), e);
        }
    }
}

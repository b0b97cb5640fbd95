package dev.colosseum.embedded;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Starts a throw-away real PostgreSQL for a {@code @QuarkusTest} and points both the reactive
 * datasource and Flyway's JDBC URL at it.
 */
public class EmbeddedPostgresTestResource implements QuarkusTestResourceLifecycleManager {
    private EmbeddedDb db;

    @Override
    public Map<String, String> start() {
        db = EmbeddedDb.startEphemeral();
        return Map.of(
                "quarkus.datasource.reactive.url", db.reactiveUrl("postgres"),
                "quarkus.datasource.jdbc.url", db.jdbcUrl("postgres"),
                "quarkus.datasource.username", EmbeddedDb.USER,
                "quarkus.datasource.password", EmbeddedDb.PASSWORD);
    }

    @Override
    public void stop() {
        if (db != null) {
            db.close();
        }
    }
}

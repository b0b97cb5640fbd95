package dev.colosseum.ranking;

import dev.colosseum.embedded.EmbeddedDb;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.List;
import java.util.Map;

/**
 * For {@code @QuarkusTest}: a real embedded PostgreSQL and a real vote-service process; ranking-service
 * follows that vote-service and keeps its state in its own database of the same server.
 */
public class LiveStackResource implements QuarkusTestResourceLifecycleManager {
    public static final List<String> MODELS = List.of("sim-atlas", "sim-breeze", "sim-cobalt", "sim-dune",
            "sim-ember", "sim-fjord");
    static volatile VoteServiceProcess votes;

    @Override
    public Map<String, String> start() {
        votes = VoteServiceProcess.start(VoteServiceProcess.modelsFile(MODELS).toPath());
        EmbeddedDb db = votes.db();
        return Map.of(
                "quarkus.datasource.reactive.url", db.reactiveUrl("ranking"),
                "quarkus.datasource.jdbc.url", db.jdbcUrl("ranking"),
                "quarkus.datasource.username", EmbeddedDb.USER,
                "quarkus.datasource.password", EmbeddedDb.PASSWORD,
                "quarkus.rest-client.vote-service.url", votes.url(),
                "colosseum.ranking.page-size", "97",
                "colosseum.ranking.registry-refresh-ms", "500");
    }

    @Override
    public void stop() {
        if (votes != null) {
            votes.close();
        }
    }
}

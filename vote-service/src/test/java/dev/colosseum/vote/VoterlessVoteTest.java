package dev.colosseum.vote;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colosseum.embedded.EmbeddedPostgresTestResource;
import dev.colosseum.vote.repository.StoredVote;
import dev.colosseum.vote.repository.VoteRepository;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A live vote without a voter id (the field is optional) is stored even when it is the first vote a database
 * connection prepares the insert statement for: the statement's parameter types must not depend on which
 * values are null. Uses its own one-connection pool so the preparation order is known.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresTestResource.class)
class VoterlessVoteTest {

    @Inject
    Vertx vertx;

    @Inject
    ObjectMapper json;

    @Test
    void aVoteWithoutVoterIdIsStoredOnAFreshConnection() {
        String url = ConfigProvider.getConfig().getValue("quarkus.datasource.reactive.url", String.class);
        PgConnectOptions connect = PgConnectOptions.fromUri(url.replaceFirst("^vertx-reactive:", ""))
                .setUser(ConfigProvider.getConfig().getValue("quarkus.datasource.username", String.class))
                .setPassword(ConfigProvider.getConfig().getValue("quarkus.datasource.password", String.class))
                .setCachePreparedStatements(true);
        Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(1)).connectingTo(connect).using(vertx).build();
        try {
            VoteRepository repository = new VoteRepository(pool, json);
            for (String voter : new String[] {null, Votes.voterId(), null}) {
                String battle = Votes.battleId();
                StoredVote v = new StoredVote(battle, battle, "h-" + battle, "sim-atlas", "sim-cobalt", "model_a",
                        "anony", voter, null, Instant.now(), 1, null, "[]", null, null, null, "live", null, null,
                        false, "[]", null, null, List.of(), List.of());
                VoteRepository.Written w = repository.insertLive(List.of(v), 20).await().atMost(Duration.ofSeconds(30))
                        .get(0);
                assertNotNull(w.receipt(), "vote with voter " + voter + " was not stored");
                assertFalse(w.capped());
            }
        } finally {
            pool.closeAndAwait();
        }
    }
}

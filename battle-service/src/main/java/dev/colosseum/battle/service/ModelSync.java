package dev.colosseum.battle.service;

import dev.colosseum.battle.ModelSpec;
import dev.colosseum.battle.client.VoteClient;
import dev.colosseum.battle.config.BattleConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pushes registry entries to vote-service ({@code PUT /api/v1/models/{id}}). Never blocks start-up:
 * entries that could not be delivered are retried every few seconds until vote-service answers.
 */
@ApplicationScoped
public class ModelSync {
    private static final Logger LOG = Logger.getLogger(ModelSync.class);
    private static final long RETRY_MS = 5000;

    private final VoteClient votes;
    private final BattleConfig config;
    private final Vertx vertx;
    private final Map<String, ModelSpec> pending = new ConcurrentHashMap<>();
    private volatile long timer = -1;

    public ModelSync(@RestClient VoteClient votes, BattleConfig config, Vertx vertx, MeterRegistry meters) {
        this.votes = votes;
        this.config = config;
        this.vertx = vertx;
        meters.gauge("colosseum.registry.sync.pending", pending, Map::size);
    }

    public void pushAll(List<ModelSpec> models) {
        models.forEach(this::push);
    }

    public void push(ModelSpec m) {
        pending.put(m.id(), m);
        send(m);
    }

    /** Entries vote-service has not acknowledged yet. */
    public int pendingCount() {
        return pending.size();
    }

    private void send(ModelSpec m) {
        votes.putModel(m.id(), config.adminKey(), m)
                .ifNoItem().after(Duration.ofSeconds(5)).fail()
                .subscribe().with(ok -> pending.remove(m.id(), m), err -> {
                    if (err instanceof jakarta.ws.rs.WebApplicationException wae
                            && wae.getResponse().getStatus() >= 400 && wae.getResponse().getStatus() < 500) {
                        LOG.warnf("vote-service rejected model %s (%d); will retry", m.id(), wae.getResponse().getStatus());
                    } else {
                        LOG.debugf("vote-service did not take model %s yet: %s", m.id(), err.getMessage());
                    }
                    scheduleRetry();
                });
    }

    private synchronized void scheduleRetry() {
        if (timer >= 0) {
            return;
        }
        timer = vertx.setTimer(RETRY_MS, id -> {
            synchronized (this) {
                timer = -1;
            }
            pending.values().forEach(this::send);
        });
    }

    @PreDestroy
    synchronized void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }
}

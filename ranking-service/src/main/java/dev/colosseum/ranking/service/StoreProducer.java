package dev.colosseum.ranking.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Produces;

/** The one in-memory vote store of the service. */
@ApplicationScoped
public class StoreProducer {
    @Produces
    @Singleton
    VoteStore store() {
        return new VoteStore();
    }
}

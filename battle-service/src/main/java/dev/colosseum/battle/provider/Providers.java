package dev.colosseum.battle.provider;

import dev.colosseum.battle.ModelSpec;
import jakarta.enterprise.context.ApplicationScoped;

/** Picks the provider implementation for a registry entry. */
@ApplicationScoped
public class Providers {
    private final SimulatedProvider simulated;
    private final Langchain4jProvider langchain4j;

    public Providers(SimulatedProvider simulated, Langchain4jProvider langchain4j) {
        this.simulated = simulated;
        this.langchain4j = langchain4j;
    }

    public ChatProvider forModel(ModelSpec model) {
        return model.isSimulated() ? simulated : langchain4j;
    }
}

package dev.colosseum.ranking.service;

import dev.colosseum.ranking.client.RegistryModel;
import dev.colosseum.ranking.client.VoteLogClient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.util.LinkedHashMap;
import java.util.Map;

/** The model registry as vote-service serves it (prices, deprecated, visibility, outage, params). */
@ApplicationScoped
public class RegistryService {
    private final VoteLogClient client;
    private volatile Map<String, RegistryModel> models = Map.of();

    public RegistryService(@RestClient VoteLogClient client) {
        this.client = client;
    }

    public Map<String, RegistryModel> models() {
        return models;
    }

    public RegistryModel get(String id) {
        return models.get(id);
    }

    /** Re-reads the registry; on failure (vote-service down) the last known registry stays. */
    public Uni<Void> refresh() {
        return client.models()
                .invoke(page -> {
                    Map<String, RegistryModel> m = new LinkedHashMap<>();
                    if (page != null && page.models() != null) {
                        for (RegistryModel r : page.models()) {
                            if (r != null && r.id() != null) {
                                m.put(r.id(), r);
                            }
                        }
                    }
                    models = Map.copyOf(m);
                })
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}

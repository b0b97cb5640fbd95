package dev.colosseum.router.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** Versioned router models. */
@ApplicationScoped
public class RouterModelRepository implements PanacheRepository<RouterModelEntity> {
    public Uni<List<RouterModelEntity>> activeModels() {
        return list("active = true order by kind");
    }

    public Uni<List<RouterModelEntity>> allVersions() {
        return list("order by kind, version desc");
    }

    public Uni<Integer> nextVersion(String kind) {
        return find("select coalesce(max(version), 0) from RouterModelEntity where kind = ?1", kind)
                .project(Integer.class).firstResult().map(v -> v == null ? 1 : v + 1);
    }

    /** Stores a new version and makes it the only active one of its kind. */
    public Uni<RouterModelEntity> storeActive(RouterModelEntity e) {
        return update("active = false where kind = ?1 and active = true", e.kind)
                .chain(() -> nextVersion(e.kind))
                .chain(v -> {
                    e.version = v;
                    e.active = true;
                    return persist(e);
                });
    }
}

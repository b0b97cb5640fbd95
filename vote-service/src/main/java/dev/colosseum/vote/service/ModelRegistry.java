package dev.colosseum.vote.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.colosseum.vote.ModelIds;
import dev.colosseum.vote.ProblemException;
import dev.colosseum.vote.config.VoteConfig;
import dev.colosseum.vote.repository.ModelEntity;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The model ids vote-service accepts on live votes, kept in table {@code vote.models} (Panache) with an
 * in-memory copy for the hot path. Entries from imports are marked historical and do not validate live votes.
 */
@ApplicationScoped
public class ModelRegistry {
    private static final Logger LOG = Logger.getLogger(ModelRegistry.class);

    private final VoteConfig config;
    private final ObjectMapper json;
    /** id → historical */
    private final Map<String, Boolean> known = new ConcurrentHashMap<>();

    public ModelRegistry(VoteConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
    }

    void onStart(@Observes StartupEvent event) throws Throwable {
        List<ObjectNode> fromFile = readModelsFile();
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (ObjectNode entry : fromFile) {
                chain = chain.chain(() -> upsert(entry.get("id").asText(), entry, false)).replaceWithVoid();
            }
            return chain;
        }).chain(() -> Panache.withSession(() -> ModelEntity.<ModelEntity>listAll())).invoke(all -> {
            for (ModelEntity m : all) {
                known.put(m.id, m.historical);
            }
            LOG.infof("model registry: %d entries (%d from %s)", all.size(), fromFile.size(),
                    config.modelsFile().orElse("no file"));
        }));
    }

    private List<ObjectNode> readModelsFile() throws IOException {
        List<ObjectNode> entries = new ArrayList<>();
        if (config.modelsFile().isEmpty()) {
            return entries;
        }
        Path file = Path.of(config.modelsFile().get());
        if (!Files.isRegularFile(file)) {
            LOG.infof("model registry file %s not present", file);
            return entries;
        }
        JsonNode root = json.readTree(file.toFile());
        JsonNode list = root.isArray() ? root : root.path("models");
        for (JsonNode n : list) {
            if (n.isObject() && n.path("id").isTextual() && n.path("id").asText().matches(ModelIds.PATTERN)) {
                entries.add((ObjectNode) n);
            } else {
                LOG.warnf("model registry file %s: entry without a valid id ignored", file);
            }
        }
        return entries;
    }

    /** Must run inside a Panache transaction. */
    private Uni<ModelEntity> upsert(String id, ObjectNode entry, boolean historical) {
        return ModelEntity.<ModelEntity>findById(id).chain(existing -> {
            ModelEntity m = existing == null ? new ModelEntity() : existing;
            m.id = id;
            m.historical = historical;
            ObjectNode copy = entry.deepCopy();
            copy.put("id", id);
            copy.remove("historical");
            m.entry = write(copy);
            m.updatedAt = Instant.now();
            return existing == null ? m.<ModelEntity>persist() : Uni.createFrom().item(m);
        });
    }

    /** Registers or updates a live model (admin PUT). */
    public Uni<ObjectNode> put(String id, ObjectNode entry) {
        if (!id.matches(ModelIds.PATTERN)) {
            throw new ProblemException(400, "Invalid model id", "model id must match " + ModelIds.PATTERN, "id");
        }
        if (entry.has("id") && !id.equals(entry.path("id").asText())) {
            throw new ProblemException(422, "Model id mismatch", "body id differs from the path id", "id");
        }
        return Panache.withTransaction(() -> upsert(id, entry, false))
                .invoke(m -> known.put(id, false))
                .map(this::view);
    }

    /** Registers models first seen in an import as historical entries; returns how many were new. */
    public Uni<Integer> registerHistorical(Collection<String> ids) {
        List<String> fresh = ids.stream().filter(id -> !known.containsKey(id)).distinct().toList();
        if (fresh.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return Panache.withTransaction(() -> {
            Uni<Integer> chain = Uni.createFrom().item(0);
            for (String id : fresh) {
                chain = chain.chain(n -> ModelEntity.<ModelEntity>findById(id).chain(existing -> {
                    if (existing != null) {
                        return Uni.createFrom().item(n);
                    }
                    ModelEntity m = new ModelEntity();
                    m.id = id;
                    m.historical = true;
                    ObjectNode entry = json.createObjectNode().put("id", id).put("display_name", id);
                    m.entry = write(entry);
                    m.updatedAt = Instant.now();
                    return m.persist().replaceWith(n + 1);
                }));
            }
            return chain;
        }).invoke(n -> fresh.forEach(id -> known.putIfAbsent(id, true)));
    }

    public Uni<List<ObjectNode>> list() {
        return Panache.withSession(() -> ModelEntity.<ModelEntity>list("order by id"))
                .map(all -> all.stream().map(this::view).toList());
    }

    /** Whether a live vote may name this model; reads the table when the id is not cached. */
    public Uni<Boolean> isLive(String id) {
        Boolean historical = known.get(id);
        if (historical != null) {
            return Uni.createFrom().item(!historical);
        }
        return Panache.withSession(() -> ModelEntity.<ModelEntity>findById(id)).map(m -> {
            if (m == null) {
                return false;
            }
            known.put(m.id, m.historical);
            return !m.historical;
        });
    }

    public boolean isKnown(String id) {
        return known.containsKey(id);
    }

    private ObjectNode view(ModelEntity m) {
        try {
            ObjectNode n = (ObjectNode) json.readTree(m.entry);
            n.put("historical", m.historical);
            return n;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored model entry unreadable: " + m.id, e);
        }
    }

    private String write(ObjectNode n) {
        try {
            return json.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

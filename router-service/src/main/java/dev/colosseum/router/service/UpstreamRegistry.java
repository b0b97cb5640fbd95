package dev.colosseum.router.service;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colosseum.router.UpstreamModel;
import dev.colosseum.router.config.RouterServiceConfig;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The upstream models, read from the shared registry file (COLOSSEUM_MODELS_FILE): a JSON array or
 * {"models": [...]} of registry entries. Disabled models are left out.
 */
@ApplicationScoped
public class UpstreamRegistry {
    private final Map<String, UpstreamModel> models = new LinkedHashMap<>();

    public UpstreamRegistry(RouterServiceConfig config) {
        Path p = Path.of(config.modelsFile());
        if (!Files.isRegularFile(p)) {
            Log.warnf("model registry %s not found; only models registered later are routable", p.toAbsolutePath());
            return;
        }
        try {
            ObjectMapper om = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
            JsonNode root = om.readTree(p.toFile());
            JsonNode list = root.isArray() ? root : root.path("models");
            for (JsonNode n : list) {
                if (n.path("enabled").asBoolean(true)) {
                    UpstreamModel m = om.treeToValue(n, UpstreamModel.class);
                    models.put(m.id(), m);
                }
            }
            Log.infof("router upstreams from %s: %s", p, models.keySet());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read model registry " + p + ": " + e.getMessage(), e);
        }
    }

    public Optional<UpstreamModel> get(String id) {
        return Optional.ofNullable(models.get(id));
    }

    public List<UpstreamModel> all() {
        return new ArrayList<>(models.values());
    }
}

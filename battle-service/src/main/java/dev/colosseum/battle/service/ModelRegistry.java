package dev.colosseum.battle.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colosseum.battle.ModelSpec;
import dev.colosseum.battle.ProblemException;
import dev.colosseum.battle.config.BattleConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The live model registry: loaded from {@code COLOSSEUM_MODELS_FILE} at start-up, changed through the
 * admin API, pushed to vote-service after every change.
 */
@ApplicationScoped
public class ModelRegistry {
    private static final Logger LOG = Logger.getLogger(ModelRegistry.class);
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,127}");
    private static final Set<String> PROVIDERS = Set.of("simulated", "openai", "anthropic", "gemini");

    private final BattleConfig config;
    private final ObjectMapper mapper;
    private final ModelSync sync;
    private final Map<String, ModelSpec> models = new LinkedHashMap<>();

    public ModelRegistry(BattleConfig config, ObjectMapper mapper, ModelSync sync) {
        this.config = config;
        this.mapper = mapper;
        this.sync = sync;
    }

    void onStart(@Observes StartupEvent event) {
        Path file = Path.of(config.modelsFile());
        if (!Files.isRegularFile(file)) {
            LOG.warnf("model registry file %s not found (working dir %s): starting with no models",
                    file, Path.of("").toAbsolutePath());
            return;
        }
        try {
            JsonNode root = mapper.readTree(file.toFile());
            JsonNode list = root.isArray() ? root : root.path("models");
            List<ModelSpec> loaded = new ArrayList<>();
            for (JsonNode n : list) {
                ModelSpec m = mapper.treeToValue(n, ModelSpec.class);
                loaded.add(validate(m.id(), m));
            }
            synchronized (models) {
                models.clear();
                loaded.forEach(m -> models.put(m.id(), m));
            }
            LOG.infof("loaded %d models from %s", loaded.size(), file);
        } catch (IOException | ProblemException e) {
            throw new IllegalStateException("cannot read model registry " + file + ": " + e.getMessage(), e);
        }
        sync.pushAll(all());
    }

    public List<ModelSpec> all() {
        synchronized (models) {
            return List.copyOf(models.values());
        }
    }

    public Optional<ModelSpec> get(String id) {
        synchronized (models) {
            return Optional.ofNullable(models.get(id));
        }
    }

    public ModelSpec require(String id, String field) {
        return get(id).orElseThrow(() -> new ProblemException(422, "Unknown model",
                "no model with id '" + id + "' in the registry", field));
    }

    public ModelSpec upsert(String id, ModelSpec spec) {
        ModelSpec m = validate(id, spec.id() == null ? spec.withId(id) : spec);
        synchronized (models) {
            models.put(id, m);
        }
        sync.push(m);
        return m;
    }

    public Optional<ModelSpec> remove(String id) {
        ModelSpec removed;
        synchronized (models) {
            removed = models.remove(id);
        }
        if (removed != null) {
            sync.push(new ModelSpec(removed.id(), removed.displayName(), removed.organization(), removed.provider(),
                    removed.baseUrl(), removed.upstreamModel(), removed.apiKeyEnv(), removed.inputPricePerMtok(),
                    removed.outputPricePerMtok(), removed.paramsB(), removed.license(), removed.visibility(), false,
                    removed.outage(), removed.deprecated(), removed.samplingWeight(), removed.generation(),
                    removed.simulated()));
        }
        return Optional.ofNullable(removed);
    }

    /** Checks an entry; simulated models always carry "(simulated)" in their display name. */
    public static ModelSpec validate(String id, ModelSpec m) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new ProblemException(422, "Invalid model", "model id must match " + ID.pattern(), "id");
        }
        if (m.id() != null && !m.id().equals(id)) {
            throw new ProblemException(422, "Invalid model", "id in the body (" + m.id()
                    + ") differs from the id in the path (" + id + ")", "id");
        }
        if (m.displayName() == null || m.displayName().isBlank()) {
            throw new ProblemException(422, "Invalid model", "display_name is required", "display_name");
        }
        if (m.provider() == null || !PROVIDERS.contains(m.provider())) {
            throw new ProblemException(422, "Invalid model", "provider must be one of " + PROVIDERS, "provider");
        }
        if (m.visibility() != null && !Set.of("public", "private").contains(m.visibility())) {
            throw new ProblemException(422, "Invalid model", "visibility must be public or private", "visibility");
        }
        if (m.inputPricePerMtok() != null && m.inputPricePerMtok() < 0) {
            throw new ProblemException(422, "Invalid model", "prices cannot be negative", "input_price_per_mtok");
        }
        if (m.outputPricePerMtok() != null && m.outputPricePerMtok() < 0) {
            throw new ProblemException(422, "Invalid model", "prices cannot be negative", "output_price_per_mtok");
        }
        if (m.samplingWeight() != null && (m.samplingWeight() < 0 || m.samplingWeight().isNaN())) {
            throw new ProblemException(422, "Invalid model", "sampling_weight must be >= 0", "sampling_weight");
        }
        if (m.simulated() != null && m.simulated().failureRate() != null
                && (m.simulated().failureRate() < 0 || m.simulated().failureRate() > 1)) {
            throw new ProblemException(422, "Invalid model", "simulated.failure_rate must be in [0, 1]",
                    "simulated.failure_rate");
        }
        String display = m.displayName();
        if (m.isSimulated() && !display.toLowerCase().contains("(simulated)")) {
            display = display + " (simulated)";
        }
        return new ModelSpec(id, display, m.organization(), m.provider(), m.baseUrl(), m.upstreamModel(),
                m.apiKeyEnv(), m.inputPricePerMtok(), m.outputPricePerMtok(), m.paramsB(), m.license(),
                m.visibility() == null ? "public" : m.visibility(), m.enabled() == null ? Boolean.TRUE : m.enabled(),
                m.outage() == null ? Boolean.FALSE : m.outage(), m.deprecated() == null ? Boolean.FALSE : m.deprecated(),
                m.samplingWeight() == null ? 1.0 : m.samplingWeight(), m.generation(), m.simulated());
    }
}

package dev.colosseum.battle.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colosseum.battle.ChatMessage;
import dev.colosseum.battle.ModelSpec;
import dev.colosseum.battle.config.BattleConfig;
import dev.colosseum.battle.provider.Providers;
import dev.colosseum.battle.provider.StreamListener;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Optional LLM judge for the criteria that need one (hard prompt: ≥ 6 of 7 criteria; creative
 * writing; instruction following). Off unless {@code colosseum.judge-model} names a registry model.
 */
@ApplicationScoped
public class Judge {
    private static final Logger LOG = Logger.getLogger(Judge.class);
    static final List<String> CRITERIA = List.of("specificity", "domain_knowledge", "complexity", "problem_solving",
            "creativity", "technical_accuracy", "real_world");
    private static final Pattern JSON = Pattern.compile("\\{.*}", Pattern.DOTALL);
    private static final String INSTRUCTIONS = """
            You label a user prompt for a chatbot arena. Answer with one JSON object and nothing else, with \
            boolean fields: specificity, domain_knowledge, complexity, problem_solving, creativity, \
            technical_accuracy, real_world, creative_writing, instruction_following.
            The prompt:
            """;

    private final BattleConfig config;
    private final ModelRegistry registry;
    private final Providers providers;
    private final ObjectMapper mapper;

    public Judge(BattleConfig config, ModelRegistry registry, Providers providers, ObjectMapper mapper) {
        this.config = config;
        this.registry = registry;
        this.providers = providers;
        this.mapper = mapper;
    }

    public boolean enabled() {
        return config.judgeModel().flatMap(registry::get).isPresent();
    }

    /** Judge tags of a prompt; empty when no judge is configured or the judge fails. */
    public Uni<List<String>> tags(String prompt) {
        ModelSpec judge = config.judgeModel().flatMap(registry::get).orElse(null);
        if (judge == null) {
            return Uni.createFrom().item(List.of());
        }
        String clipped = prompt.length() > 6000 ? prompt.substring(0, 6000) : prompt;
        return Uni.createFrom().<String>emitter(em -> {
            StringBuilder sb = new StringBuilder();
            var handle = providers.forModel(judge).stream(judge, List.of(ChatMessage.user(INSTRUCTIONS + clipped)), 0L,
                    new StreamListener() {
                        @Override
                        public void onDelta(String text) {
                            synchronized (sb) {
                                sb.append(text);
                            }
                        }

                        @Override
                        public void onComplete(Integer in, Integer out) {
                            synchronized (sb) {
                                em.complete(sb.toString());
                            }
                        }

                        @Override
                        public void onError(String code, String message) {
                            em.fail(new IllegalStateException(code + ": " + message));
                        }
                    });
            em.onTermination(handle::cancel);
        }).ifNoItem().after(Duration.ofSeconds(20)).fail()
                .map(this::parse)
                .onFailure().recoverWithItem(err -> {
                    LOG.warnf("judge model %s gave no usable labels: %s", judge.id(), err.getMessage());
                    return List.of();
                });
    }

    List<String> parse(String answer) {
        Matcher m = JSON.matcher(answer);
        if (!m.find()) {
            throw new IllegalStateException("no JSON object in judge answer");
        }
        JsonNode n;
        try {
            n = mapper.readTree(m.group());
        } catch (Exception e) {
            throw new IllegalStateException("judge answer is not JSON: " + e.getMessage());
        }
        int met = 0;
        for (String c : CRITERIA) {
            if (n.path(c).asBoolean(false)) {
                met++;
            }
        }
        List<String> out = new ArrayList<>();
        if (met >= 6) {
            out.add("hard_prompt");
        }
        if (n.path("creative_writing").asBoolean(false)) {
            out.add("creative_writing");
        }
        if (n.path("instruction_following").asBoolean(false)) {
            out.add("instruction_following");
        }
        return out;
    }
}

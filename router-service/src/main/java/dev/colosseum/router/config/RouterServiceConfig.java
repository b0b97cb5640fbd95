package dev.colosseum.router.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.List;
import java.util.Optional;

/** router-service settings (prefix {@code colosseum.router}). */
@ConfigMapping(prefix = "colosseum.router")
public interface RouterServiceConfig {
    /** The strong model id (registry id). */
    @WithDefault("sim-atlas")
    String strong();

    /** The weak model id (registry id). */
    @WithDefault("sim-breeze")
    String weak();

    /** Registry file (COLOSSEUM_MODELS_FILE). */
    @WithDefault("config/models.json")
    String modelsFile();

    /** vote-service base URL (COLOSSEUM_VOTE_URL). */
    @WithDefault("http://localhost:8081")
    String voteUrl();

    /** Admin key (COLOSSEUM_ADMIN_KEY). */
    @WithDefault("colosseum-dev-admin")
    String adminKey();

    /** Reference prompts for calibration: JSONL with "prompt" or MT-Bench "turns". */
    Optional<String> referencePrompts();

    /** Router kinds retrained on schedule when new votes arrived. */
    @WithDefault("best")
    List<String> scheduledRouters();

    /** Recent routed prompts kept per router for live re-calibration. */
    @WithDefault("2000")
    int trafficWindow();

    /** Minimum recent prompts before live re-calibration replaces the reference calibration. */
    @WithDefault("200")
    int trafficMinimum();

    /** How often to check vote-service for new votes and retrain (scheduler period). */
    @WithDefault("10m")
    String retrainEvery();

    /** Delay before the first scheduled check. */
    @WithDefault("1m")
    String retrainDelay();
}

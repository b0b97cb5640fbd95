package dev.colosseum.battle.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** battle-service settings (prefix colosseum.battle; the shared ones also read COLOSSEUM_* env vars, see application.properties). */
@ConfigMapping(prefix = "colosseum.battle")
public interface BattleConfig {
    /** The model registry file (JSON: {"models": [...]}) read at start-up. */
    @WithDefault("config/models.json")
    String modelsFile();

    /** Key required by admin endpoints (X-Admin-Key or Authorization: Bearer). */
    @WithDefault("colosseum-dev-admin")
    String adminKey();

    @WithDefault("http://localhost:8082")
    String rankingUrl();

    @WithDefault("http://localhost:8081")
    String voteUrl();

    /** Sampling policy asked of ranking-service: active or fastchat. */
    @WithDefault("active")
    String samplingPolicy();

    /**
     * Cached sampling weights older than this are refreshed in the background (the start does not wait); after a
     * failed wait for ranking-service, starts within this period use the local policy without waiting.
     */
    @WithDefault("5s")
    Duration samplingRefresh();

    /** Cached sampling weights older than this are not used: the start asks ranking-service (0 = no cache). */
    @WithDefault("60s")
    Duration samplingMaxAge();

    @WithDefault("30000")
    int maxPromptChars();

    @WithDefault("50")
    int maxTurns();

    /** A provider that sends nothing for this long is cut off with an error event. */
    @WithDefault("30s")
    Duration providerTimeout();

    /** Hard cap on one answer. */
    @WithDefault("5m")
    Duration answerDeadline();

    /** A turn nobody is watching any more is cancelled after this grace period. */
    @WithDefault("5s")
    Duration abandonGrace();

    /** A turn whose event stream nobody opened is cancelled after this long. */
    @WithDefault("15s")
    Duration connectGrace();

    /** Battles idle for this long are forgotten. */
    @WithDefault("2h")
    Duration battleTtl();

    /** Registry id of a model used as LLM judge for hard-prompt / creative / instruction tags (off when absent). */
    Optional<String> judgeModel();

    /** Salt for hashing voter addresses into pseudonymous voter ids. */
    @WithDefault("colosseum-voter-salt")
    String voterSalt();
}

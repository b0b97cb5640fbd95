package dev.colosseum.vote.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** vote-service settings (prefix {@code colosseum.vote}). */
@ConfigMapping(prefix = "colosseum.vote")
public interface VoteConfig {

    /** Key required by admin endpoints (X-Admin-Key or Authorization: Bearer). */
    @WithName("admin-key")
    @WithDefault("colosseum-dev-admin")
    String adminKey();

    /** Model registry file loaded at start-up. */
    @WithName("models-file")
    Optional<String> modelsFile();

    /**
     * Directory whose files admins may import with {@code POST /api/v1/import/file} (streamed from disk, no body
     * size limit); unset disables that endpoint.
     */
    @WithName("import-dir")
    Optional<String> importDir();

    Limits limits();

    Hygiene hygiene();

    Ingest ingest();

    /** Group commit of live votes: concurrent requests share one statement and one commit. */
    interface Ingest {
        /** Batches written concurrently (each one statement in autocommit on its own pooled connection). */
        @WithName("writers")
        @WithDefault("2")
        int writers();

        /** A second (third, …) batch is started while one is in flight only when at least this many votes wait. */
        @WithName("parallel-from")
        @WithDefault("8")
        int parallelFrom();

        /** Most votes in one batch. */
        @WithName("max-batch")
        @WithDefault("64")
        int maxBatch();

        /** Votes waiting for a writer beyond this are refused with 503 and Retry-After. */
        @WithName("max-queue")
        @WithDefault("5000")
        int maxQueue();
    }

    interface Limits {
        /** Votes one voter may cast per UTC day; 0 disables the cap. */
        @WithName("daily-votes-per-voter")
        @WithDefault("500")
        int dailyVotesPerVoter();

        /** Sustained vote requests per second per client; 0 disables the limit. */
        @WithName("client-rate-per-second")
        @WithDefault("5")
        double clientRatePerSecond();

        /** Burst size of the per-client token bucket. */
        @WithName("client-burst")
        @WithDefault("30")
        int clientBurst();
    }

    interface Hygiene {
        /** Vendor and model names that reveal an identity when an answer mentions them (word boundaries). */
        @WithName("reveal-terms")
        @WithDefault("vicuna,lmsys,chatgpt,gpt-3.5,gpt-4,gpt-4o,openai,anthropic,claude,bard,palm,google,gemini,gemma,"
                + "llama,meta ai,qwen,alibaba,mistral,mixtral,deepseek,cohere,command-r,yi-large,01.ai,phi-3,microsoft,"
                + "grok,xai,zhipu,glm,reka,nvidia,nemotron,athene,dbrx,databricks")
        List<String> revealTerms();

        /** Significance level of the anomalous-voter test (Bonferroni over the checkpoints). */
        @WithName("anomaly-alpha")
        @WithDefault("0.01")
        double anomalyAlpha();

        /** Number of random checkpoints j at which the combined statistic is compared. */
        @WithName("anomaly-checkpoints")
        @WithDefault("5")
        int anomalyCheckpoints();

        /** Largest j considered. */
        @WithName("anomaly-max-votes")
        @WithDefault("100")
        int anomalyMaxVotes();

        /** Voters with fewer votes are not tested. */
        @WithName("anomaly-min-votes")
        @WithDefault("5")
        int anomalyMinVotes();

        /** Prompts more frequent than this percentile of prompt frequencies are capped at its count. */
        @WithName("dedup-percentile")
        @WithDefault("99.9")
        double dedupPercentile();

        /** How often the background hygiene pass runs; 0 disables it. */
        @WithName("interval")
        @WithDefault("PT10M")
        Duration interval();
    }
}

package dev.colosseum.ranking.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the log follower, the leaderboard filters and the sampling policies. */
@ConfigMapping(prefix = "colosseum.ranking")
public interface RankingConfig {
    /** Follow vote-service's log (off only for tests of the stateless endpoints). */
    @WithDefault("true")
    boolean follow();

    /** Items asked for per log page. */
    @WithDefault("2000")
    int pageSize();

    /** Pause between polls when the last page was not full. */
    @WithDefault("200")
    long idlePollMs();

    /** Pause after vote-service or the database failed. */
    @WithDefault("1000")
    long errorBackoffMs();

    /** How often the model registry is re-read from vote-service. */
    @WithDefault("10000")
    long registryRefreshMs();

    /** Models with this many votes or fewer in a category are hidden there unless asked. */
    @WithDefault("300")
    int minVotes();

    /** FastChat policy: new models are boosted until they have this many votes. */
    @WithDefault("3000")
    int newModelVoteTarget();

    /** FastChat policy: boost factor for new models. */
    @WithDefault("5")
    double newModelBoost();

    /** FastChat policy: the top-k models by rating get {@link #topKWeight()}. */
    @WithDefault("10")
    int topK();

    @WithDefault("3")
    double topKWeight();
}

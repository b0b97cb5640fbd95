package dev.colosseum.router.core;

import java.util.List;

/**
 * A trained router. Every router gives a continuous win probability of one model over another on a query;
 * the two-model score s(q) = P(strong beats weak | q) is {@link #score}.
 */
public interface Router {
    /** random, length, sw, mf, clf or best. */
    String kind();

    /** The models the router knows, strongest first by overall strength. */
    List<String> models();

    /** P(a beats b | q), ties counting half. */
    double winProbability(Query q, String a, String b);

    default double score(Query q, String strong, String weak) {
        return winProbability(q, strong, weak);
    }

    /** Whether scoring needs the query's embedding (the random and length routers do not). */
    default boolean needsEmbedding() {
        return true;
    }

    /** Serialised parameters (without the kind); see {@link RouterCodec}. */
    void write(java.io.DataOutputStream out) throws java.io.IOException;
}

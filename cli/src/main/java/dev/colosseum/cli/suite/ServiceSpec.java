package dev.colosseum.cli.suite;

import java.util.List;

/** One of the four Colosseum services as the launcher runs it. */
public record ServiceSpec(String name, String module, int defaultPort, boolean usesDatabase) {

    public static final ServiceSpec VOTE = new ServiceSpec("vote", "vote-service", 8081, true);
    public static final ServiceSpec RANKING = new ServiceSpec("ranking", "ranking-service", 8082, true);
    public static final ServiceSpec BATTLE = new ServiceSpec("battle", "battle-service", 8080, false);
    public static final ServiceSpec ROUTER = new ServiceSpec("router", "router-service", 8083, true);

    /** Start order: vote-service first (the others read the registry and the vote log from it). */
    public static final List<ServiceSpec> ALL = List.of(VOTE, RANKING, BATTLE, ROUTER);

    public static ServiceSpec byName(String name) {
        for (ServiceSpec s : ALL) {
            if (s.name.equals(name) || s.module.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown service '" + name + "' (one of vote, ranking, battle, router)");
    }
}

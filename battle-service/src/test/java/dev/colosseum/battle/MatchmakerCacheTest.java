package dev.colosseum.battle;

import dev.colosseum.battle.client.RankingClient;
import dev.colosseum.battle.client.SamplingWeights;
import dev.colosseum.battle.config.BattleConfig;
import dev.colosseum.battle.service.Matchmaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Matchmaking keeps ranking-service off the battle-start path: cached weights, background refresh, max age. */
class MatchmakerCacheTest {
    private final AtomicInteger calls = new AtomicInteger();
    private volatile boolean rankingUp = true;
    private volatile Duration refresh = Duration.ofSeconds(5);
    private volatile Duration maxAge = Duration.ofSeconds(60);

    // a proxy, not a class implementing the interface: the REST layer would take such a class for a resource
    private final RankingClient ranking = (RankingClient) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[]{RankingClient.class}, (proxy, method, args) -> {
                if (!method.getName().equals("sampling")) {
                    throw new UnsupportedOperationException(method.getName());
                }
                calls.incrementAndGet();
                if (!rankingUp) {
                    return Uni.createFrom().failure(new IllegalStateException("connection refused"));
                }
                return Uni.createFrom().item(new SamplingWeights((String) args[0], List.of("m1", "m2", "m3"),
                        List.of(new SamplingWeights.Pair("m1", "m3", 1.0)), Map.of()));
            });

    private final BattleConfig config = (BattleConfig) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[]{BattleConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                case "samplingPolicy" -> "active";
                case "samplingRefresh" -> refresh;
                case "samplingMaxAge" -> maxAge;
                default -> throw new UnsupportedOperationException(method.getName());
            });

    private static ModelSpec model(String id) {
        return new ModelSpec(id, id, "Org", "simulated", null, null, null, null, null, null, null, null, null, null,
                null, 1.0, null, null);
    }

    private static final List<ModelSpec> MODELS = List.of(model("m1"), model("m2"), model("m3"));

    private Set<String> draw(Matchmaker m, String expectedSource) {
        Matchmaker.Pairing p = m.draw(MODELS).await().atMost(Duration.ofSeconds(5));
        assertEquals(expectedSource, p.source());
        return Set.of(p.a().id(), p.b().id());
    }

    @Test
    void cachedWeightsServeStartsAndAreRefreshedInTheBackground() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Matchmaker m = new Matchmaker(ranking, config, meters);
        assertEquals(Set.of("m1", "m3"), draw(m, "ranking"));
        assertEquals(1, calls.get(), "first start asks ranking-service");
        for (int i = 0; i < 20; i++) {
            assertEquals(Set.of("m1", "m3"), draw(m, "ranking"));
        }
        assertEquals(1, calls.get(), "fresh cached weights: no call on the start path");

        // stale: the start is served from the cache and one refresh is sent; ranking-service being down
        // keeps the old weights (not the local policy) until they reach the maximum age
        refresh = Duration.ZERO;
        rankingUp = false;
        assertEquals(Set.of("m1", "m3"), draw(m, "ranking"));
        assertEquals(2, calls.get());
        assertEquals(0.0, meters.get("colosseum.matchmaking.ranking.reachable").gauge().value());

        // too old to use: the start asks ranking-service and, with it down, falls back to the local policy
        maxAge = Duration.ZERO;
        draw(m, "local");
        assertEquals(3, calls.get());
        assertEquals(1.0, meters.get("colosseum.matchmaking.draws").tag("source", "local_fallback").counter().count());

        rankingUp = true;
        assertEquals(Set.of("m1", "m3"), draw(m, "ranking"));
        assertEquals(1.0, meters.get("colosseum.matchmaking.ranking.reachable").gauge().value());
    }

    @Test
    void aChangedSetOfEligibleModelsIsNotServedFromTheCache() {
        Matchmaker m = new Matchmaker(ranking, config, new SimpleMeterRegistry());
        draw(m, "ranking");
        List<ModelSpec> fewer = List.of(model("m1"), model("m3"));
        m.draw(fewer).await().atMost(Duration.ofSeconds(5));
        assertEquals(2, calls.get(), "the cache is keyed by the eligible models");
    }

    @Test
    void anUnreachableRankingServiceDelaysAtMostOneStartPerRefreshPeriod() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Matchmaker m = new Matchmaker(ranking, config, meters);
        rankingUp = false;
        maxAge = Duration.ZERO;
        draw(m, "local");
        assertEquals(1, calls.get(), "the first start waits for ranking-service, which fails");
        for (int i = 0; i < 10; i++) {
            draw(m, "local");
        }
        assertEquals(1, calls.get(), "within the refresh period the next starts do not wait for it again");
        assertEquals(11.0, meters.get("colosseum.matchmaking.draws").tag("source", "local_fallback").counter().count());

        // once the refresh period is over, a start asks again and uses ranking-service's answer
        refresh = Duration.ZERO;
        rankingUp = true;
        draw(m, "ranking");
        assertEquals(2, calls.get());
    }
}

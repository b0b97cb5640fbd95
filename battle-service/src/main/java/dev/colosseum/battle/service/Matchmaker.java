package dev.colosseum.battle.service;

import dev.colosseum.battle.ModelSpec;
import dev.colosseum.battle.ProblemException;
import dev.colosseum.battle.client.RankingClient;
import dev.colosseum.battle.client.SamplingWeights;
import dev.colosseum.battle.config.BattleConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Draws the two models of an anonymous battle: a pair ∝ ranking-service's sampling weights, or, when
 * ranking-service cannot be reached, the local weighted policy (first ∝ sampling_weight, rival ∝
 * sampling_weight among the others). ranking-service's answer is cached and refreshed in the background, so a
 * battle start normally does not wait for it. Never a model against itself; outage, disabled and deprecated
 * models are never drawn; left/right is a coin flip.
 */
@ApplicationScoped
public class Matchmaker {
    private static final Logger LOG = Logger.getLogger(Matchmaker.class);

    /** The models of a battle as served: a on the left, b on the right; source is ranking or local. */
    public record Pairing(ModelSpec a, ModelSpec b, String source) {
    }

    private final RankingClient ranking;
    private final BattleConfig config;
    private final Random random = new SecureRandom();
    private final Counter fromRanking;
    private final Counter fallback;
    private final AtomicInteger rankingReachable = new AtomicInteger(1);
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile Cached cache;

    public Matchmaker(@RestClient RankingClient ranking, BattleConfig config, MeterRegistry meters) {
        this.ranking = ranking;
        this.config = config;
        this.fromRanking = Counter.builder("colosseum.matchmaking.draws").tag("source", "ranking")
                .description("battles paired from ranking-service sampling weights").register(meters);
        this.fallback = Counter.builder("colosseum.matchmaking.draws").tag("source", "local_fallback")
                .description("battles paired by the local weighted policy because ranking-service was unreachable")
                .register(meters);
        meters.gauge("colosseum.matchmaking.ranking.reachable", rankingReachable);
    }

    /** The last sampling answer for one set of eligible models. */
    private record Cached(String models, SamplingWeights weights, long fetchedNanos) {
    }

    /** The last failed wait for ranking-service, for one set of eligible models. */
    private record Failed(String models, long atNanos) {
    }

    private volatile Failed failed;

    /**
     * Draws a pair. ranking-service's weights are cached (stale-while-revalidate): a battle start uses the cached
     * answer at once and, when it is older than {@code sampling-refresh}, asks for a fresh one in the background;
     * only with no cached answer for the current set of eligible models (or one older than {@code sampling-max-age})
     * does the start wait for ranking-service, and after such a wait failed, the starts of the next
     * {@code sampling-refresh} period use the local policy without waiting.
     */
    public Uni<Pairing> draw(List<ModelSpec> registry) {
        List<ModelSpec> eligible = registry.stream().filter(ModelSpec::isServing).filter(m -> m.weight() > 0).toList();
        if (eligible.size() < 2) {
            return Uni.createFrom().failure(new ProblemException(503, "Not enough models",
                    "an anonymous battle needs at least two enabled models that are not in outage"));
        }
        String ids = eligible.stream().map(ModelSpec::id).collect(Collectors.joining(","));
        Cached c = cache;
        long now = System.nanoTime();
        if (c != null && c.models().equals(ids) && now - c.fetchedNanos() < config.samplingMaxAge().toNanos()) {
            if (now - c.fetchedNanos() >= config.samplingRefresh().toNanos()) {
                refreshInBackground(ids);
            }
            return Uni.createFrom().item(pair(c.weights(), eligible));
        }
        // ranking-service just failed to answer for these models: don't make every start wait for it again;
        // use the local policy at once and ask again in the background once per sampling-refresh period
        Failed f = failed;
        if (f != null && f.models().equals(ids) && now - f.atNanos() < config.samplingRefresh().toNanos()) {
            return Uni.createFrom().item(pair(null, eligible));
        }
        return fetch(ids).map(w -> pair(w, eligible)).onFailure().recoverWithItem(err -> {
            LOG.debugf("ranking-service sampling unavailable (%s): local weighted policy", err.getMessage());
            failed = new Failed(ids, System.nanoTime());
            return pair(null, eligible);
        });
    }

    private Uni<SamplingWeights> fetch(String ids) {
        return ranking.sampling(config.samplingPolicy(), ids)
                .ifNoItem().after(Duration.ofMillis(1500)).fail()
                .invoke(w -> {
                    cache = new Cached(ids, w, System.nanoTime());
                    failed = null;
                    rankingReachable.set(1);
                })
                .onFailure().invoke(err -> rankingReachable.set(0));
    }

    private void refreshInBackground(String ids) {
        if (!refreshing.compareAndSet(false, true)) {
            return;
        }
        fetch(ids).onTermination().invoke(() -> refreshing.set(false)).subscribe().with(
                w -> { },
                err -> LOG.debugf("ranking-service sampling refresh failed (%s): keeping the cached weights",
                        err.getMessage()));
    }

    /** A pair from the weights, or from the local policy when there are none or none is usable. */
    private Pairing pair(SamplingWeights w, List<ModelSpec> eligible) {
        if (w != null) {
            try {
                Pairing p = fromWeights(w, eligible);
                fromRanking.increment();
                return p;
            } catch (IllegalStateException unusable) {
                LOG.debugf("ranking-service sampling answer unusable (%s): local weighted policy", unusable.getMessage());
            }
        }
        fallback.increment();
        return local(eligible);
    }

    Pairing fromWeights(SamplingWeights w, List<ModelSpec> eligible) {
        if (w == null || w.pairs() == null) {
            throw new IllegalStateException("no pairs in sampling answer");
        }
        Map<String, ModelSpec> byId = eligible.stream().collect(Collectors.toMap(ModelSpec::id, Function.identity()));
        List<SamplingWeights.Pair> usable = new ArrayList<>();
        double total = 0;
        for (SamplingWeights.Pair p : w.pairs()) {
            if (p.modelA() == null || p.modelA().equals(p.modelB()) || !byId.containsKey(p.modelA())
                    || !byId.containsKey(p.modelB()) || !(p.weight() > 0) || Double.isInfinite(p.weight())) {
                continue;
            }
            usable.add(p);
            total += p.weight();
        }
        if (usable.isEmpty()) {
            throw new IllegalStateException("no usable pair in sampling answer");
        }
        double u = random.nextDouble() * total;
        SamplingWeights.Pair chosen = usable.get(usable.size() - 1);
        for (SamplingWeights.Pair p : usable) {
            u -= p.weight();
            if (u < 0) {
                chosen = p;
                break;
            }
        }
        return orient(byId.get(chosen.modelA()), byId.get(chosen.modelB()), "ranking");
    }

    Pairing local(List<ModelSpec> eligible) {
        ModelSpec first = pick(eligible, null);
        ModelSpec second = pick(eligible, first);
        return orient(first, second, "local");
    }

    private ModelSpec pick(List<ModelSpec> from, ModelSpec exclude) {
        double total = 0;
        for (ModelSpec m : from) {
            if (m != exclude) {
                total += m.weight();
            }
        }
        double u = random.nextDouble() * total;
        ModelSpec last = null;
        for (ModelSpec m : from) {
            if (m == exclude) {
                continue;
            }
            last = m;
            u -= m.weight();
            if (u < 0) {
                return m;
            }
        }
        return last;
    }

    private Pairing orient(ModelSpec x, ModelSpec y, String source) {
        return random.nextBoolean() ? new Pairing(x, y, source) : new Pairing(y, x, source);
    }
}

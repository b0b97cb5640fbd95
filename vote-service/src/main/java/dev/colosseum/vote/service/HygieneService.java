package dev.colosseum.vote.service;

import dev.colosseum.vote.HygieneReport;
import dev.colosseum.vote.config.VoteConfig;
import dev.colosseum.vote.repository.VoteRepository;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Decisions taken over the whole vote set after votes are stored: prompt de-duplication and the
 * anomalous-voter test (METHODS.md "Vote hygiene"). Each new exclusion updates the vote, records the
 * evidence in {@code vote.exclusions} and appends an "exclusion" item to the vote log, in one statement.
 */
@ApplicationScoped
public class HygieneService {
    private static final Logger LOG = Logger.getLogger(HygieneService.class);
    public static final String ANOMALOUS = "anomalous_voter";
    public static final String DUPLICATE = "prompt_duplicate";

    private static final String EXCLUDE = """
            WITH u AS (UPDATE vote.votes SET excluded = true, exclusion_reasons = $2 WHERE id = $1 RETURNING id, exclusion_reasons),
            e AS (INSERT INTO vote.exclusions (vote_id, rule, detail) SELECT id, $3, $4 FROM u ON CONFLICT DO NOTHING)
            INSERT INTO vote.vote_log (kind, vote_id, excluded, reasons) SELECT 'exclusion', id, true, exclusion_reasons FROM u""";

    private record V(long id, String voter, String a, String b, double s, String prompt, List<String> reasons) {
    }

    private record Decision(long id, String rule, String detail) {
    }

    private final VoteRepository repository;
    private final VoteConfig config;
    private final ReentrantLock lock = new ReentrantLock();
    private ScheduledExecutorService scheduler;

    public HygieneService(VoteRepository repository, VoteConfig config) {
        this.repository = repository;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        long ms = config.hygiene().interval().toMillis();
        if (ms <= 0) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vote-hygiene");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                HygieneReport r = run().await().indefinitely();
                LOG.infof("hygiene pass: %s", r);
            } catch (RuntimeException e) {
                LOG.warnf("hygiene pass failed: %s", e.toString());
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /** One full pass; concurrent calls wait for each other. */
    public Uni<HygieneReport> run() {
        return Uni.createFrom().item(() -> {
            lock.lock();
            try {
                return pass();
            } finally {
                lock.unlock();
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private HygieneReport pass() {
        List<V> votes = repository.pool().query("SELECT id, voter_id, model_a, model_b, winner, prompt_hash, "
                + "exclusion_reasons FROM vote.votes ORDER BY id").execute().map(rows -> {
                    List<V> out = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                        String w = r.getString("winner");
                        double s = "model_a".equals(w) ? 1.0 : "model_b".equals(w) ? 0.0 : 0.5;
                        out.add(new V(r.getLong("id"), r.getString("voter_id"), r.getString("model_a"),
                                r.getString("model_b"), s, r.getString("prompt_hash"),
                                repository.strings(r.getString("exclusion_reasons"))));
                    }
                    return out;
                }).await().indefinitely();
        List<Decision> decisions = new ArrayList<>();
        long[] dedup = deduplicate(votes, decisions);
        long[] anomalies = anomalous(votes, decisions);
        Map<Long, V> byId = new HashMap<>();
        votes.forEach(v -> byId.put(v.id(), v));
        List<Tuple> updates = new ArrayList<>();
        Map<Long, List<String>> reasons = new HashMap<>();
        for (Decision d : decisions) {
            List<String> current = reasons.computeIfAbsent(d.id(), id -> new ArrayList<>(byId.get(id).reasons()));
            if (current.contains(d.rule())) {
                continue;
            }
            current.add(d.rule());
            updates.add(Tuple.of(d.id(), toJson(current), d.rule(), d.detail()));
        }
        for (int i = 0; i < updates.size(); i += 500) {
            List<Tuple> chunk = updates.subList(i, Math.min(updates.size(), i + 500));
            repository.pool().withTransaction(c -> c.preparedQuery(EXCLUDE).executeBatch(chunk)).await().indefinitely();
        }
        long anomalousVotes = decisions.stream().filter(d -> d.rule().equals(ANOMALOUS)).count();
        return new HygieneReport(votes.size(), anomalies[0], anomalies[1], anomalousVotes, dedup[0], dedup[1],
                decisions.size() - anomalousVotes);
    }

    /** Caps each prompt at the configured percentile of prompt frequencies; returns {distinct prompts, cap}. */
    private long[] deduplicate(List<V> votes, List<Decision> out) {
        Map<String, List<V>> byPrompt = new LinkedHashMap<>();
        for (V v : votes) {
            if (v.prompt() != null) {
                byPrompt.computeIfAbsent(v.prompt(), k -> new ArrayList<>()).add(v);
            }
        }
        if (byPrompt.isEmpty()) {
            return new long[] {0, 0};
        }
        int[] counts = byPrompt.values().stream().mapToInt(List::size).sorted().toArray();
        // nearest-rank percentile
        int rank = (int) Math.ceil(config.hygiene().dedupPercentile() / 100.0 * counts.length);
        int cap = Math.max(1, counts[Math.min(counts.length, Math.max(1, rank)) - 1]);
        for (Map.Entry<String, List<V>> e : byPrompt.entrySet()) {
            List<V> list = e.getValue();
            for (int k = cap; k < list.size(); k++) {
                out.add(new Decision(list.get(k).id(), DUPLICATE, String.format(Locale.ROOT,
                        "prompt %s… occurs %d times; prompts are capped at %d (the %.1fth percentile of prompt "
                                + "frequencies over %d prompts); this is occurrence %d", e.getKey().substring(0, 12),
                        list.size(), cap, config.hygiene().dedupPercentile(), counts.length, k + 1)));
            }
        }
        return new long[] {counts.length, cap};
    }

    /**
     * The paper's test: for a voter's i-th vote on pair a, p_i = (1 + #{historical votes h on a with h ≥ vote})
     * / (n_a + 1), the vote's outcome taken as the score of its left model; M_j = −2 Σ_{i≤j} ln p_i is
     * compared with χ²_{2j, 1−α/K} at K random checkpoints j ≤ 100. Historical votes are everyone else's.
     * Returns {voters tested, voters flagged}.
     */
    private long[] anomalous(List<V> votes, List<Decision> out) {
        // counts[x|y] = {#score 0, #score 0.5, #score 1} of model x against y
        Map<String, long[]> all = new HashMap<>();
        Map<String, List<V>> byVoter = new LinkedHashMap<>();
        for (V v : votes) {
            add(all, v, 1);
            if (v.voter() != null) {
                byVoter.computeIfAbsent(v.voter(), k -> new ArrayList<>()).add(v);
            }
        }
        double alpha = config.hygiene().anomalyAlpha();
        int k = Math.max(1, config.hygiene().anomalyCheckpoints());
        long tested = 0;
        long flagged = 0;
        for (Map.Entry<String, List<V>> e : byVoter.entrySet()) {
            List<V> mine = e.getValue();
            if (mine.size() < config.hygiene().anomalyMinVotes()) {
                continue;
            }
            tested++;
            Map<String, long[]> own = new HashMap<>();
            mine.forEach(v -> add(own, v, 1));
            int n = Math.min(mine.size(), config.hygiene().anomalyMaxVotes());
            double[] cumulative = new double[n + 1];
            for (int i = 0; i < n; i++) {
                V v = mine.get(i);
                String key = v.a() + '\u0000' + v.b();
                long[] h = all.getOrDefault(key, new long[3]).clone();
                long[] o = own.getOrDefault(key, new long[3]);
                for (int c = 0; c < 3; c++) {
                    h[c] -= o[c];
                }
                long na = h[0] + h[1] + h[2];
                int bucket = bucket(v.s());
                long atLeast = 0;
                for (int c = bucket; c < 3; c++) {
                    atLeast += h[c];
                }
                double p = (1.0 + atLeast) / (na + 1.0);
                cumulative[i + 1] = cumulative[i] - 2 * Math.log(p);
            }
            Random random = new Random(e.getKey().hashCode());
            TreeSet<Integer> checkpoints = new TreeSet<>();
            while (checkpoints.size() < Math.min(k, n)) {
                checkpoints.add(1 + random.nextInt(n));
            }
            String evidence = null;
            for (int j : checkpoints) {
                double threshold = new ChiSquaredDistribution(null, 2.0 * j).inverseCumulativeProbability(1 - alpha / k);
                if (cumulative[j] >= threshold) {
                    evidence = String.format(Locale.ROOT, "voter %s: M_%d = %.2f ≥ χ²(%d df, 1−%.4g/%d) = %.2f at checkpoint "
                            + "j=%d of %s (Fisher combination of per-vote p-values against other voters' votes on the same pair)",
                            e.getKey(), j, cumulative[j], 2 * j, alpha, k, threshold, j, checkpoints);
                    break;
                }
            }
            if (evidence != null) {
                flagged++;
                for (V v : mine) {
                    out.add(new Decision(v.id(), ANOMALOUS, evidence));
                }
            }
        }
        return new long[] {tested, flagged};
    }

    private static int bucket(double s) {
        return s == 0.0 ? 0 : s == 1.0 ? 2 : 1;
    }

    private static void add(Map<String, long[]> counts, V v, int delta) {
        counts.computeIfAbsent(v.a() + '\u0000' + v.b(), x -> new long[3])[bucket(v.s())] += delta;
        counts.computeIfAbsent(v.b() + '\u0000' + v.a(), x -> new long[3])[bucket(1 - v.s())] += delta;
    }

    private static String toJson(List<String> list) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < list.size(); i++) {
            sb.append(i == 0 ? "" : ",").append('"').append(list.get(i)).append('"');
        }
        return sb.append(']').toString();
    }
}

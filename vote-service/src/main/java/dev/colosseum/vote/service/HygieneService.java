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
 * anomalous-voter test (METHODS.md "Vote hygiene"). Each pass recomputes both rules over all votes and
 * compares with the rules in force: a rule newly met is applied, a rule no longer met is lifted. Each change
 * updates the vote, appends the decision with its evidence to {@code vote.exclusions} (a history) and appends
 * an "exclusion" item with the vote's new excluded flag and remaining reasons to the vote log, in one statement.
 */
@ApplicationScoped
public class HygieneService {
    private static final Logger LOG = Logger.getLogger(HygieneService.class);
    public static final String ANOMALOUS = "anomalous_voter";
    public static final String DUPLICATE = "prompt_duplicate";

    /** Sets a vote's reasons, appends the decisions ($4..$6) to its history and an "exclusion" item to the log. */
    private static final String DECIDE = """
            WITH u AS (UPDATE vote.votes SET excluded = $2, exclusion_reasons = $3 WHERE id = $1
                       RETURNING id, excluded, exclusion_reasons),
            e AS (INSERT INTO vote.exclusions (vote_id, rule, action, detail)
                  SELECT u.id, x.rule, x.action, x.detail FROM u, unnest($4::text[], $5::text[], $6::text[]) AS x(rule, action, detail))
            INSERT INTO vote.vote_log (kind, vote_id, excluded, reasons) SELECT 'exclusion', id, excluded, exclusion_reasons FROM u""";

    /** Rules this pass decides; other reasons (identity reveal, named mode) are fixed when a vote is stored. */
    private static final List<String> PASS_RULES = List.of(ANOMALOUS, DUPLICATE);

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
        Map<Long, Map<String, String>> decided = new HashMap<>();
        for (Decision d : decisions) {
            decided.computeIfAbsent(d.id(), id -> new LinkedHashMap<>()).putIfAbsent(d.rule(), d.detail());
        }
        // compare with what is in force: apply new rules, lift the ones this pass no longer supports
        List<Tuple> updates = new ArrayList<>();
        long lifted = 0;
        for (V v : votes) {
            Map<String, String> want = decided.getOrDefault(v.id(), Map.of());
            List<String> reasons = new ArrayList<>(v.reasons());
            List<String> rules = new ArrayList<>();
            List<String> actions = new ArrayList<>();
            List<String> details = new ArrayList<>();
            for (String rule : PASS_RULES) {
                boolean now = want.containsKey(rule);
                boolean before = reasons.contains(rule);
                if (now && !before) {
                    reasons.add(rule);
                    rules.add(rule);
                    actions.add("exclude");
                    details.add(want.get(rule));
                } else if (!now && before) {
                    reasons.remove(rule);
                    rules.add(rule);
                    actions.add("lift");
                    details.add(liftDetail(rule, v, dedup));
                    lifted++;
                }
            }
            if (!rules.isEmpty()) {
                updates.add(Tuple.from(List.of(v.id(), !reasons.isEmpty(), toJson(reasons), rules.toArray(new String[0]),
                        actions.toArray(new String[0]), details.toArray(new String[0]))));
            }
        }
        for (int i = 0; i < updates.size(); i += 500) {
            List<Tuple> chunk = updates.subList(i, Math.min(updates.size(), i + 500));
            repository.pool().withTransaction(c -> c.preparedQuery(DECIDE).executeBatch(chunk)).await().indefinitely();
        }
        long anomalousVotes = decisions.stream().filter(d -> d.rule().equals(ANOMALOUS)).count();
        return new HygieneReport(votes.size(), anomalies[0], anomalies[1], anomalousVotes, dedup[0], dedup[1],
                decisions.size() - anomalousVotes, lifted);
    }

    private String liftDetail(String rule, V v, long[] dedup) {
        if (ANOMALOUS.equals(rule)) {
            return String.format(Locale.ROOT, "voter %s is no longer flagged: with the votes now stored, M_j stays below "
                    + "the χ² threshold at every checkpoint (α = %.4g)", v.voter(), config.hygiene().anomalyAlpha());
        }
        return String.format(Locale.ROOT, "prompt %s… is within the cap now: prompts are capped at %d (the %.1fth "
                + "percentile of prompt frequencies over %d prompts)", v.prompt() == null ? "?" : v.prompt().substring(0,
                Math.min(12, v.prompt().length())), dedup[1], config.hygiene().dedupPercentile(), dedup[0]);
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
     * / (n_a + 1), compared in the direction of disagreement: the outcome is scored for the pair's underdog (the
     * model other voters prefer less, on whichever side it was shown), so siding with the majority gives p = 1 and
     * siding with the underdog gives a small p. M_j = −2 Σ_{i≤j} ln p_i is compared with χ²_{2j, 1−α/K} at K random
     * checkpoints j ≤ 100. Historical votes are everyone else's. Returns {voters tested, voters flagged}.
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
                long[] h = others(all, own, v.a(), v.b());
                // orient the pair towards its underdog: the left model's score if others prefer the right one
                double leftMean = mean(h);
                boolean leftIsUnderdog = leftMean < 0.5 || (leftMean == 0.5 && v.a().compareTo(v.b()) > 0);
                long[] u = leftIsUnderdog ? h : others(all, own, v.b(), v.a());
                double underdogScore = leftIsUnderdog ? v.s() : 1 - v.s();
                long na = u[0] + u[1] + u[2];
                long atLeast = 0;
                for (int c = bucket(underdogScore); c < 3; c++) {
                    atLeast += u[c];
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
                            + "j=%d of %s (Fisher combination of per-vote p-values against other voters' votes on the same "
                            + "pair, each vote scored for the pair's underdog)",
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

    /** Other voters' outcome counts of x against y (all votes minus the voter's own). */
    private static long[] others(Map<String, long[]> all, Map<String, long[]> own, String x, String y) {
        String key = x + '\u0000' + y;
        long[] h = all.getOrDefault(key, new long[3]).clone();
        long[] o = own.getOrDefault(key, new long[3]);
        for (int c = 0; c < 3; c++) {
            h[c] -= o[c];
        }
        return h;
    }

    /** Mean score of x in counts {#0, #0.5, #1}; 0.5 without votes. */
    private static double mean(long[] h) {
        long n = h[0] + h[1] + h[2];
        return n == 0 ? 0.5 : (0.5 * h[1] + h[2]) / n;
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

package dev.colosseum.router.service;

import dev.colosseum.router.JobView;
import dev.colosseum.router.ModelVersionView;
import dev.colosseum.router.client.VoteClient;
import dev.colosseum.router.config.RouterServiceConfig;
import dev.colosseum.router.core.Comparison;
import dev.colosseum.router.core.Router;
import dev.colosseum.router.core.RouterCodec;
import dev.colosseum.router.core.RouterTrainer;
import dev.colosseum.router.core.TrainingFiles;
import dev.colosseum.router.core.TrainingSet;
import dev.colosseum.router.repository.RouterModelEntity;
import dev.colosseum.router.repository.RouterModelRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Training jobs (one at a time on a dedicated thread, progress kept in memory), persistence of each trained
 * version in schema {@code router}, loading the active versions at start-up, and scheduled retraining when
 * vote-service's log has moved past the cursor the active model was trained on.
 */
@ApplicationScoped
public class TrainingService {
    private final RouterModelRepository repo;
    private final RouterEngine engine;
    private final VoteClient votes;
    private final RouterServiceConfig config;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "router-train");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, JobView> jobs = new LinkedHashMap<>();
    private final Map<String, String> trainedCursor = new java.util.concurrent.ConcurrentHashMap<>();

    public TrainingService(RouterModelRepository repo, RouterEngine engine, VoteClient votes, RouterServiceConfig config) {
        this.repo = repo;
        this.engine = engine;
        this.votes = votes;
        this.config = config;
    }

    void onStart(@Observes StartupEvent ev) {
        worker.submit(() -> {
            try {
                List<RouterModelEntity> active = VertxContextSupport.subscribeAndAwait(
                        () -> Panache.withSession(() -> repo.activeModels()));
                for (RouterModelEntity e : active) {
                    engine.activate(e.kind, RouterCodec.fromBytes(e.blob), e.version);
                    if (e.voteCursor != null) {
                        trainedCursor.put(e.kind, e.voteCursor);
                    }
                }
            } catch (Throwable t) {
                Log.warnf("could not load stored router models: %s", t.getMessage());
            }
        });
    }

    public synchronized Optional<JobView> job(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    public synchronized List<JobView> jobs() {
        return List.copyOf(jobs.values());
    }

    private synchronized void update(JobView j) {
        jobs.put(j.jobId(), j);
    }

    /** Starts a training job; returns its id immediately. */
    public JobView submit(String kind, String source, String path) {
        String id = UUID.randomUUID().toString();
        JobView j = new JobView(id, kind, source + (path == null ? "" : ":" + path), "queued", 0, "queued", null, null,
                Instant.now(), null);
        update(j);
        worker.submit(() -> run(j, kind, source, path));
        return j;
    }

    private void run(JobView j0, String kind, String source, String path) {
        long t0 = System.nanoTime();
        JobView[] j = {new JobView(j0.jobId(), kind, j0.source(), "running", 0.01, "loading comparisons", null, null,
                j0.startedAt(), null)};
        update(j[0]);
        try {
            List<Comparison> comparisons;
            String cursor = null;
            if ("votes".equals(source)) {
                VoteClient.Fetch f = votes.fetchAll(pct -> update(withProgress(j[0], 0.3 * pct / 100, "reading votes")));
                comparisons = f.comparisons();
                cursor = f.cursor();
            } else {
                comparisons = TrainingFiles.load(path, engine.strong(), engine.weak());
            }
            if (comparisons.isEmpty()) {
                throw new IllegalArgumentException("no usable comparisons (votes need a prompt and two different models)");
            }
            update(j[0] = withProgress(j[0], 0.3, "embedding " + comparisons.size() + " prompts"));
            int total = comparisons.size();
            TrainingSet ts = TrainingSet.build(comparisons, engine.embedder(),
                    d -> { if (d % 200 == 0) update(withProgress(j[0], 0.3 + 0.4 * d / total, "embedding")); });
            update(j[0] = withProgress(j[0], 0.7, "training " + kind));
            Router r = RouterTrainer.train(kind, ts, p -> update(withProgress(j[0], 0.7 + 0.25 * p, "training " + kind)));
            double secs = (System.nanoTime() - t0) / 1e9;
            RouterModelEntity e = new RouterModelEntity();
            e.kind = kind;
            e.source = j0.source();
            e.comparisons = ts.size();
            e.models = String.join("\n", r.models());
            e.voteCursor = cursor;
            e.trainedAt = Instant.now();
            e.trainSeconds = secs;
            e.blob = RouterCodec.toBytes(r);
            RouterModelEntity saved = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> repo.storeActive(e)));
            engine.activate(kind, r, saved.version);
            if (cursor != null) {
                trainedCursor.put(kind, cursor);
            }
            update(new JobView(j0.jobId(), kind, j0.source(), "succeeded", 1.0,
                    String.format(java.util.Locale.ROOT, "trained on %d comparisons over %d models in %.1f s", ts.size(),
                            r.models().size(), secs), ts.size(), saved.version, j0.startedAt(), Instant.now()));
        } catch (Throwable t) {
            Log.warnf(t, "training job %s failed", j0.jobId());
            update(new JobView(j0.jobId(), kind, j0.source(), "failed", j[0].progress(), String.valueOf(t.getMessage()),
                    null, null, j0.startedAt(), Instant.now()));
        }
    }

    private static JobView withProgress(JobView j, double p, String msg) {
        return new JobView(j.jobId(), j.router(), j.source(), "running", Math.min(0.99, p), msg, j.comparisons(), j.version(),
                j.startedAt(), null);
    }

    /** Retrains the configured routers on the vote log when it moved past their training cursor. */
    @Scheduled(every = "${colosseum.router.retrain-every:10m}", delayed = "${colosseum.router.retrain-delay:1m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledRetrain() {
        String latest;
        try {
            latest = votes.latestCursor(null);
        } catch (Exception e) {
            Log.debugf("vote-service not reachable for scheduled retraining: %s", e.getMessage());
            return;
        }
        if (latest == null) {
            return;
        }
        for (String kind : config.scheduledRouters()) {
            if (!latest.equals(trainedCursor.get(kind)) && jobs().stream().noneMatch(
                    x -> x.router().equals(kind) && (x.state().equals("queued") || x.state().equals("running")))) {
                Log.infof("new votes since %s was trained: retraining", kind);
                trainedCursor.put(kind, latest);
                submit(kind, "votes", null);
            }
        }
    }

    public Uni<List<ModelVersionView>> versions() {
        return Panache.withSession(() -> repo.allVersions()).map(list -> list.stream()
                .map(e -> new ModelVersionView(e.kind, e.version, e.active, e.source, e.comparisons,
                        Arrays.asList(e.models.split("\n")), e.trainedAt, e.trainSeconds, e.blob.length))
                .toList());
    }

    public static boolean knownKind(String k) {
        return RouterTrainer.KINDS.contains(k) && !k.equals("random") && !k.equals("length");
    }
}

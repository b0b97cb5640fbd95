package dev.colosseum.cli.suite;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ./colosseum up}: PostgreSQL, the four services, first-run seeding and a first router. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start embedded PostgreSQL and the four services in the background, seed the store "
                + "on the first run, train a first router, and print the URLs.")
public final class UpCommand implements Callable<Integer> {

    @Option(names = "--no-seed", description = "Do not import votes or simulate history on the first run.")
    boolean noSeed;

    @Option(names = "--no-train", description = "Do not ask router-service to train a router (it trains only when none is trained yet).")
    boolean noTrain;

    @Option(names = "--timeout", defaultValue = "180", description = "Seconds to wait for each service (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() {
        SuiteConfig cfg = SuiteConfig.fromEnvironment(root());
        Suite suite = new Suite(cfg, UpCommand::say);
        try {
            Files.createDirectories(cfg.home());
            suite.startDatabaseDetached(launcherJar());
            suite.startServices(Duration.ofSeconds(timeoutSeconds));
        } catch (Exception e) {
            say("start-up failed: " + e.getMessage());
            say("what did start is still running; './colosseum down' stops it, logs are in " + cfg.logsDir());
            return 1;
        }
        Seeder seeder = new Seeder(cfg, UpCommand::say);
        List<Seeder.StepResult> steps = new java.util.ArrayList<>();
        if (!noSeed) {
            steps.addAll(seeder.seedOnce());
        }
        if (!noTrain) {
            steps.add(seeder.trainRouterUnlessTrained(Duration.ofMinutes(5)));
        }
        printSummary(cfg, steps);
        return 0;
    }

    static void printSummary(SuiteConfig cfg, List<Seeder.StepResult> steps) {
        StringBuilder b = new StringBuilder();
        b.append("\nColosseum is running.\n\n");
        b.append("  Arena UI (battle, vote, leaderboard)  ").append(cfg.baseUrl(ServiceSpec.BATTLE)).append("/\n");
        b.append("  OpenAI-compatible router endpoint     ").append(cfg.baseUrl(ServiceSpec.ROUTER)).append("/v1  (POST /v1/chat/completions; model ids: GET /v1/models)\n");
        b.append("  Leaderboard API                       ").append(cfg.baseUrl(ServiceSpec.RANKING)).append("/api/v1/leaderboard\n");
        b.append("  Swagger UIs:\n");
        for (ServiceSpec s : ServiceSpec.ALL) {
            b.append(String.format("    %-16s %s/q/swagger-ui   (metrics: /q/metrics, health: /q/health)%n",
                    s.module(), cfg.baseUrl(s)));
        }
        b.append("  Admin key (header X-Admin-Key)        ")
                .append(SuiteConfig.DEFAULT_ADMIN_KEY.equals(cfg.adminKey()) ? cfg.adminKey() + "  (demo default; set COLOSSEUM_ADMIN_KEY)" : "(from COLOSSEUM_ADMIN_KEY)")
                .append('\n');
        b.append("  Data, logs, pid files                 ").append(cfg.home()).append('\n');
        if (!steps.isEmpty()) {
            b.append("\n  First-run steps:\n");
            for (Seeder.StepResult s : steps) {
                b.append("    ").append(s.ok() ? "ok    " : "NOT OK").append("  ").append(s.step()).append(": ").append(s.detail()).append('\n');
            }
        }
        b.append("\n  The models served are SIMULATED (provider \"simulated\" in ")
                .append(cfg.root().relativize(cfg.modelsFile())).append(").\n");
        b.append("  Real providers: export OPENAI_API_KEY / ANTHROPIC_API_KEY / GEMINI_API_KEY (or any key named by a\n");
        b.append("  model's \"api_key_env\"), add entries with provider, base_url and upstream_model to the models file\n");
        b.append("  (or point COLOSSEUM_MODELS_FILE at your own), then './colosseum down && ./colosseum up'.\n");
        b.append("\n  './colosseum status' shows health, './colosseum logs SERVICE' the logs, './colosseum down' stops all.\n");
        System.out.print(b);
    }

    static Path root() {
        String r = System.getenv("COLOSSEUM_ROOT");
        return Path.of(r != null && !r.isBlank() ? r : System.getProperty("user.dir")).toAbsolutePath();
    }

    static Path launcherJar() {
        try {
            return Path.of(UpCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the launcher jar", e);
        }
    }

    static void say(String line) {
        System.err.println("[colosseum] " + line);
    }
}

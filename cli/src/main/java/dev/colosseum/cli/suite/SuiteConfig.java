package dev.colosseum.cli.suite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the suite lives and which ports it uses. {@link #fromEnvironment(Path)} gives the values of
 * {@code ./colosseum up}; tests build their own with free ports and a temporary home.
 *
 * @param root        the repository root (service jars are found under {@code <module>/target/quarkus-app})
 * @param home        state directory: PostgreSQL data, logs, pid files (default {@code .colosseum/})
 * @param ports       HTTP port per service name (vote, ranking, battle, router)
 * @param pgPort      port of the embedded PostgreSQL server
 * @param adminKey    the admin key handed to every service
 * @param modelsFile  the model registry file (may not exist: then the services use their defaults)
 * @param sharedDir   the shared data directory holding {@code data/arena/*.jsonl} (may not exist)
 * @param serviceJavaOptions JVM options for every service process when set ({@code COLOSSEUM_SERVICE_JAVA_OPTS});
 *                    empty: each service's default ({@link #javaOptions})
 * @param extraEnv    extra environment for every service (e.g. provider keys in tests)
 */
public record SuiteConfig(Path root, Path home, Map<String, Integer> ports, int pgPort, String adminKey,
                          Path modelsFile, Path sharedDir, List<String> serviceJavaOptions,
                          Map<String, String> extraEnv) {

    public static final String DEFAULT_ADMIN_KEY = "colosseum-dev-admin";
    public static final String DATABASE = "colosseum";

    public static SuiteConfig fromEnvironment(Path root) {
        Map<String, String> env = System.getenv();
        Path home = Path.of(env.getOrDefault("COLOSSEUM_HOME", root.resolve(".colosseum").toString())).toAbsolutePath();
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (ServiceSpec s : ServiceSpec.ALL) {
            String key = "COLOSSEUM_" + s.name().toUpperCase() + "_PORT";
            ports.put(s.name(), Integer.parseInt(env.getOrDefault(key, String.valueOf(s.defaultPort()))));
        }
        int pgPort = Integer.parseInt(env.getOrDefault("COLOSSEUM_PG_PORT", "15432"));
        String adminKey = env.getOrDefault("COLOSSEUM_ADMIN_KEY", DEFAULT_ADMIN_KEY);
        Path models = Path.of(env.getOrDefault("COLOSSEUM_MODELS_FILE", root.resolve("config/models.json").toString()))
                .toAbsolutePath();
        Path shared = Path.of(env.getOrDefault("COLOSSEUM_SHARED_DIR", root.resolve("../shared").toString()))
                .toAbsolutePath().normalize();
        String override = env.getOrDefault("COLOSSEUM_SERVICE_JAVA_OPTS", "").trim();
        List<String> opts = override.isEmpty() ? List.of() : List.of(override.split("\\s+"));
        return new SuiteConfig(root.toAbsolutePath(), home, ports, pgPort, adminKey, models, shared, opts, Map.of());
    }

    /**
     * The JVM options a service runs with: the override if one is set, else a small serial-GC heap, except for
     * battle-service, which streams tokens and runs ZGC so that collections do not pause its streams (the streaming
     * benchmark measured G1 and the serial collector adding 20-30 ms at p99 to first tokens at 200 battles, ZGC 10).
     */
    public List<String> javaOptions(ServiceSpec s) {
        if (!serviceJavaOptions.isEmpty()) {
            return serviceJavaOptions;
        }
        return s.equals(ServiceSpec.BATTLE) ? List.of("-Xmx768m", "-XX:+UseZGC") : List.of("-Xmx768m", "-XX:+UseSerialGC");
    }

    public int port(ServiceSpec s) {
        return ports.get(s.name());
    }

    public String baseUrl(ServiceSpec s) {
        return "http://localhost:" + port(s);
    }

    public Path jar(ServiceSpec s) {
        return root.resolve(s.module()).resolve("target/quarkus-app/quarkus-run.jar");
    }

    public Path logsDir() {
        return home.resolve("logs");
    }

    public Path runDir() {
        return home.resolve("run");
    }

    public Path pgDataDir() {
        return home.resolve("pgdata");
    }

    public Path arenaDataDir() {
        return sharedDir.resolve("data/arena");
    }

    public boolean hasArenaData() {
        return Files.isDirectory(arenaDataDir());
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + pgPort + "/" + DATABASE;
    }

    public String reactiveUrl() {
        return "postgresql://localhost:" + pgPort + "/" + DATABASE;
    }

    /** The environment a service process gets (on top of the launcher's own environment). */
    public Map<String, String> serviceEnv(ServiceSpec s) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PORT", String.valueOf(port(s)));
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port(s)));
        env.put("DB_URL", reactiveUrl());
        env.put("DB_JDBC_URL", jdbcUrl());
        env.put("DB_USER", "postgres");
        env.put("DB_PASSWORD", "postgres");
        env.put("COLOSSEUM_ADMIN_KEY", adminKey);
        if (Files.exists(modelsFile)) {
            env.put("COLOSSEUM_MODELS_FILE", modelsFile.toString());
        }
        env.put("COLOSSEUM_BATTLE_URL", baseUrl(ServiceSpec.BATTLE));
        env.put("COLOSSEUM_VOTE_URL", baseUrl(ServiceSpec.VOTE));
        env.put("COLOSSEUM_RANKING_URL", baseUrl(ServiceSpec.RANKING));
        env.put("COLOSSEUM_ROUTER_URL", baseUrl(ServiceSpec.ROUTER));
        env.putAll(extraEnv);
        return env;
    }

    /** Ports by service, in start order, as an enum-free copy for printing. */
    public Map<ServiceSpec, Integer> portsBySpec() {
        Map<ServiceSpec, Integer> m = new LinkedHashMap<>();
        for (ServiceSpec s : ServiceSpec.ALL) {
            m.put(s, port(s));
        }
        return m;
    }

    public SuiteConfig withExtraEnv(Map<String, String> env) {
        return new SuiteConfig(root, home, ports, pgPort, adminKey, modelsFile, sharedDir, serviceJavaOptions, env);
    }

}

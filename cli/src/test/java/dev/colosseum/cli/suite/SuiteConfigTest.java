package dev.colosseum.cli.suite;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SuiteConfigTest {

    private static SuiteConfig config(Path root, Path models) {
        return new SuiteConfig(root, root.resolve(".colosseum"),
                Map.of("vote", 9001, "ranking", 9002, "battle", 9000, "router", 9003), 9432, "k",
                models, root.resolve("shared"), List.of("-Xmx64m"), Map.of("EXTRA", "1"));
    }

    @Test
    void everyServiceGetsItsPortTheDatabaseThePeersAndTheAdminKey(@TempDir Path root) throws Exception {
        Path models = Files.writeString(root.resolve("models.json"), "{\"models\":[]}");
        SuiteConfig cfg = config(root, models);
        Map<String, String> env = cfg.serviceEnv(ServiceSpec.RANKING);
        assertEquals("9002", env.get("PORT"));
        assertEquals("postgresql://localhost:9432/colosseum", env.get("DB_URL"));
        assertEquals("jdbc:postgresql://localhost:9432/colosseum", env.get("DB_JDBC_URL"));
        assertEquals("http://localhost:9001", env.get("COLOSSEUM_VOTE_URL"));
        assertEquals("http://localhost:9000", env.get("COLOSSEUM_BATTLE_URL"));
        assertEquals("http://localhost:9003", env.get("COLOSSEUM_ROUTER_URL"));
        assertEquals("k", env.get("COLOSSEUM_ADMIN_KEY"));
        assertEquals(models.toString(), env.get("COLOSSEUM_MODELS_FILE"));
        assertEquals("1", env.get("EXTRA"));
        assertEquals(root.resolve("ranking-service/target/quarkus-app/quarkus-run.jar"), cfg.jar(ServiceSpec.RANKING));
    }

    @Test
    void aMissingModelsFileIsNotPassedOn(@TempDir Path root) {
        SuiteConfig cfg = config(root, root.resolve("absent.json"));
        assertFalse(cfg.serviceEnv(ServiceSpec.VOTE).containsKey("COLOSSEUM_MODELS_FILE"));
        assertFalse(cfg.hasArenaData());
    }

    @Test
    void servicesAreFoundByShortOrModuleNameAndVoteStartsFirst() {
        assertEquals(ServiceSpec.ROUTER, ServiceSpec.byName("router"));
        assertEquals(ServiceSpec.BATTLE, ServiceSpec.byName("battle-service"));
        assertEquals(ServiceSpec.VOTE, ServiceSpec.ALL.get(0));
        assertThrows(IllegalArgumentException.class, () -> ServiceSpec.byName("nope"));
    }

    @Test
    void registryListsAreReadFromAnArrayOrAModelsObject() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertEquals(2, Seeder.modelList(json.readTree("{\"models\":[{\"id\":\"a\"},{\"id\":\"b\"}]}")).size());
        assertEquals(1, Seeder.modelList(json.readTree("[{\"id\":\"a\"}]")).size());
        assertTrue(Seeder.modelList(json.readTree("{\"other\":1}")).isEmpty());
    }

    @Test
    void battleServiceRunsZgcByDefaultAndAnOverrideAppliesToEveryService(@TempDir Path root) {
        SuiteConfig defaults = new SuiteConfig(root, root.resolve(".colosseum"),
                Map.of("vote", 1, "ranking", 2, "battle", 3, "router", 4), 5, "k",
                root.resolve("m.json"), root, List.of(), Map.of());
        assertEquals(List.of("-Xmx768m", "-XX:+UseZGC"), defaults.javaOptions(ServiceSpec.BATTLE));
        assertEquals(List.of("-Xmx768m", "-XX:+UseSerialGC"), defaults.javaOptions(ServiceSpec.VOTE));
        SuiteConfig overridden = config(root, root.resolve("m.json"));
        for (ServiceSpec s : ServiceSpec.ALL) {
            assertEquals(List.of("-Xmx64m"), overridden.javaOptions(s));
        }
    }

    @Test
    void statusReportsNothingRunningOnUnusedPorts(@TempDir Path root) {
        SuiteConfig cfg = new SuiteConfig(root, root.resolve(".colosseum"),
                Map.of("vote", 1, "ranking", 2, "battle", 3, "router", 4), 5, "k",
                root.resolve("m.json"), root, List.of(), Map.of());
        Map<String, String> status = new Suite(cfg, line -> { }).status();
        assertEquals(5, status.size());
        status.forEach((k, v) -> assertTrue(v.contains("not"), k + " -> " + v));
        assertTrue(new Suite(cfg, line -> { }).stopAll().isEmpty());
    }
}

package dev.colosseum.battle;

import dev.colosseum.embedded.EmbeddedDb;
import dev.colosseum.embedded.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole arena in a real browser: real vote-service and ranking-service (their built jars) on an
 * embedded PostgreSQL, this service's built jar, and Debian's headless Chromium driven by playwright-core.
 * Screenshots land in target/screenshots.
 */
class ArenaBrowserIT {
    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path ROOT = MODULE.getParent();
    private static final Path LOGS = MODULE.resolve("target/e2e-logs");
    private static final String ADMIN = "colosseum-e2e-admin";
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final List<ServiceProcess> PROCESSES = new ArrayList<>();
    private static EmbeddedDb db;
    private static int battlePort;
    private static int votePort;
    private static Map<String, String> commonEnv;
    private static ServiceProcess battle;

    @BeforeAll
    static void startServices() throws Exception {
        // part of the README's test command: a missing browser is a failure, not a skip
        if (!new File(CHROMIUM).canExecute()) {
            throw new AssertionError("the browser test needs Debian's Chromium at " + CHROMIUM + ", which is missing. "
                    + "Install it with `sudo apt-get install -y chromium` (or run ./colosseum test, which installs it), "
                    + "then re-run the tests.");
        }
        if (!Files.isDirectory(MODULE.resolve("src/main/ui/node_modules/playwright-core"))) {
            throw new AssertionError("the browser test needs playwright-core in src/main/ui/node_modules; build "
                    + "battle-service without -Dskip.ui=true (Maven runs npm ci) or run `npm ci` in src/main/ui.");
        }
        Files.createDirectories(LOGS);
        db = EmbeddedDb.startEphemeral();
        db.ensureDatabase("colosseum");
        votePort = ServiceProcess.freePort();
        int rankingPort = ServiceProcess.freePort();
        battlePort = ServiceProcess.freePort();
        String models = MODULE.resolve("src/test/resources/e2e-models.json").toString();
        Map<String, String> common = new HashMap<>();
        common.put("DB_URL", db.reactiveUrl("colosseum"));
        common.put("DB_JDBC_URL", db.jdbcUrl("colosseum"));
        common.put("COLOSSEUM_ADMIN_KEY", ADMIN);
        common.put("COLOSSEUM_MODELS_FILE", models);
        common.put("COLOSSEUM_VOTE_URL", "http://127.0.0.1:" + votePort);
        common.put("COLOSSEUM_RANKING_URL", "http://127.0.0.1:" + rankingPort);
        common.put("COLOSSEUM_RANKING_MIN_VOTES", "0");

        // -De2e.vote.jar / -De2e.ranking.jar point at other builds (default: the sibling modules' builds). Each runs
        // from a private copy, so a rebuild of a sibling module while this test runs cannot pull jars from under it.
        start("vote-service", privateCopy("vote-service", Path.of(System.getProperty("e2e.vote.jar",
                ROOT.resolve("vote-service/target/quarkus-app/quarkus-run.jar").toString()))), votePort, common);
        start("ranking-service", privateCopy("ranking-service", Path.of(System.getProperty("e2e.ranking.jar",
                ROOT.resolve("ranking-service/target/quarkus-app/quarkus-run.jar").toString()))), rankingPort, common);
        commonEnv = common;
        battle = start("battle-service", MODULE.resolve("target/quarkus-app/quarkus-run.jar"), battlePort, common);
    }

    @AfterAll
    static void stopServices() {
        for (ServiceProcess p : PROCESSES) {
            p.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void fullBattleVoteRevealAndLeaderboardInChromium() throws Exception {
        Path ui = MODULE.resolve("src/main/ui");
        Path shots = MODULE.resolve("target/screenshots");
        ProcessBuilder pb = new ProcessBuilder("node", "e2e/arena.e2e.mjs").directory(ui.toFile())
                .redirectErrorStream(true).redirectOutput(LOGS.resolve("e2e-node.log").toFile());
        pb.environment().put("BASE_URL", "http://127.0.0.1:" + battlePort);
        pb.environment().put("SCREENSHOT_DIR", shots.toString());
        Process node = pb.start();
        boolean ended = node.waitFor(5, TimeUnit.MINUTES);
        if (!ended) {
            node.destroyForcibly();
        }
        String out = Files.readString(LOGS.resolve("e2e-node.log"));
        System.out.println(out);
        assertTrue(ended, "browser test did not finish:\n" + out);
        assertEquals(0, node.exitValue(), "browser test failed:\n" + out);
        assertTrue(out.contains("[e2e] PASS"), out);
        // the category selector's counts come from ranking-service's /api/v1/categories through this service
        String categories = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + battlePort + "/api/v1/categories")).build(), HttpResponse.BodyHandlers.ofString()).body();
        java.util.regex.Matcher overall = java.util.regex.Pattern
                .compile("\\{[^}]*\"name\"\\s*:\\s*\"overall\"[^}]*\"votes\"\\s*:\\s*(\\d+)").matcher(categories);
        assertTrue(overall.find() && Long.parseLong(overall.group(1)) >= 1, "overall counts the vote: " + categories);
        for (String s : List.of("1-arena-answers.png", "2-arena-revealed.png", "3-leaderboard.png",
                "4-phone-arena.png", "5-phone-leaderboard.png")) {
            assertTrue(Files.size(shots.resolve(s)) > 1000, "screenshot " + s);
        }
    }

    @Test
    void adminRegistryChangesReachVoteService() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String entry = "{\"display_name\": \"Late Joiner\", \"provider\": \"simulated\", \"organization\": \"E2E\","
                + " \"simulated\": {\"mean_tokens\": 20}}";
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + battlePort
                        + "/api/v1/admin/models/sim-e2e-late")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(entry)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode());
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + battlePort
                        + "/api/v1/admin/models/sim-e2e-late")).header("Content-Type", "application/json")
                .header("X-Admin-Key", ADMIN).PUT(HttpRequest.BodyPublishers.ofString(entry)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, put.statusCode(), put.body());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String models = "";
        while (System.nanoTime() < deadline && !models.contains("Late Joiner (simulated)")) {
            models = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + votePort + "/api/v1/models"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            Thread.sleep(200);
        }
        assertTrue(models.contains("Late Joiner (simulated)"), "vote-service registry: " + models);
    }

    /** Starts one service and waits until it is ready (vote-service first: the others talk to it). */
    private static ServiceProcess start(String name, Path jar, int port, Map<String, String> env) {
        ServiceProcess p = ServiceProcess.start(name, jar, port, env, "256m", LOGS.resolve(name + ".log"), ROOT,
                "/q/health/ready", Duration.ofSeconds(120));
        PROCESSES.add(p);
        return p;
    }

    /** A private copy of a built service under target/e2e-apps (see {@link ServiceProcess#privateCopy}). */
    private static Path privateCopy(String name, Path runJar) throws java.io.IOException {
        return ServiceProcess.privateCopy(runJar, MODULE.resolve("target/e2e-apps/" + name));
    }

    /** SIGKILL battle-service (nothing flushed on the way out) and start it again on the same port. */
    private static void crashAndRestartBattleService(int generation) {
        battle.kill();
        PROCESSES.remove(battle);
        battle = start("battle-service-restart-" + generation,
                MODULE.resolve("target/quarkus-app/quarkus-run.jar"), battlePort, commonEnv);
    }

    private static boolean stored(String battleId, boolean voted) throws Exception {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl("colosseum"), EmbeddedDb.USER, EmbeddedDb.PASSWORD);
             PreparedStatement ps = c.prepareStatement("SELECT voted FROM battle.completed_battle WHERE id = ?")) {
            ps.setString(1, battleId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1) == voted;
            }
        }
    }

    private static void awaitStored(String battleId, boolean voted) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!stored(battleId, voted)) {
            assertTrue(System.nanoTime() < deadline, "battle " + battleId + " was not stored (voted=" + voted + ")");
            Thread.sleep(100);
        }
    }

    @Test
    void aFinishedBattleIsStillVotableAfterARestartAndItsVoteIsRemembered() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + battlePort + "/api/v1/battles";
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\": \"Describe the water cycle in two sentences.\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        String id = created.body().replaceAll("(?s).*\"battle_id\"\\s*:\\s*\"([0-9a-f]+)\".*", "$1");
        String events = http.send(HttpRequest.newBuilder(URI.create(base + "/" + id + "/events")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(events.contains("\"turn_complete\""), events);
        String before = http.send(HttpRequest.newBuilder(URI.create(base + "/" + id)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        awaitStored(id, false);

        crashAndRestartBattleService(1);
        HttpResponse<String> after = http.send(HttpRequest.newBuilder(URI.create(base + "/" + id)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, after.statusCode(), after.body());
        assertEquals(before, after.body(), "the restored battle shows the same answers");
        assertTrue(after.body().contains("\"votable\":true"), after.body());
        String replay = http.send(HttpRequest.newBuilder(URI.create(base + "/" + id + "/events")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(replay.contains("\"type\":\"delta\"") && replay.contains("\"turn_complete\""), replay);

        HttpResponse<String> vote = http.send(HttpRequest.newBuilder(URI.create(base + "/" + id + "/vote"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"winner\": \"B\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, vote.statusCode(), vote.body());
        assertTrue(vote.body().contains("\"model_a\":{"), "names revealed: " + vote.body());
        awaitStored(id, true);

        crashAndRestartBattleService(2);
        HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create(base + "/" + id + "/vote"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"winner\": \"A\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(409, again.statusCode(), "one vote per battle, across restarts: " + again.body());
        String revealed = http.send(HttpRequest.newBuilder(URI.create(base + "/" + id)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(revealed.contains("\"voted\":true") && revealed.contains("\"models\":[{"), revealed);
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(base + "/0123456789abcdef01234567"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, unknown.statusCode());
    }
}

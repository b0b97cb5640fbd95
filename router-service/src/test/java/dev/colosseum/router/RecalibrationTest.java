package dev.colosseum.router;

import dev.colosseum.embedded.EmbeddedPostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Live re-calibration: after traffic unlike the reference prompts, re-calibrating from that traffic moves the
 * threshold of {@code router-length-p50} so that about half of new traffic from the same distribution goes to
 * the strong model (the length router needs no training, so the threshold is the only thing that changes).
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = UpstreamStubResource.class, restrictToAnnotatedClass = true)
class RecalibrationTest {
    static final String KEY = "colosseum-dev-admin";
    static final int BATCH = 250; // above the default minimum of 200 recent prompts

    /** Long prompts of 2,000–8,000 characters, each distinct. */
    static String longPrompt(SplittableRandom r, int i) {
        int len = 2000 + r.nextInt(6000);
        StringBuilder sb = new StringBuilder("Document " + i + ": ");
        while (sb.length() < len) {
            sb.append("lorem ipsum dolor sit amet ").append(r.nextInt(1000)).append(' ');
        }
        return sb.toString();
    }

    static double strongFraction(SplittableRandom r, int from) {
        int strong = 0;
        for (int i = from; i < from + BATCH; i++) {
            JsonPath d = given().contentType(ContentType.JSON).body(Map.of("model", "router-length-p50", "prompt", longPrompt(r, i)))
                    .post("/api/v1/route").then().statusCode(200).extract().jsonPath();
            if (d.getBoolean("strong")) {
                strong++;
            }
        }
        return (double) strong / BATCH;
    }

    @Test
    void liveRecalibrationMovesTheThresholdToTheTargetStrongFraction() {
        double referenceP50 = given().get("/api/v1/router/calibration?router=length").then().statusCode(200)
                .body("source", equalTo("reference")).extract().jsonPath().getDouble("thresholds.p50");
        SplittableRandom r = new SplittableRandom(7);
        // traffic far longer than the reference prompts: the reference median sends almost all of it to the strong model
        double before = strongFraction(r, 0);
        assertTrue(before > 0.9, "before " + before);
        double trafficP50 = given().header("X-Admin-Key", KEY).post("/api/v1/router/calibrate?router=length").then()
                .statusCode(200).body("source", equalTo("traffic")).extract().jsonPath().getDouble("thresholds.p50");
        assertTrue(trafficP50 > referenceP50, "threshold moved up: " + referenceP50 + " -> " + trafficP50);
        // after re-calibrating on that traffic, p50 sends about half of new traffic from the same distribution
        double after = strongFraction(r, BATCH);
        assertEquals(0.5, after, 0.12, "after " + after);
        given().get("/api/v1/router/calibration?router=length").then().statusCode(200).body("source", equalTo("traffic"));
    }

    @Test
    void recalibrationNeedsAdminKeyAndEnoughTraffic() {
        given().post("/api/v1/router/calibrate?router=length").then().statusCode(401);
        given().header("X-Admin-Key", KEY).post("/api/v1/router/calibrate?router=best").then().statusCode(404);
    }
}

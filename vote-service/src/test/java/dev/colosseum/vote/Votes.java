package dev.colosseum.vote;

import io.restassured.specification.RequestSpecification;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static io.restassured.RestAssured.given;

/** Helpers for building vote bodies in tests. */
final class Votes {
    static final String ADMIN = "colosseum-dev-admin";
    private static final AtomicLong CLIENT = new AtomicLong();

    private Votes() {
    }

    static String battleId() {
        return "b" + UUID.randomUUID().toString().replace("-", "");
    }

    static String voterId() {
        return "voter-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    /** A request from a fresh client address, so that the per-client rate limit does not interfere. */
    static RequestSpecification client() {
        return given().header("X-Forwarded-For", "10.0." + (CLIENT.incrementAndGet() % 250) + "." + (CLIENT.get() / 250 % 250))
                .contentType("application/json");
    }

    static String body(String battleId, String modelA, String modelB, String winner, String voterId) {
        return "{\"battle_id\":\"" + battleId + "\",\"model_a\":\"" + modelA + "\",\"model_b\":\"" + modelB
                + "\",\"winner\":\"" + winner + "\",\"mode\":\"anony\",\"voter_id\":\"" + voterId + "\",\"turn\":1,"
                + "\"language\":\"English\",\"categories\":[\"coding\"],"
                + "\"features_a\":{\"tokens\":120,\"headers\":1,\"lists\":2,\"bold\":0},"
                + "\"features_b\":{\"tokens\":80,\"headers\":0,\"lists\":0,\"bold\":1},"
                + "\"conversation_a\":[{\"role\":\"user\",\"content\":\"Write a haiku about rust " + battleId + "\"},"
                + "{\"role\":\"assistant\",\"content\":\"Iron sleeps in rain\"}],"
                + "\"conversation_b\":[{\"role\":\"user\",\"content\":\"Write a haiku about rust " + battleId + "\"},"
                + "{\"role\":\"assistant\",\"content\":\"Red bloom on old nails\"}]}";
    }

    static String body(String battleId) {
        return body(battleId, "sim-atlas", "sim-breeze", "model_a", voterId());
    }
}

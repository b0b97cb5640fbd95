package dev.colosseum.battle;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * One WireMock server on 127.0.0.1 for every test: stands in for vote-service (registry pushes and
 * votes) and serves as the OpenAI-compatible upstream of the provider tests.
 */
@QuarkusTestResource(UpstreamStubs.class)
public class UpstreamStubs implements QuarkusTestResourceLifecycleManager {
    private static WireMockServer server;

    public static WireMockServer server() {
        return server;
    }

    public static void resetVoteStubs() {
        server.stubFor(put(urlMatching("/api/v1/models/.*")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{}")));
        server.stubFor(post(urlPathEqualTo("/api/v1/votes")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"id\": 7, \"battle_id\": \"x\", \"seq\": 7, \"excluded\": false, \"exclusion_reasons\": []}")));
    }

    /** By default ranking-service "fails", so matchmaking uses its local fallback. */
    public static void resetSamplingStub() {
        server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/api/v1/sampling"))
                .willReturn(aResponse().withStatus(503)));
    }

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().asynchronousResponseEnabled(true));
        server.start();
        resetVoteStubs();
        resetSamplingStub();
        return Map.of("colosseum.battle.vote-url", server.baseUrl(), "colosseum.battle.ranking-url", server.baseUrl());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}

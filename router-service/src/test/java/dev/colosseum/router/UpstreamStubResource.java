package dev.colosseum.router;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

/** Two OpenAI-compatible WireMock upstreams (strong and weak) and a registry file pointing at them. */
public class UpstreamStubResource implements QuarkusTestResourceLifecycleManager {
    static WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        for (String m : new String[] {"up-strong", "up-weak"}) {
            server.stubFor(post(urlEqualTo("/" + m + "/v1/chat/completions"))
                    .withRequestBody(matchingJsonPath("$.stream", com.github.tomakehurst.wiremock.client.WireMock.equalTo("true")))
                    .atPriority(1)
                    .willReturn(aResponse().withHeader("Content-Type", "text/event-stream").withBody(
                            "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + m
                                    + "-upstream\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"},\"finish_reason\":null}]}\n\n"
                                    + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + m
                                    + "-upstream\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo from " + m + "\"},\"finish_reason\":\"stop\"}]}\n\n"
                                    + "data: [DONE]\n\n")));
            server.stubFor(post(urlEqualTo("/" + m + "/v1/chat/completions"))
                    .withRequestBody(containing("\"tools\"")).atPriority(2)
                    .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(
                            "{\"id\":\"c2\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"" + m + "-upstream\","
                                    + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
                                    + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},\"finish_reason\":\"tool_calls\"}],"
                                    + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":5,\"total_tokens\":10}}")));
            server.stubFor(post(urlEqualTo("/" + m + "/v1/chat/completions")).atPriority(5)
                    .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(
                            "{\"id\":\"c3\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"" + m + "-upstream\","
                                    + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello from " + m + "\"},\"finish_reason\":\"stop\"}],"
                                    + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":3,\"total_tokens\":8}}")));
        }
        try {
            Path f = Files.createTempFile("router-models", ".json");
            String base = "http://127.0.0.1:" + server.port();
            Files.writeString(f, "{\"models\":["
                    + "{\"id\":\"strong-model\",\"provider\":\"openai\",\"base_url\":\"" + base + "/up-strong/v1\",\"upstream_model\":\"up-strong\",\"input_price_per_mtok\":10,\"output_price_per_mtok\":30},"
                    + "{\"id\":\"weak-model\",\"provider\":\"openai\",\"base_url\":\"" + base + "/up-weak/v1\",\"upstream_model\":\"up-weak\",\"input_price_per_mtok\":0.1,\"output_price_per_mtok\":0.2},"
                    + "{\"id\":\"sim-model\",\"provider\":\"simulated\",\"input_price_per_mtok\":0,\"output_price_per_mtok\":0}]}");
            return Map.of("colosseum.router.models-file", f.toString(), "colosseum.router.strong", "strong-model",
                    "colosseum.router.weak", "weak-model", "colosseum.router.retrain-delay", "1h");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}

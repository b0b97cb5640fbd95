package dev.colosseum.battle;

import com.github.tomakehurst.wiremock.http.Fault;

import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/** OpenAI-compatible /v1/chat/completions behaviours on the shared WireMock server, one per upstream model name. */
final class ProviderStubs {
    private ProviderStubs() {
    }

    static String chunk(String model, String content) {
        return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + model
                + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":" + Sse.JSON.valueToTree(content)
                + "},\"finish_reason\":null}]}\n\n";
    }

    static String finish(String model) {
        return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + model
                + "\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":5,\"total_tokens\":16}}\n\ndata: [DONE]\n\n";
    }

    private static com.github.tomakehurst.wiremock.client.MappingBuilder forModel(String model) {
        return post(urlPathEqualTo("/v1/chat/completions")).withRequestBody(matchingJsonPath("$.model", equalTo(model)));
    }

    static void streamOk(String model, List<String> pieces) {
        StringBuilder body = new StringBuilder();
        pieces.forEach(p -> body.append(chunk(model, p)));
        body.append(finish(model));
        UpstreamStubs.server().stubFor(forModel(model).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/event-stream").withBody(body.toString())));
    }

    /** The whole stream arrives spread over {@code millis}. */
    static void streamSlowly(String model, List<String> pieces, int millis) {
        StringBuilder body = new StringBuilder();
        pieces.forEach(p -> body.append(chunk(model, p)));
        body.append(finish(model));
        UpstreamStubs.server().stubFor(forModel(model).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/event-stream").withBody(body.toString())
                .withChunkedDribbleDelay(80, millis)));
    }

    static void status(String model, int status) {
        UpstreamStubs.server().stubFor(forModel(model).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"upstream exploded\",\"type\":\"server_error\"}}")));
    }

    static void delayed(String model, int millis) {
        UpstreamStubs.server().stubFor(forModel(model).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/event-stream").withBody(chunk(model, "late") + finish(model))
                .withFixedDelay(millis)));
    }

    static void garbage(String model) {
        UpstreamStubs.server().stubFor(forModel(model).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/event-stream").withBody("data: {{{ this is not json\n\n")));
    }

    static void broken(String model) {
        UpstreamStubs.server().stubFor(forModel(model).willReturn(aResponse()
                .withFault(Fault.MALFORMED_RESPONSE_CHUNK)));
    }
}

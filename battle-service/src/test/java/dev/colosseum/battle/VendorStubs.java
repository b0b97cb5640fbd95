package dev.colosseum.battle;

import com.github.tomakehurst.wiremock.client.MappingBuilder;

import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/**
 * Anthropic Messages and Gemini streamGenerateContent on the shared WireMock server, in each vendor's own
 * streaming wire format (server-sent events), one behaviour per upstream model name.
 */
final class VendorStubs {
    static final String ANTHROPIC_PATH = "/anthropic/v1/";
    static final String GEMINI_PATH = "/gemini/v1beta";

    private VendorStubs() {
    }

    private static String json(String s) {
        return Sse.JSON.valueToTree(s).toString();
    }

    // --- Anthropic: POST {base}messages, named SSE events message_start ... message_stop ---

    private static MappingBuilder anthropic(String model) {
        return post(urlPathEqualTo(ANTHROPIC_PATH + "messages"))
                .withRequestBody(matchingJsonPath("$.model", equalTo(model)));
    }

    static String anthropicStream(String model, List<String> pieces, int inputTokens, int outputTokens) {
        StringBuilder sb = new StringBuilder();
        sb.append("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_01\",\"type\":\"message\","
                + "\"role\":\"assistant\",\"model\":").append(json(model)).append(",\"content\":[],\"stop_reason\":null,"
                + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":").append(inputTokens).append(",\"output_tokens\":1}}}\n\n");
        sb.append("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
        sb.append("event: ping\ndata: {\"type\":\"ping\"}\n\n");
        for (String p : pieces) {
            sb.append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":").append(json(p)).append("}}\n\n");
        }
        sb.append("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n");
        sb.append("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":").append(outputTokens).append("}}\n\n");
        sb.append("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        return sb.toString();
    }

    static void anthropicOk(String model, List<String> pieces) {
        UpstreamStubs.server().stubFor(anthropic(model).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/event-stream")
                .withBody(anthropicStream(model, pieces, 13, 6))));
    }

    /** Anthropic's "overloaded" answer. */
    static void anthropicOverloaded(String model) {
        UpstreamStubs.server().stubFor(anthropic(model).willReturn(aResponse().withStatus(529)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}")));
    }

    static void anthropicDelayed(String model, int millis) {
        UpstreamStubs.server().stubFor(anthropic(model).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/event-stream")
                .withBody(anthropicStream(model, List.of("late"), 13, 1)).withFixedDelay(millis)));
    }

    // --- Gemini: POST {base}/models/{model}:streamGenerateContent?alt=sse, data-only SSE of GenerateContentResponse ---

    private static MappingBuilder gemini(String model) {
        return post(urlPathEqualTo(GEMINI_PATH + "/models/" + model + ":streamGenerateContent"));
    }

    static String geminiChunk(String text, String finishReason, int prompt, int candidates) {
        return "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":" + json(text) + "}],\"role\":\"model\"},"
                + (finishReason == null ? "" : "\"finishReason\":\"" + finishReason + "\",")
                + "\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":" + prompt + ",\"candidatesTokenCount\":"
                + candidates + ",\"totalTokenCount\":" + (prompt + candidates) + "},\"modelVersion\":\"gemini-stub\"}\r\n\r\n";
    }

    static void geminiOk(String model, List<String> pieces) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < pieces.size(); i++) {
            sb.append(geminiChunk(pieces.get(i), i == pieces.size() - 1 ? "STOP" : null, 9, i + 1));
        }
        UpstreamStubs.server().stubFor(gemini(model).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/event-stream").withBody(sb.toString())));
    }

    static void geminiError(String model, int status) {
        UpstreamStubs.server().stubFor(gemini(model).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"code\":" + status + ",\"message\":\"Internal error encountered.\","
                        + "\"status\":\"INTERNAL\"}}")));
    }

    static void geminiDelayed(String model, int millis) {
        UpstreamStubs.server().stubFor(gemini(model).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/event-stream")
                .withBody(geminiChunk("late", "STOP", 9, 1)).withFixedDelay(millis)));
    }
}

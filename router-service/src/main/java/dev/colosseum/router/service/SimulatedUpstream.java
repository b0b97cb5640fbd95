package dev.colosseum.router.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * SIMULATED upstream for the demo: models whose registry provider is {@code simulated} are answered in-process
 * with a deterministic, clearly labelled text in OpenAI's chat-completion format (JSON or SSE chunks). No
 * language model is involved.
 */
public final class SimulatedUpstream {
    private static final ObjectMapper OM = new ObjectMapper();

    private SimulatedUpstream() {
    }

    static String text(String model, String prompt) {
        String p = prompt.length() > 80 ? prompt.substring(0, 80) + "…" : prompt;
        return "[simulated answer from " + model + "] You asked: \"" + p.replace('\n', ' ') + "\". This is a canned demo "
                + "response; configure an OpenAI-compatible provider for real answers.";
    }

    public static ObjectNode completion(String id, String model, String prompt) {
        String content = text(model, prompt);
        ObjectNode root = OM.createObjectNode();
        root.put("id", id);
        root.put("object", "chat.completion");
        root.put("created", System.currentTimeMillis() / 1000);
        root.put("model", model);
        ArrayNode choices = root.putArray("choices");
        ObjectNode c = choices.addObject();
        c.put("index", 0);
        ObjectNode msg = c.putObject("message");
        msg.put("role", "assistant");
        msg.put("content", content);
        c.put("finish_reason", "stop");
        ObjectNode usage = root.putObject("usage");
        int in = Math.max(1, prompt.length() / 4);
        int out = Math.max(1, content.length() / 4);
        usage.put("prompt_tokens", in);
        usage.put("completion_tokens", out);
        usage.put("total_tokens", in + out);
        return root;
    }

    /** SSE data payloads (without the "data: " prefix), ending with [DONE]. */
    public static List<String> chunks(String id, String model, String prompt) {
        String content = text(model, prompt);
        List<String> out = new ArrayList<>();
        String[] words = content.split("(?<= )");
        long created = System.currentTimeMillis() / 1000;
        out.add(chunk(id, model, created, "{\"role\":\"assistant\",\"content\":\"\"}", null));
        for (String w : words) {
            try {
                out.add(chunk(id, model, created, "{\"content\":" + OM.writeValueAsString(w) + "}", null));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        out.add(chunk(id, model, created, "{}", "stop"));
        out.add("[DONE]");
        return out;
    }

    private static String chunk(String id, String model, long created, String delta, String finish) {
        return "{\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":" + created + ",\"model\":\"" + model
                + "\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
                + (finish == null ? "null" : "\"" + finish + "\"") + "}]}";
    }
}

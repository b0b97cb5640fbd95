package dev.colosseum.ranking;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;
import java.util.Random;

/** Simulated votes with a known truth: BT strengths, style features that matter, categories, languages. */
final class SimVotes {
    static final ObjectMapper JSON = new ObjectMapper();
    private final List<String> models;
    private final double[] strength;
    private final Random rnd;
    private final Instant start;
    private int n;

    SimVotes(List<String> models, long seed, Instant start) {
        this.models = models;
        this.rnd = new Random(seed);
        this.strength = new double[models.size()];
        for (int i = 0; i < strength.length; i++) {
            strength[i] = 1.2 - 0.45 * i;
        }
        this.start = start;
    }

    /** The next vote; {@code reveal} puts a vendor name in answer B (vote-service excludes it). */
    ObjectNode next(String prefix, boolean reveal, boolean named) {
        return next(prefix, reveal, named, null);
    }

    /** As {@link #next(String, boolean, boolean)} with a fixed user prompt (null: a fresh one). */
    ObjectNode next(String prefix, boolean reveal, boolean named, String prompt) {
        int a = rnd.nextInt(models.size());
        int b = rnd.nextInt(models.size() - 1);
        if (b >= a) {
            b++;
        }
        double tokA = 100 + rnd.nextInt(900);
        double tokB = 100 + rnd.nextInt(900);
        double style = 2.0 * (tokA - tokB) / (tokA + tokB + 1);
        double logit = strength[a] - strength[b] + style;
        double p = 1 / (1 + Math.exp(-logit));
        double u = rnd.nextDouble();
        String winner = u < 0.1 ? (rnd.nextBoolean() ? "tie" : "tie (bothbad)") : rnd.nextDouble() < p ? "model_a" : "model_b";
        ObjectNode v = JSON.createObjectNode();
        v.put("battle_id", prefix + "-" + (n++));
        v.put("model_a", models.get(a));
        v.put("model_b", models.get(b));
        v.put("winner", winner);
        v.put("mode", named ? "named" : "anony");
        v.put("voter_id", "voter-" + prefix + "-" + n);
        Instant at = start.plusSeconds(60L * n);
        v.put("battle_started_at", at.minusSeconds(30).toString());
        v.put("voted_at", at.toString());
        v.put("turn", rnd.nextInt(4) == 0 ? 2 : 1);
        v.put("language", rnd.nextInt(3) == 0 ? "German" : "English");
        ArrayNode cats = v.putArray("categories");
        if (rnd.nextBoolean()) {
            cats.add("coding");
        }
        if (rnd.nextInt(3) == 0) {
            cats.add("math");
        }
        ObjectNode fa = v.putObject("features_a");
        ObjectNode fb = v.putObject("features_b");
        feature(fa, tokA);
        feature(fb, tokB);
        ArrayNode ca = v.putArray("conversation_a");
        String question = prompt != null ? prompt : "Question " + prefix + " " + n;
        ca.addObject().put("role", "user").put("content", question);
        ca.addObject().put("role", "assistant").put("content", "An answer.");
        ArrayNode cb = v.putArray("conversation_b");
        cb.addObject().put("role", "user").put("content", question);
        cb.addObject().put("role", "assistant").put("content", reveal ? "As ChatGPT, made by OpenAI, I think so." : "Another answer.");
        return v;
    }

    private void feature(ObjectNode f, double tokens) {
        f.put("tokens", tokens);
        f.put("headers", rnd.nextInt(4));
        f.put("lists", rnd.nextInt(8));
        f.put("bold", rnd.nextInt(5));
        f.put("latency_ms", 200 + rnd.nextInt(2000));
        f.put("input_tokens", 20 + rnd.nextInt(100));
        f.put("output_tokens", tokens);
    }
}

package dev.colosseum.battle.service;

import dev.colosseum.battle.Battle;
import dev.colosseum.battle.ChatMessage;
import dev.colosseum.battle.ModelSpec;
import dev.colosseum.battle.ProblemException;
import dev.colosseum.battle.VoteResult;
import dev.colosseum.battle.client.VoteClient;
import dev.colosseum.battle.client.VotePayload;
import dev.colosseum.battle.client.VoteReceipt;
import dev.colosseum.stats.StyleFeatures;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns a voter's choice into a vote-service vote, then reveals the models. One vote per battle. */
@ApplicationScoped
public class VoteService {
    private final BattleService battles;
    private final VoteClient votes;
    private final CategoryTagger tagger;
    private final Judge judge;

    public VoteService(BattleService battles, @RestClient VoteClient votes, CategoryTagger tagger, Judge judge) {
        this.battles = battles;
        this.votes = votes;
        this.tagger = tagger;
        this.judge = judge;
    }

    /** Accepts model_a/model_b/tie/tie (bothbad) and the short forms A, B, tie, bothbad. */
    public static String normaliseWinner(String w) {
        if (w == null) {
            throw new ProblemException(422, "Invalid winner", "winner is required: A, B, tie or bothbad", "winner");
        }
        return switch (w.trim().toLowerCase()) {
            case "a", "model_a", "left" -> "model_a";
            case "b", "model_b", "right" -> "model_b";
            case "tie" -> "tie";
            case "bothbad", "both_bad", "both bad", "tie (bothbad)" -> "tie (bothbad)";
            default -> throw new ProblemException(422, "Invalid winner",
                    "winner must be A, B, tie or bothbad (or model_a, model_b, tie, tie (bothbad))", "winner");
        };
    }

    public Uni<VoteResult> vote(String battleId, String rawWinner) {
        String winner = normaliseWinner(rawWinner);
        return battles.find(battleId).chain(b -> vote(b, winner));
    }

    private Uni<VoteResult> vote(Battle b, String winner) {
        List<List<ChatMessage>> conv = new ArrayList<>();
        List<String> prompts = new ArrayList<>();
        Map<String, Double> fa;
        Map<String, Double> fb;
        int turns;
        synchronized (b) {
            if (Battle.DIRECT.equals(b.mode)) {
                throw new ProblemException(422, "Not a battle", "a direct chat cannot be voted on", "battle_id");
            }
            if (b.voted) {
                throw new ProblemException(409, "Already voted", "this battle has been voted on already", "battle_id");
            }
            if (b.voting) {
                throw new ProblemException(409, "Vote in progress", "a vote on this battle is being stored", "battle_id");
            }
            Battle.Turn cur = b.current();
            if (!cur.finished) {
                throw new ProblemException(409, "Answers incomplete", "wait until both answers are complete");
            }
            for (Battle.Turn t : b.turns) {
                if (t.anyFailed()) {
                    throw new ProblemException(409, "Side failed",
                            "an answer failed in this battle, so it cannot be voted on; regenerate or start a new round");
                }
                prompts.add(t.prompt);
            }
            b.voting = true;
            turns = b.turns.size();
            for (int s = 0; s < 2; s++) {
                conv.add(BattleService.conversation(b, s));
            }
            fa = features(b, 0);
            fb = features(b, 1);
        }
        List<String> answers = new ArrayList<>();
        conv.forEach(c -> c.stream().filter(m -> "assistant".equals(m.role())).forEach(m -> answers.add(m.content())));
        // tagging (language detection, tokenizing) is CPU work: keep it off the event loop
        Uni<Tagging> tagging = Uni.createFrom().item(() -> new Tagging(IdentityReveal.reveals(answers),
                        tagger.tags(prompts), tagger.language(prompts.get(0))))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        return tagging.chain(tg -> judge.tags(String.join("\n\n", prompts)).map(judgeTags -> {
            Set<String> cats = new LinkedHashSet<>(tg.ruleTags());
            cats.addAll(judgeTags);
            return new Tagging(tg.reveal(), List.copyOf(cats), tg.language());
        })).chain(tg -> {
            boolean reveal = tg.reveal();
            String language = tg.language();
            Set<String> cats = new LinkedHashSet<>(tg.ruleTags());
            VotePayload payload = new VotePayload(b.id, b.models.get(0).id(), b.models.get(1).id(), winner, b.mode,
                    b.voterId, b.startedAt, Instant.now(), turns, language, List.copyOf(cats), fa, fb,
                    conv.get(0), conv.get(1));
            return votes.postVote(b.id, b.voterId, payload)
                    .ifNoItem().after(Duration.ofSeconds(10)).fail()
                    .map(receipt -> accept(b, winner, receipt, reveal, List.copyOf(cats), language));
        }).onCancellation().invoke(() -> {
            synchronized (b) {
                if (!b.voted) {
                    b.voting = false;
                }
            }
        }).onFailure().transform(err -> {
            synchronized (b) {
                b.voting = false;
            }
            if (err instanceof ProblemException) {
                return err;
            }
            if (err instanceof WebApplicationException wae && wae.getResponse().getStatus() < 500) {
                String body = "";
                try {
                    body = wae.getResponse().readEntity(String.class);
                } catch (RuntimeException ignored) {
                    body = wae.getMessage();
                }
                return new ProblemException(wae.getResponse().getStatus() == 409 ? 409 : 422, "Vote rejected",
                        "vote-service rejected the vote: " + body);
            }
            return new ProblemException(503, "Vote service unavailable",
                    "the vote could not be stored right now; try again (" + err.getMessage() + ")");
        });
    }

    private record Tagging(boolean reveal, List<String> ruleTags, String language) {
    }

    private VoteResult accept(Battle b, String winner, VoteReceipt receipt, boolean reveal, List<String> cats,
                              String language) {
        Set<String> reasons = new LinkedHashSet<>();
        if (receipt.exclusionReasons() != null) {
            reasons.addAll(receipt.exclusionReasons());
        }
        if (reveal) {
            reasons.add("identity_reveal");
        }
        boolean counted = !receipt.excluded() && !reveal && Battle.ANONY.equals(b.mode);
        VoteResult r = new VoteResult(b.id, winner, receipt.id(), counted, reveal || reasons.contains("identity_reveal"),
                List.copyOf(reasons), cats, language, b.models.get(0).reveal(), b.models.get(1).reveal());
        synchronized (b) {
            b.voting = false;
            b.voted = true;
            b.voteResult = r;
            battles.persist(b);
        }
        return r;
    }

    private static Map<String, Double> features(Battle b, int side) {
        ModelSpec m = b.models.get(side);
        List<String> answers = new ArrayList<>();
        double latency = 0;
        double in = 0;
        double out = 0;
        Long ttft = null;
        for (Battle.Turn t : b.turns) {
            Battle.SideRun r = t.sides[side];
            answers.add(r.text.toString());
            latency += r.latencyMs == null ? 0 : r.latencyMs;
            in += r.inputTokens == null ? 0 : r.inputTokens;
            out += r.outputTokens == null ? 0 : r.outputTokens;
            if (ttft == null) {
                ttft = r.ttftMs;
            }
        }
        Map<String, Double> f = new LinkedHashMap<>(StyleFeatures.ofAnswers(answers).toMap());
        f.put("latency_ms", latency);
        if (ttft != null) {
            f.put("ttft_ms", (double) ttft);
        }
        f.put("input_tokens", in);
        f.put("output_tokens", out);
        f.put("cost_usd", (in * m.inputPrice() + out * m.outputPrice()) / 1_000_000.0);
        if (m.paramsB() != null) {
            f.put("params_b", m.paramsB());
        }
        return f;
    }
}

package dev.colosseum.router.core;

import java.util.Comparator;
import java.util.List;

/**
 * Routing over more than two models. With a quality target τ: the cheapest model whose predicted win
 * probability against the reference (strongest) model is at least τ (the reference itself has ½). With a
 * budget: the model with the highest predicted win probability among those costing at most the budget.
 */
public final class CostAwareSelector {
    /** A candidate model and its cost (any unit, e.g. USD per million tokens). */
    public record Candidate(String model, double cost) {
    }

    /** The chosen model with the win probability that justified it. */
    public record Choice(String model, double winProbability, double cost) {
    }

    private CostAwareSelector() {
    }

    public static Choice byTarget(Router r, Query q, List<Candidate> candidates, String reference, double target) {
        List<Candidate> byCost = candidates.stream().sorted(Comparator.comparingDouble(Candidate::cost)).toList();
        Candidate ref = candidates.stream().filter(c -> c.model().equals(reference)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("reference model " + reference + " is not a candidate"));
        for (Candidate c : byCost) {
            double p = c.model().equals(reference) ? 0.5 : r.winProbability(q, c.model(), reference);
            if (p >= target) {
                return new Choice(c.model(), p, c.cost());
            }
        }
        return new Choice(ref.model(), 0.5, ref.cost());
    }

    public static Choice byBudget(Router r, Query q, List<Candidate> candidates, String reference, double budget) {
        Choice best = null;
        Candidate cheapest = null;
        for (Candidate c : candidates) {
            if (cheapest == null || c.cost() < cheapest.cost()) {
                cheapest = c;
            }
            if (c.cost() > budget) {
                continue;
            }
            double p = c.model().equals(reference) ? 0.5 : r.winProbability(q, c.model(), reference);
            if (best == null || p > best.winProbability() || (p == best.winProbability() && c.cost() < best.cost())) {
                best = new Choice(c.model(), p, c.cost());
            }
        }
        if (best == null) {
            if (cheapest == null) {
                throw new IllegalArgumentException("no candidate models");
            }
            double p = cheapest.model().equals(reference) ? 0.5 : r.winProbability(q, cheapest.model(), reference);
            return new Choice(cheapest.model(), p, cheapest.cost());
        }
        return best;
    }
}

package dev.colosseum.router.core;

/**
 * One pairwise outcome on a prompt: {@code y} = 1 when {@code modelA} won, 0 when {@code modelB} won,
 * 0.5 for a tie (ties are kept, counting half a win each way). {@code group} names where the row came
 * from (a file, a subject) and is used to build cross-fitting folds.
 */
public record Comparison(String prompt, String modelA, String modelB, double y, double weight, String group) {
    public Comparison {
        if (modelA == null || modelB == null || modelA.equals(modelB)) {
            throw new IllegalArgumentException("a comparison needs two different models");
        }
        if (!(y == 0 || y == 0.5 || y == 1)) {
            throw new IllegalArgumentException("outcome must be 0, 0.5 or 1, got " + y);
        }
    }

    public Comparison(String prompt, String modelA, String modelB, double y) {
        this(prompt, modelA, modelB, y, 1.0, "");
    }
}

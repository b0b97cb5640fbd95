package dev.colosseum.ranking;

/** A model's rating against its price; {@code frontier} when no model is both cheaper and better. */
public record ParetoPoint(String model, double rating, double ciLow, double ciHigh, Double price,
                          String priceBasis, boolean frontier) {
}

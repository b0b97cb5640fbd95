package dev.colosseum.ranking;

/** An unordered pair's unnormalised sampling weight. */
public record PairWeight(String modelA, String modelB, double weight) {
}

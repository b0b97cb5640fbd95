package dev.colosseum.ranking;

/** A covariate coefficient γ of style / covariate control, with its confidence interval. */
public record Coefficient(double value, double ciLow, double ciHigh) {
}

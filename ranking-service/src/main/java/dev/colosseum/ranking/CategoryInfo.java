package dev.colosseum.ranking;

/** A category name, its kind (overall, tag, language) and its counted votes. */
public record CategoryInfo(String name, String kind, long votes) {
}

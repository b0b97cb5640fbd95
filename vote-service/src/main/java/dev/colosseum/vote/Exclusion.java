package dev.colosseum.vote;

import java.time.Instant;

/** Why a vote is excluded from leaderboards: the rule and its evidence. */
public record Exclusion(String rule, String detail, Instant decidedAt) {
}

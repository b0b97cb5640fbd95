package dev.colosseum.vote.rest;

import dev.colosseum.vote.ProblemException;
import dev.colosseum.vote.config.VoteConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Checks the admin key (X-Admin-Key or Authorization: Bearer). */
@ApplicationScoped
public class AdminGuard {
    private final VoteConfig config;

    public AdminGuard(VoteConfig config) {
        this.config = config;
    }

    public void check(String adminKeyHeader, String authorization) {
        String given = adminKeyHeader;
        if (given == null && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            given = authorization.substring(7).trim();
        }
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                config.adminKey().getBytes(StandardCharsets.UTF_8))) {
            throw new ProblemException(401, "Unauthorized", "a valid admin key is required (X-Admin-Key)", null);
        }
    }
}

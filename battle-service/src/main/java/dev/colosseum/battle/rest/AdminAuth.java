package dev.colosseum.battle.rest;

import dev.colosseum.battle.ProblemException;
import dev.colosseum.battle.config.BattleConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Checks the admin key from X-Admin-Key or Authorization: Bearer. */
@ApplicationScoped
public class AdminAuth {
    private final BattleConfig config;

    public AdminAuth(BattleConfig config) {
        this.config = config;
    }

    public boolean isAdmin(String xAdminKey, String authorization) {
        String key = xAdminKey;
        if ((key == null || key.isBlank()) && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            key = authorization.substring(7).trim();
        }
        return key != null && MessageDigest.isEqual(key.getBytes(StandardCharsets.UTF_8),
                config.adminKey().getBytes(StandardCharsets.UTF_8));
    }

    public void require(String xAdminKey, String authorization) {
        if (!isAdmin(xAdminKey, authorization)) {
            throw new ProblemException(401, "Unauthorized",
                    "this endpoint needs the admin key in X-Admin-Key or Authorization: Bearer");
        }
    }
}

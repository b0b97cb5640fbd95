package dev.colosseum.ranking.service;

import java.util.Locale;

/** Confidence interval methods (METHODS.md "Confidence intervals and rank"). */
public enum CiMethod {
    SANDWICH, BOOTSTRAP, SIMULTANEOUS;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a query value; null when it is not one of the methods. */
    public static CiMethod parse(String s) {
        if (s == null || s.isBlank()) {
            return SANDWICH;
        }
        for (CiMethod m : values()) {
            if (m.label().equals(s.trim().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        return null;
    }
}

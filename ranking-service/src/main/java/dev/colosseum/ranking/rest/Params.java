package dev.colosseum.ranking.rest;

import dev.colosseum.ranking.BadRequestException;

import java.util.Locale;

/** Strict parsing of query parameters: anything unexpected is a 400 naming the parameter. */
final class Params {
    private Params() {
    }

    static boolean bool(String name, String value, boolean dflt) {
        if (value == null || value.isBlank()) {
            return dflt;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new BadRequestException(name, name + " must be true or false, got '" + value + "'");
        };
    }

    static int integer(String name, String value, int dflt, int min, int max) {
        if (value == null || value.isBlank()) {
            return dflt;
        }
        try {
            int v = Integer.parseInt(value.trim());
            if (v < min || v > max) {
                throw new BadRequestException(name, name + " must be within " + min + ".." + max + ", got " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new BadRequestException(name, name + " must be an integer, got '" + value + "'");
        }
    }

    static long longValue(String name, String value, long dflt) {
        if (value == null || value.isBlank()) {
            return dflt;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new BadRequestException(name, name + " must be an integer, got '" + value + "'");
        }
    }

    static double number(String name, String value, double dflt, double min, double max) {
        if (value == null || value.isBlank()) {
            return dflt;
        }
        try {
            double v = Double.parseDouble(value.trim());
            if (!(v >= min && v <= max)) {
                throw new BadRequestException(name, name + " must be within " + min + ".." + max + ", got " + value);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new BadRequestException(name, name + " must be a number, got '" + value + "'");
        }
    }
}

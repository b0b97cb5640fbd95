package dev.colosseum.vote;

/** The shape of a model id. */
public final class ModelIds {
    public static final String PATTERN = "[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,127}";

    private ModelIds() {
    }
}

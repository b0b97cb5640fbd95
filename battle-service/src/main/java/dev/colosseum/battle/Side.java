package dev.colosseum.battle;

/** Left (a) or right (b) pane of a battle. Direct chat uses only {@link #A}. */
public enum Side {
    A, B;

    public String wire() {
        return this == A ? "a" : "b";
    }
}

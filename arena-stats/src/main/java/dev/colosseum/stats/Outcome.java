package dev.colosseum.stats;

/** The result of one battle, as FastChat's {@code winner} field spells it. */
public enum Outcome {
    MODEL_A("model_a", 1.0),
    MODEL_B("model_b", 0.0),
    TIE("tie", 0.5),
    TIE_BOTHBAD("tie (bothbad)", 0.5);

    private static final Outcome[] VALUES = values();
    private final String label;
    private final double y;

    Outcome(String label, double y) {
        this.label = label;
        this.y = y;
    }

    /** The FastChat spelling: model_a, model_b, tie, tie (bothbad). */
    public String label() {
        return label;
    }

    /** Score of side A: 1 win, 0 loss, 0.5 tie. */
    public double y() {
        return y;
    }

    public boolean isTie() {
        return this == TIE || this == TIE_BOTHBAD;
    }

    /** Compact code used by {@link BattleSet} (the ordinal). */
    public byte code() {
        return (byte) ordinal();
    }

    public static Outcome ofCode(byte code) {
        return VALUES[code];
    }

    /** Parses a FastChat winner label; returns null when unknown. */
    public static Outcome parse(String s) {
        if (s == null) {
            return null;
        }
        switch (s) {
            case "model_a": return MODEL_A;
            case "model_b": return MODEL_B;
            case "tie": return TIE;
            case "tie (bothbad)": return TIE_BOTHBAD;
            default: return null;
        }
    }
}

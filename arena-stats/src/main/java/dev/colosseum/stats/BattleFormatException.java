package dev.colosseum.stats;

/** A bad row ended a strict read; the message names the line. */
public final class BattleFormatException extends RuntimeException {
    private final transient BadRow badRow;

    public BattleFormatException(BadRow badRow) {
        super(badRow.message());
        this.badRow = badRow;
    }

    public BadRow badRow() {
        return badRow;
    }
}

package dev.colosseum.ranking;

/** A client error about one parameter: becomes 400 problem+json naming the field. */
public class BadRequestException extends RuntimeException {
    private final String field;

    public BadRequestException(String field, String detail) {
        super(detail);
        this.field = field;
    }

    public String field() {
        return field;
    }
}

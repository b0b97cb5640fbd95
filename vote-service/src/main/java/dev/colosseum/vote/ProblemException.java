package dev.colosseum.vote;

/** Ends a request with a problem+json answer. */
public class ProblemException extends RuntimeException {
    private final int status;
    private final String title;
    private final String field;
    private final Long retryAfterSeconds;

    public ProblemException(int status, String title, String detail, String field) {
        this(status, title, detail, field, null);
    }

    public ProblemException(int status, String title, String detail, String field, Long retryAfterSeconds) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.field = field;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String field() {
        return field;
    }

    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public Problem toProblem() {
        String type = "https://colosseum.dev/problems/" + title.toLowerCase().replaceAll("[^a-z0-9]+", "-");
        return new Problem(type, title, status, getMessage(), field);
    }
}

package dev.colosseum.battle;

/** Thrown anywhere to answer with a problem+json response. */
public class ProblemException extends RuntimeException {
    private final Problem problem;

    public ProblemException(int status, String title, String detail, String field) {
        super(detail);
        this.problem = Problem.of(status, title, detail, field);
    }

    public ProblemException(int status, String title, String detail) {
        this(status, title, detail, null);
    }

    public Problem problem() {
        return problem;
    }
}

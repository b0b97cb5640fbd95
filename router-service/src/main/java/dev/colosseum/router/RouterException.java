package dev.colosseum.router;

/** A client error to be reported in OpenAI's error shape with an HTTP status. */
public class RouterException extends RuntimeException {
    private final int status;
    private final String type;
    private final String param;
    private final String code;

    public RouterException(int status, String message, String type, String param, String code) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    public static RouterException badRequest(String message, String param) {
        return new RouterException(400, message, "invalid_request_error", param, null);
    }

    public static RouterException modelNotFound(String message) {
        return new RouterException(404, message, "invalid_request_error", "model", "model_not_found");
    }

    public int status() {
        return status;
    }

    public OpenAiError body() {
        return OpenAiError.of(getMessage(), type, param, code);
    }
}

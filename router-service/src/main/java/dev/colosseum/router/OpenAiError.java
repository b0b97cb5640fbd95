package dev.colosseum.router;

/** OpenAI's error body: {"error": {"message", "type", "param", "code"}}. */
public record OpenAiError(Body error) {
    /** The inner object. */
    public record Body(String message, String type, String param, String code) {
    }

    public static OpenAiError of(String message, String type, String param, String code) {
        return new OpenAiError(new Body(message, type, param, code));
    }
}

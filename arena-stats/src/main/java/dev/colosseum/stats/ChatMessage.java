package dev.colosseum.stats;

/** One OpenAI-style message of a conversation ({@code role} is user, assistant or system). */
public record ChatMessage(String role, String content) {
    public boolean isAssistant() {
        return "assistant".equals(role);
    }

    public boolean isUser() {
        return "user".equals(role);
    }
}

package dev.colosseum.vote;

import java.util.List;

/** The two sides of a battle's conversation. */
public record Conversation(long voteId, List<Message> conversationA, List<Message> conversationB) {
}

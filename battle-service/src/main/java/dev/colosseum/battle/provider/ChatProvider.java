package dev.colosseum.battle.provider;

import dev.colosseum.battle.ChatMessage;
import dev.colosseum.battle.ModelSpec;

import java.util.List;

/** Streams one assistant answer for a conversation that ends with a user message. */
public interface ChatProvider {
    StreamHandle stream(ModelSpec model, List<ChatMessage> history, long seed, StreamListener listener);
}

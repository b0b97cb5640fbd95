package dev.colosseum.battle.provider;

import dev.colosseum.battle.ChatMessage;
import dev.colosseum.battle.DaemonThreads;
import dev.colosseum.battle.GenerationParams;
import dev.colosseum.battle.ModelSpec;
import dev.colosseum.battle.config.BattleConfig;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.http.client.jdk.JdkHttpClientBuilder;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.googleai.GoogleAiGeminiStreamingChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.output.TokenUsage;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Real providers through langchain4j: any OpenAI-compatible endpoint (OpenAI, vLLM, Ollama /v1,
 * LM Studio, gateways), Anthropic and Google Gemini, all streaming. Clients are built from the
 * registry entry and cached per entry.
 */
@ApplicationScoped
public class Langchain4jProvider implements ChatProvider {
    private final BattleConfig config;
    private final Map<ModelSpec, StreamingChatModel> clients = new ConcurrentHashMap<>();
    private final ExecutorService starter = Executors.newCachedThreadPool(DaemonThreads.named("provider-call"));

    public Langchain4jProvider(BattleConfig config) {
        this.config = config;
    }

    @Override
    public StreamHandle stream(ModelSpec model, List<ChatMessage> history, long seed, StreamListener listener) {
        StreamingChatModel client;
        try {
            client = clients.computeIfAbsent(model, this::build);
        } catch (IllegalStateException e) {
            listener.onError("provider_config", e.getMessage());
            return () -> { };
        }
        AtomicBoolean cancelled = new AtomicBoolean();
        AtomicBoolean finished = new AtomicBoolean();
        AtomicReference<StreamingHandle> upstream = new AtomicReference<>();
        StringBuilder seen = new StringBuilder();
        ChatRequest request = ChatRequest.builder().messages(history.stream().map(Langchain4jProvider::toMessage).toList())
                .build();
        StreamingChatResponseHandler handler = new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
                upstream.compareAndSet(null, context.streamingHandle());
                if (cancelled.get()) {
                    context.streamingHandle().cancel();
                    return;
                }
                String text = partial.text();
                if (text != null && !text.isEmpty()) {
                    seen.append(text);
                    listener.onDelta(text);
                }
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                if (cancelled.get() || !finished.compareAndSet(false, true)) {
                    return;
                }
                String text = response.aiMessage() == null ? null : response.aiMessage().text();
                if ((text == null || text.isBlank()) && seen.length() == 0) {
                    listener.onError("empty_response", "the provider returned no text");
                    return;
                }
                TokenUsage usage = response.tokenUsage();
                listener.onComplete(usage == null ? null : usage.inputTokenCount(),
                        usage == null ? null : usage.outputTokenCount());
            }

            @Override
            public void onError(Throwable error) {
                if (cancelled.get() || !finished.compareAndSet(false, true)) {
                    return;
                }
                listener.onError(isTimeout(error) ? "timeout" : "provider_error", describe(error));
            }
        };
        // langchain4j clients may block the calling thread while connecting: never on the event loop
        starter.execute(() -> {
            if (cancelled.get()) {
                return;
            }
            try {
                client.chat(request, handler);
            } catch (RuntimeException e) {
                if (finished.compareAndSet(false, true)) {
                    listener.onError(isTimeout(e) ? "timeout" : "provider_error", describe(e));
                }
            }
        });
        return () -> {
            cancelled.set(true);
            StreamingHandle h = upstream.get();
            if (h != null) {
                h.cancel();
            }
        };
    }

    @PreDestroy
    void stop() {
        starter.shutdownNow();
    }

    static boolean isTimeout(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.http.HttpTimeoutException || t instanceof java.net.SocketTimeoutException
                    || t instanceof java.util.concurrent.TimeoutException
                    || t.getClass().getSimpleName().contains("Timeout")) {
                return true;
            }
        }
        return false;
    }

    static String describe(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t && (t.getMessage() == null || t.getMessage().isBlank())) {
            t = t.getCause();
        }
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return msg.length() > 300 ? msg.substring(0, 300) : msg;
    }

    private static dev.langchain4j.data.message.ChatMessage toMessage(ChatMessage m) {
        return switch (m.role()) {
            case "assistant" -> AiMessage.from(m.content());
            case "system" -> SystemMessage.from(m.content());
            default -> UserMessage.from(m.content());
        };
    }

    private StreamingChatModel build(ModelSpec m) {
        String key = null;
        if (m.apiKeyEnv() != null && !m.apiKeyEnv().isBlank()) {
            key = System.getenv(m.apiKeyEnv());
            if (key == null || key.isBlank()) {
                throw new IllegalStateException("environment variable " + m.apiKeyEnv() + " holding the API key of "
                        + m.id() + " is not set");
            }
        }
        GenerationParams g = m.generationOrDefault();
        Duration timeout = config.providerTimeout();
        var http = new JdkHttpClientBuilder()
                .httpClientBuilder(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5)))
                .connectTimeout(Duration.ofSeconds(5)).readTimeout(timeout);
        return switch (m.provider()) {
            case "openai" -> OpenAiStreamingChatModel.builder()
                    .httpClientBuilder(http)
                    .baseUrl(m.baseUrl() == null ? "https://api.openai.com/v1" : m.baseUrl())
                    .apiKey(key == null ? "none" : key)
                    .modelName(m.upstreamModel() == null ? m.id() : m.upstreamModel())
                    .temperature(g.temperature()).maxTokens(g.maxTokens())
                    .timeout(timeout).build();
            case "anthropic" -> AnthropicStreamingChatModel.builder()
                    .httpClientBuilder(http)
                    .baseUrl(m.baseUrl() == null ? "https://api.anthropic.com/v1/" : m.baseUrl())
                    .apiKey(key == null ? "none" : key)
                    .modelName(m.upstreamModel() == null ? m.id() : m.upstreamModel())
                    .temperature(g.temperature()).maxTokens(g.maxTokens() == null ? 1024 : g.maxTokens())
                    .timeout(timeout).build();
            case "gemini" -> {
                var b = GoogleAiGeminiStreamingChatModel.builder()
                        .httpClientBuilder(http)
                        .apiKey(key == null ? "none" : key)
                        .modelName(m.upstreamModel() == null ? m.id() : m.upstreamModel())
                        .temperature(g.temperature()).maxOutputTokens(g.maxTokens())
                        .timeout(timeout);
                if (m.baseUrl() != null) {
                    b.baseUrl(m.baseUrl());
                }
                yield b.build();
            }
            default -> throw new IllegalStateException("unknown provider " + m.provider() + " for " + m.id());
        };
    }
}

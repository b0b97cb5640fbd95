package dev.colosseum.vote.service;

import dev.colosseum.vote.Message;
import dev.colosseum.vote.config.VoteConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Flags votes whose answers name a model or vendor. Only assistant messages are checked: a user asking
 * "are you ChatGPT?" reveals nothing, the answer "I am ChatGPT" does.
 */
@ApplicationScoped
public class IdentityRevealFilter {
    private final Pattern pattern;

    public IdentityRevealFilter(VoteConfig config) {
        String alternatives = config.hygiene().revealTerms().stream()
                .map(String::trim).filter(t -> !t.isEmpty())
                .sorted((a, b) -> b.length() - a.length())
                .map(Pattern::quote)
                .collect(Collectors.joining("|"));
        this.pattern = Pattern.compile("(?<![\\p{L}\\p{N}_])(" + alternatives + ")(?![\\p{L}\\p{N}_])",
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    /** The evidence when an answer reveals an identity, e.g. {@code "answer b, message 2 names 'claude'"}. */
    public Optional<String> check(List<Message> conversationA, List<Message> conversationB) {
        Optional<String> a = check("a", conversationA);
        return a.isPresent() ? a : check("b", conversationB);
    }

    private Optional<String> check(String side, List<Message> conversation) {
        if (conversation == null) {
            return Optional.empty();
        }
        for (int i = 0; i < conversation.size(); i++) {
            Message m = conversation.get(i);
            if (m == null || !"assistant".equals(m.role()) || m.content() == null) {
                continue;
            }
            Matcher matcher = pattern.matcher(m.content());
            if (matcher.find()) {
                return Optional.of("answer " + side + ", message " + (i + 1) + " names '"
                        + matcher.group(1).toLowerCase(Locale.ROOT) + "'");
            }
        }
        return Optional.empty();
    }
}

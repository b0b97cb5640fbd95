package dev.colosseum.stats;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StyleFeaturesTest {

    @Test
    void countsMarkdownOutsideFencedCode() {
        String answer = "# Title\n"
                + "## Sub\n"
                + "####### not a header\n"
                + "#nospace\n"
                + "1. first\n"
                + "  2. second\n"
                + "- dash\n"
                + "* star\n"
                + "+ plus\n"
                + "**bold one** and __bold two__ and **not\nbold**\n"
                + "```python\n# comment, not a header\n- not a list\n**not bold**\n```\n"
                + "after code";
        StyleFeatures f = StyleFeatures.ofText(answer);
        assertEquals(2, f.headers());
        assertEquals(5, f.lists());
        assertEquals(2, f.bold());
        assertEquals(StyleFeatures.countTokens(answer), f.tokens());
    }

    @Test
    void tokensUseCl100kBase() {
        assertEquals(2, StyleFeatures.countTokens("hello world"));
        assertEquals(0, StyleFeatures.countTokens(""));
        // special-token text counts as ordinary text instead of failing
        assertEquals(StyleFeatures.countTokens("<|endoftext|>"), StyleFeatures.ofText("<|endoftext|>").tokens());
    }

    @Test
    void conversationSumsAssistantTurnsOnly() {
        List<ChatMessage> conv = List.of(
                new ChatMessage("user", "# user header does not count"),
                new ChatMessage("assistant", "# A\n- x"),
                new ChatMessage("user", "more"),
                new ChatMessage("assistant", "**b**"));
        StyleFeatures f = StyleFeatures.ofConversation(conv);
        assertEquals(1, f.headers());
        assertEquals(1, f.lists());
        assertEquals(1, f.bold());
        assertEquals(StyleFeatures.countTokens("# A\n- x") + StyleFeatures.countTokens("**b**"), f.tokens());
    }
}

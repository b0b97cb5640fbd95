package dev.colosseum.stats;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The four standard style features of one side of a battle (METHODS.md, Style control): assistant
 * tokens (cl100k_base, summed over turns), markdown headers (h1-h6), list items (ordered +
 * unordered) and bold spans, the last three counted after removing fenced code blocks.
 */
public record StyleFeatures(double tokens, double headers, double lists, double bold) {

    public static final String TOKENS = "tokens";
    public static final String HEADERS = "headers";
    public static final String LISTS = "lists";
    public static final String BOLD = "bold";
    /** The standard feature names in their canonical order. */
    public static final List<String> NAMES = List.of(TOKENS, HEADERS, LISTS, BOLD);

    private static final int FLAGS = Pattern.MULTILINE | Pattern.UNICODE_CHARACTER_CLASS;
    private static final Pattern CODE_BLOCK = Pattern.compile("```[^`]*```");
    private static final Pattern HEADER = Pattern.compile("^#{1,6}\\s", FLAGS);
    private static final Pattern ORDERED = Pattern.compile("^\\s*\\d+\\.\\s", FLAGS);
    private static final Pattern UNORDERED = Pattern.compile("^\\s*[-*+]\\s", FLAGS);
    private static final Pattern BOLD_STARS = Pattern.compile("\\*\\*[^*\\n]+\\*\\*", FLAGS);
    private static final Pattern BOLD_UNDERSCORES = Pattern.compile("__[^_\\n]+__", FLAGS);

    private static final class Tokenizer {
        static final Encoding CL100K = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
    }

    public static final StyleFeatures ZERO = new StyleFeatures(0, 0, 0, 0);

    /** Features of the assistant turns of an OpenAI-style conversation (other roles are ignored). */
    public static StyleFeatures ofConversation(List<ChatMessage> conversation) {
        double tokens = 0;
        double headers = 0;
        double lists = 0;
        double bold = 0;
        if (conversation != null) {
            for (ChatMessage m : conversation) {
                if (m == null || !m.isAssistant() || m.content() == null) {
                    continue;
                }
                StyleFeatures f = ofText(m.content());
                tokens += f.tokens;
                headers += f.headers;
                lists += f.lists;
                bold += f.bold;
            }
        }
        return new StyleFeatures(tokens, headers, lists, bold);
    }

    /** Features of a list of assistant answers (one per turn). */
    public static StyleFeatures ofAnswers(List<String> answers) {
        double tokens = 0, headers = 0, lists = 0, bold = 0;
        for (String a : answers) {
            if (a == null) {
                continue;
            }
            StyleFeatures f = ofText(a);
            tokens += f.tokens;
            headers += f.headers;
            lists += f.lists;
            bold += f.bold;
        }
        return new StyleFeatures(tokens, headers, lists, bold);
    }

    /** Features of one assistant answer. */
    public static StyleFeatures ofText(String answer) {
        if (answer == null || answer.isEmpty()) {
            return ZERO;
        }
        int tokens = countTokens(answer);
        String text = CODE_BLOCK.matcher(answer).replaceAll("");
        int headers = count(HEADER, text);
        int lists = count(ORDERED, text) + count(UNORDERED, text);
        int bold = count(BOLD_STARS, text) + count(BOLD_UNDERSCORES, text);
        return new StyleFeatures(tokens, headers, lists, bold);
    }

    /** cl100k_base token count of a text (special-token strings count as ordinary text). */
    public static int countTokens(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        return Tokenizer.CL100K.countTokensOrdinary(text);
    }

    private static int count(Pattern p, String text) {
        Matcher m = p.matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** Value by standard name; throws for an unknown name. */
    public double get(String name) {
        switch (name) {
            case TOKENS: return tokens;
            case HEADERS: return headers;
            case LISTS: return lists;
            case BOLD: return bold;
            default: throw new IllegalArgumentException("unknown style feature: " + name);
        }
    }

    /** The four features as a name-to-value map in canonical order. */
    public Map<String, Double> toMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(TOKENS, tokens);
        m.put(HEADERS, headers);
        m.put(LISTS, lists);
        m.put(BOLD, bold);
        return m;
    }
}

package dev.colosseum.battle.service;

import com.optimaize.langdetect.LanguageDetector;
import com.optimaize.langdetect.LanguageDetectorBuilder;
import com.optimaize.langdetect.i18n.LdLocale;
import com.optimaize.langdetect.ngram.NgramExtractors;
import com.optimaize.langdetect.profiles.LanguageProfileReader;
import com.optimaize.langdetect.text.CommonTextObjectFactories;
import dev.colosseum.stats.StyleFeatures;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Rule-based category tags of a battle (METHODS.md, "Categories"): coding, math, longer query
 * (≥ 500 prompt tokens), multi-turn (≥ 2 turns) and the prompt language.
 */
@Startup
@ApplicationScoped
public class CategoryTagger {
    public static final int LONGER_QUERY_TOKENS = 500;
    private static final Pattern CODE = Pattern.compile("```|(?m)^\\s{4,}\\S.*[;{}()]\\s*$"
            + "|(?i)\\b(python|javascript|typescript|java|c\\+\\+|c#|golang|rust|kotlin|swift|sql|bash|shell script"
            + "|regex|html|css|json|yaml|dockerfile|function|compile[rd]?|debug|stack ?trace|segfault|exception"
            + "|refactor|unit test|api endpoint|algorithm)\\b|\\b(def|class|import|public static|console\\.log|#include)\\s");
    private static final Pattern MATH = Pattern.compile("(?i)\\b(solve|equation|integral|derivative|probability"
            + "|theorem|prove|proof|matrix|eigen\\w*|polynomial|calculate|compute|arithmetic|algebra|geometry"
            + "|calculus|prime numbers?|factorial|logarithm|percent(age)?)\\b|\\d+\\s*[-+*/^×÷=]\\s*\\d+|\\\\frac|√");

    private final LanguageDetector detector;

    public CategoryTagger() {
        try {
            detector = LanguageDetectorBuilder.create(NgramExtractors.standard())
                    .withProfiles(new LanguageProfileReader().readAllBuiltIn()).build();
            // load the cl100k_base tables now rather than on the first request
            StyleFeatures.countTokens("warm up the tokenizer");
        } catch (IOException e) {
            throw new IllegalStateException("language profiles missing", e);
        }
    }

    public List<String> tags(List<String> prompts) {
        List<String> out = new ArrayList<>();
        String all = String.join("\n", prompts);
        if (CODE.matcher(all).find()) {
            out.add("coding");
        }
        if (MATH.matcher(all).find()) {
            out.add("math");
        }
        int tokens = prompts.stream().mapToInt(StyleFeatures::countTokens).sum();
        if (tokens >= LONGER_QUERY_TOKENS) {
            out.add("longer_query");
        }
        if (prompts.size() >= 2) {
            out.add("multi_turn");
        }
        return out;
    }

    /** English name of the prompt language ("English", "German", ...), or "unknown". */
    public String language(String text) {
        String sample = text.length() > 2000 ? text.substring(0, 2000) : text;
        Optional<LdLocale> found = Optional.empty();
        try {
            var obj = CommonTextObjectFactories.forDetectingOnLargeText().forText(sample);
            found = Optional.ofNullable(detector.detect(obj).orNull());
            if (found.isEmpty()) {
                var probs = detector.getProbabilities(obj);
                if (!probs.isEmpty() && probs.get(0).getProbability() > 0.5) {
                    found = Optional.of(probs.get(0).getLocale());
                }
            }
        } catch (RuntimeException e) {
            return "unknown";
        }
        return found.map(l -> {
            String name = Locale.forLanguageTag(l.getLanguage()).getDisplayLanguage(Locale.ENGLISH);
            return name.isBlank() ? l.getLanguage() : name;
        }).orElse("unknown");
    }
}

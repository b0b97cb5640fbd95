package dev.colosseum.router.core;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cheap features of a prompt's text that predict how hard it is: length, digits and numbers, arithmetic
 * and formula symbols, code, multiple-choice structure and negated questions, and for word problems the
 * number of sentences and quantities (digits and number words), relation and condition words, percentages,
 * fractions, decimals, units and money. All are squashed (log1p or fractions) so they sit on comparable scales.
 * New features are only ever appended: a model saved earlier reads the first columns it was trained on.
 */
public final class PromptFeatures {
    public static final String[] NAMES = {
        "log_chars", "log_words", "log_lines", "digit_frac", "log_numbers", "log_math_symbols", "has_latex",
        "has_code", "question_marks", "choice_count", "numeric_choices", "log_mean_choice_len", "negation",
        "statement_pair", "log_longest_word", "upper_frac", "log_stem_chars", "passage",
        "log_sentences", "log_quantities", "log_distinct_numbers", "log_relation_words", "has_percent", "has_fraction",
        "has_decimal", "loglog_max_number", "log_units", "has_money", "log_condition_words"
    };
    public static final int SIZE = NAMES.length;

    private static final Pattern NUMBER = Pattern.compile("\\d+(?:[.,]\\d+)?");
    private static final Pattern CHOICE = Pattern.compile("(?m)^\\s*\\(?([A-J])[.)]\\s+(.*)$");
    private static final Pattern MATH = Pattern.compile("[=+*/^<>%$×÷√∫∑π]|\\b(?:sqrt|log|sin|cos|tan|mod)\\b");
    private static final Pattern NEGATION = Pattern.compile("\\b(?:NOT|EXCEPT|LEAST|not true|incorrect|false)\\b");
    private static final Pattern CODE = Pattern.compile("```|\\b(?:def|class|return|import|public|void|function|printf|#include)\\b|[{};]\\s*$",
            Pattern.MULTILINE);

    private static final Pattern QUANTITY = Pattern.compile("\\d+(?:[.,]\\d+)*");
    private static final Pattern NUMBER_WORD = Pattern.compile("(?i)\\b(?:one|two|three|four|five|six|seven|eight|nine|ten|"
            + "eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|thousand|million|dozen|half|twice|double|triple|"
            + "thrice|third|quarter|fourth|fifth)\\b");
    private static final Pattern SENTENCE_END = Pattern.compile("[.!?](?:\\s|$)");
    private static final Pattern RELATION = Pattern.compile("(?i)\\b(?:more|less|fewer|times|each|per|every|total|remaining|"
            + "remainder|left|rest|twice|half|percent|split|share|shared|divided?|average|difference|sum|product|ratio|"
            + "increase[sd]?|decrease[sd]?|costs?|spends?|spent|profit|discount|rate|speed|longer|shorter|older|younger|than)\\b");
    private static final Pattern PERCENT = Pattern.compile("(?i)%|\\bpercent");
    private static final Pattern FRACTION = Pattern.compile("(?i)\\d+\\s*/\\s*\\d+|\\b(?:half|third|quarter|fourth|fifth|tenth)s?\\b");
    private static final Pattern DECIMAL = Pattern.compile("\\d+\\.\\d+");
    private static final Pattern UNIT = Pattern.compile("(?i)\\b(?:hours?|minutes?|seconds?|days?|weeks?|months?|years?|miles?|"
            + "km|kilometers?|meters?|feet|foot|inches?|pounds?|ounces?|kg|grams?|liters?|gallons?|mph)\\b");
    private static final Pattern MONEY = Pattern.compile("(?i)\\$|\\bdollars?\\b|\\bcents?\\b");
    private static final Pattern CONDITION = Pattern.compile("(?i)\\b(?:if|after|before|until|then|while|when|instead|only|but)\\b");

    private PromptFeatures() {
    }

    public static double[] of(String text) {
        String t = text == null ? "" : text;
        double[] f = new double[SIZE];
        int chars = t.length();
        String[] words = t.trim().isEmpty() ? new String[0] : t.trim().split("\\s+");
        int lines = t.isEmpty() ? 0 : t.split("\n", -1).length;
        int digits = 0;
        int upper = 0;
        int letters = 0;
        for (int i = 0; i < chars; i++) {
            char c = t.charAt(i);
            if (Character.isDigit(c)) {
                digits++;
            }
            if (Character.isLetter(c)) {
                letters++;
                if (Character.isUpperCase(c)) {
                    upper++;
                }
            }
        }
        int numbers = count(NUMBER.matcher(t));
        int math = count(MATH.matcher(t));
        int longest = 0;
        for (String w : words) {
            longest = Math.max(longest, w.length());
        }
        Matcher cm = CHOICE.matcher(t);
        int choices = 0;
        int numericChoices = 0;
        long choiceLen = 0;
        int firstChoice = -1;
        while (cm.find()) {
            if (firstChoice < 0) {
                firstChoice = cm.start();
            }
            choices++;
            String body = cm.group(2).trim();
            choiceLen += body.length();
            if (!body.isEmpty() && NUMBER.matcher(body).lookingAt()) {
                numericChoices++;
            }
        }
        int stem = firstChoice < 0 ? chars : firstChoice;
        f[0] = Math.log1p(chars);
        f[1] = Math.log1p(words.length);
        f[2] = Math.log1p(lines);
        f[3] = chars == 0 ? 0 : (double) digits / chars;
        f[4] = Math.log1p(numbers);
        f[5] = Math.log1p(math);
        f[6] = t.contains("\\frac") || t.contains("$") || t.contains("\\(") ? 1 : 0;
        f[7] = CODE.matcher(t).find() ? 1 : 0;
        f[8] = Math.log1p(t.chars().filter(c -> c == '?').count());
        f[9] = choices;
        f[10] = choices == 0 ? 0 : (double) numericChoices / choices;
        f[11] = choices == 0 ? 0 : Math.log1p((double) choiceLen / choices);
        f[12] = NEGATION.matcher(t).find() ? 1 : 0;
        f[13] = t.contains("Statement 1") ? 1 : 0;
        f[14] = Math.log1p(longest);
        f[15] = letters == 0 ? 0 : (double) upper / letters;
        f[16] = Math.log1p(stem);
        f[17] = t.contains("refers to the following") || t.contains("passage") ? 1 : 0;
        wordProblem(t, f, 18);
        return f;
    }

    /** The word-problem features, written from {@code f[o]} on. */
    private static void wordProblem(String t, double[] f, int o) {
        Matcher m = QUANTITY.matcher(t);
        java.util.Set<String> distinct = new java.util.HashSet<>();
        double max = 0;
        int numbers = 0;
        while (m.find()) {
            numbers++;
            String v = m.group().replace(",", "");
            distinct.add(v);
            try {
                max = Math.max(max, Double.parseDouble(v));
            } catch (NumberFormatException e) {
                // "1.2.3": not one number
            }
        }
        f[o] = Math.log1p(count(SENTENCE_END.matcher(t)));
        f[o + 1] = Math.log1p(numbers + count(NUMBER_WORD.matcher(t)));
        f[o + 2] = Math.log1p(distinct.size());
        f[o + 3] = Math.log1p(count(RELATION.matcher(t)));
        f[o + 4] = PERCENT.matcher(t).find() ? 1 : 0;
        f[o + 5] = FRACTION.matcher(t).find() ? 1 : 0;
        f[o + 6] = DECIMAL.matcher(t).find() ? 1 : 0;
        f[o + 7] = Math.log1p(Math.log1p(max));
        f[o + 8] = Math.log1p(count(UNIT.matcher(t)));
        f[o + 9] = MONEY.matcher(t).find() ? 1 : 0;
        f[o + 10] = Math.log1p(count(CONDITION.matcher(t)));
    }

    private static int count(Matcher m) {
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}

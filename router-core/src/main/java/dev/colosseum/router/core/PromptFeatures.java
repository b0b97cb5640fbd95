package dev.colosseum.router.core;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cheap features of a prompt's text that predict how hard it is: length, digits and numbers, arithmetic
 * and formula symbols, code, multiple-choice structure and negated questions, and for word problems the
 * number of sentences and quantities (digits and number words), relation and condition words, percentages,
 * fractions, decimals, units and money, and (session 5) how alike a multiple-choice question's options are. All are
 * squashed (log1p or fractions) so they sit on comparable scales.
 * New features are only ever appended: a model saved earlier reads the first columns it was trained on.
 */
public final class PromptFeatures {
    public static final String[] NAMES = {
        "log_chars", "log_words", "log_lines", "digit_frac", "log_numbers", "log_math_symbols", "has_latex",
        "has_code", "question_marks", "choice_count", "numeric_choices", "log_mean_choice_len", "negation",
        "statement_pair", "log_longest_word", "upper_frac", "log_stem_chars", "passage",
        "log_sentences", "log_quantities", "log_distinct_numbers", "log_relation_words", "has_percent", "has_fraction",
        "has_decimal", "loglog_max_number", "log_units", "has_money", "log_condition_words",
        "choice_overlap_mean", "choice_overlap_max", "formula_choices"
    };
    public static final int SIZE = NAMES.length;

    private static final Pattern NUMBER = Pattern.compile("\\d+(?:[.,]\\d+)?");
    private static final Pattern CHOICE = Pattern.compile("(?m)^\\s*\\(?([A-J])[.)]\\s+(.*)$");
    private static final Pattern MATH = Pattern.compile("[=+*/^<>%$×÷√∫∑π]|\\b(?:sqrt|log|sin|cos|tan|mod)\\b");
    /** Options of the choice-overlap features: lines "A. text" to "H. text" (I and J would catch Roman numerals). */
    private static final Pattern OPTION = Pattern.compile("(?m)^[A-H]\\. (.*)$");
    /** An option made only of numbers, signs and simple formula characters (after lower-casing). */
    private static final Pattern FORMULA_OPTION = Pattern.compile("[-$0-9.,/ %()e^x*+]+");
    private static final Pattern NON_WORD = Pattern.compile("\\W+");
    private static final Pattern NEGATION = Pattern.compile("\\b(?:NOT|EXCEPT|LEAST|not true|incorrect|false)\\b");
    private static final Pattern CODE = Pattern.compile("```|\\b(?:def|class|return|import|public|void|function|printf|#include)\\b|[{};]\\s*$",
            Pattern.MULTILINE);

    // Word lists of the word-problem features, matched against whole words (maximal runs of letters, digits and _; ASCII
    // case-insensitive), as the regex \b(?:...)\b with (?i) would, but in one pass with set look-ups.
    private static final java.util.Set<String> NUMBER_WORDS = java.util.Set.of("one", "two", "three", "four", "five", "six",
            "seven", "eight", "nine", "ten", "eleven", "twelve", "fifteen", "twenty", "thirty", "forty", "fifty", "hundred",
            "thousand", "million", "dozen", "half", "twice", "double", "triple", "thrice", "third", "quarter", "fourth", "fifth");
    private static final java.util.Set<String> RELATION_WORDS = java.util.Set.of("more", "less", "fewer", "times", "each", "per",
            "every", "total", "remaining", "remainder", "left", "rest", "twice", "half", "percent", "split", "share", "shared",
            "divide", "divided", "average", "difference", "sum", "product", "ratio", "increase", "increases", "increased",
            "decrease", "decreases", "decreased", "cost", "costs", "spend", "spends", "spent", "profit",
            "discount", "rate", "speed", "longer", "shorter", "older", "younger", "than");
    private static final java.util.Set<String> FRACTION_WORDS = java.util.Set.of("half", "halfs", "third", "thirds", "quarter",
            "quarters", "fourth", "fourths", "fifth", "fifths", "tenth", "tenths");
    private static final java.util.Set<String> UNIT_WORDS = java.util.Set.of("hour", "hours", "minute", "minutes", "second",
            "seconds", "day", "days", "week", "weeks", "month", "months", "year", "years", "mile", "miles", "km", "kilometer",
            "kilometers", "meter", "meters", "feet", "foot", "inch", "inches", "pound", "pounds", "ounce", "ounces", "kg", "gram",
            "grams", "liter", "liters", "gallon", "gallons", "mph");
    private static final java.util.Set<String> MONEY_WORDS = java.util.Set.of("dollar", "dollars", "cent", "cents");
    private static final int MAX_LISTED_WORD = 10;
    private static final java.util.Set<String> CONDITION_WORDS = java.util.Set.of("if", "after", "before", "until", "then",
            "while", "when", "instead", "only", "but");

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
        options(t, f, 29);
        return f;
    }

    /**
     * How alike the options of a multiple-choice question are, written at {@code f[o]}: the mean and the largest
     * Jaccard similarity of the word sets (lower-cased, split at non-word characters) over pairs of options, and the
     * fraction of options made only of numbers and formula characters. Options that share most of their words, or
     * differ only in a number, ask for a finer distinction than options on different things.
     */
    private static void options(String t, double[] f, int o) {
        Matcher m = OPTION.matcher(t);
        java.util.List<java.util.Set<String>> words = new java.util.ArrayList<>();
        int formula = 0;
        while (m.find()) {
            String body = m.group(1).toLowerCase(java.util.Locale.ROOT);
            if (FORMULA_OPTION.matcher(body).matches()) {
                formula++;
            }
            java.util.Set<String> w = new java.util.HashSet<>();
            for (String token : NON_WORD.split(body)) {
                if (!token.isEmpty()) {
                    w.add(token);
                }
            }
            words.add(w);
        }
        double sum = 0;
        double max = 0;
        int pairs = 0;
        for (int i = 0; i < words.size(); i++) {
            for (int j = i + 1; j < words.size(); j++) {
                java.util.Set<String> a = words.get(i);
                java.util.Set<String> b = words.get(j);
                int common = 0;
                for (String w : a) {
                    if (b.contains(w)) {
                        common++;
                    }
                }
                int union = a.size() + b.size() - common;
                double jac = union == 0 ? 0 : (double) common / union;
                sum += jac;
                max = Math.max(max, jac);
                pairs++;
            }
        }
        f[o] = pairs == 0 ? 0 : sum / pairs;
        f[o + 1] = max;
        f[o + 2] = words.isEmpty() ? 0 : (double) formula / words.size();
    }

    /**
     * The word-problem features, written from {@code f[o]} on, in one pass over the text (regular expressions with
     * long case-insensitive alternations cost milliseconds on long prompts). Definitions, as regexes:
     * sentences {@code [.!?](\s|$)}; quantities {@code \d+([.,]\d+)*} plus number words; distinct quantities
     * (thousands commas dropped); relation, unit and condition words; percent {@code %|\bpercent}; fraction
     * {@code \d+\s*}/{@code \s*\d+} or a fraction word; decimal {@code \d+\.\d+}; money {@code $} or a money word;
     * the largest quantity.
     */
    private static void wordProblem(String t, double[] f, int o) {
        int n = t.length();
        // quantities: \d+([.,]\d+)*, anywhere (also inside words such as "3rd")
        int numbers = 0;
        double max = 0;
        java.util.Set<String> distinct = new java.util.HashSet<>();
        StringBuilder num = new StringBuilder();
        for (int i = 0; i < n; ) {
            if (!isDigit(t.charAt(i))) {
                i++;
                continue;
            }
            num.setLength(0);
            int j = i;
            while (j < n && isDigit(t.charAt(j))) {
                num.append(t.charAt(j++));
            }
            while (j + 1 < n && (t.charAt(j) == '.' || t.charAt(j) == ',') && isDigit(t.charAt(j + 1))) {
                if (t.charAt(j) == '.') {
                    num.append('.');
                }
                j++;
                while (j < n && isDigit(t.charAt(j))) {
                    num.append(t.charAt(j++));
                }
            }
            numbers++;
            String v = num.toString();
            distinct.add(v);
            try {
                max = Math.max(max, Double.parseDouble(v));
            } catch (NumberFormatException e) {
                // "1.2.3": not one number
            }
            i = j;
        }
        // words (maximal runs of letters, digits and _, as for \b) and punctuation
        int sentences = 0;
        int numberWords = 0;
        int relations = 0;
        int units = 0;
        int conditions = 0;
        boolean percent = false;
        boolean fraction = false;
        boolean decimal = false;
        boolean money = false;
        for (int i = 0; i < n; ) {
            char c = t.charAt(i);
            if (isWordChar(c)) {
                int j = i;
                while (j < n && isWordChar(t.charAt(j))) {
                    j++;
                }
                percent |= t.regionMatches(true, i, "percent", 0, 7);
                if (j - i <= MAX_LISTED_WORD) {
                    String w = asciiLower(t, i, j);
                    numberWords += NUMBER_WORDS.contains(w) ? 1 : 0;
                    relations += RELATION_WORDS.contains(w) ? 1 : 0;
                    units += UNIT_WORDS.contains(w) ? 1 : 0;
                    conditions += CONDITION_WORDS.contains(w) ? 1 : 0;
                    fraction |= FRACTION_WORDS.contains(w);
                    money |= MONEY_WORDS.contains(w);
                }
                i = j;
                continue;
            }
            switch (c) {
                case '.', '!', '?' -> {
                    if (i + 1 == n || isSpace(t.charAt(i + 1)) || i + 2 == n && isFinalLineTerminator(t.charAt(i + 1))) {
                        sentences++;
                    }
                }
                case '%' -> percent = true;
                case '$' -> money = true;
                case '/' -> {
                    int l = i - 1;
                    while (l >= 0 && isSpace(t.charAt(l))) {
                        l--;
                    }
                    int r = i + 1;
                    while (r < n && isSpace(t.charAt(r))) {
                        r++;
                    }
                    fraction |= l >= 0 && r < n && isDigit(t.charAt(l)) && isDigit(t.charAt(r));
                }
                default -> {
                }
            }
            // \d+\.\d+ : a '.' between two digits (the digits are word characters, so they come here only via '.')
            if (c == '.' && i > 0 && i + 1 < n && isDigit(t.charAt(i - 1)) && isDigit(t.charAt(i + 1))) {
                decimal = true;
            }
            i++;
        }
        f[o] = Math.log1p(sentences);
        f[o + 1] = Math.log1p(numbers + numberWords);
        f[o + 2] = Math.log1p(distinct.size());
        f[o + 3] = Math.log1p(relations);
        f[o + 4] = percent ? 1 : 0;
        f[o + 5] = fraction ? 1 : 0;
        f[o + 6] = decimal ? 1 : 0;
        f[o + 7] = Math.log1p(Math.log1p(max));
        f[o + 8] = Math.log1p(units);
        f[o + 9] = money ? 1 : 0;
        f[o + 10] = Math.log1p(conditions);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** A word character for Java regex's \b: a letter or digit (Unicode) or '_'. */
    private static boolean isWordChar(char c) {
        return c < 128 ? c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
                : Character.isLetterOrDigit(c);
    }

    /** Lower case for ASCII letters only, as (?i) without UNICODE_CASE compares. */
    private static String asciiLower(String t, int from, int to) {
        char[] out = new char[to - from];
        for (int i = from; i < to; i++) {
            char c = t.charAt(i);
            out[i - from] = c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
        }
        return new String(out);
    }

    /** Java regex's \s without UNICODE_CHARACTER_CLASS. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    /** Line terminators other than \n and \r, before which {@code $} also matches at the end of the text. */
    private static boolean isFinalLineTerminator(char c) {
        return c == '\u0085' || c == '\u2028' || c == '\u2029';
    }

    private static int count(Matcher m) {
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}

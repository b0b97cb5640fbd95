package dev.colosseum.stats;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

/**
 * Streaming reader of battle files: FastChat clean_battle JSONL or a JSON array of the same objects
 * (also the vote contract's objects), or CSV in the Kaggle/HF arena layout. The format is detected
 * from the first non-blank byte ({@code [} JSON array, {@code {} JSONL, anything else CSV).
 *
 * <p>Iterate with {@link #hasNext()}/{@link #next()}: each {@link Row} is either a battle or a
 * {@link BadRow} naming its line; the caller decides whether to abort or skip. A malformed JSONL
 * line is reported and reading continues; a malformed JSON array or CSV structure ends the stream
 * after the bad row. Memory use is one row at a time.
 */
public final class BattleReader implements Iterator<BattleReader.Row>, AutoCloseable {

    /** Input formats. */
    public enum Format { AUTO, JSONL, JSON, CSV }

    /**
     * Reader options.
     *
     * @param computeStyle       compute the standard style features from conversations (or CSV
     *                           responses) when the row carries no precomputed ones
     * @param keepConversations  keep the full conversations on the records
     */
    public record Options(boolean computeStyle, boolean keepConversations) {
        public static Options defaults() {
            return new Options(true, true);
        }
    }

    /** One result: exactly one of {@code battle} and {@code bad} is non-null. */
    public record Row(BattleRecord battle, BadRow bad) {
        public boolean ok() {
            return battle != null;
        }

        public long line() {
            return battle != null ? battle.line() : bad.line();
        }
    }

    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(JSON);

    private final Options options;
    private final Format format;
    private final InputStream in;
    private Row pending;
    private boolean finished;

    // JSONL state
    private byte[] buf;
    private int bufStart;
    private int bufEnd;
    private long lineNo;
    private boolean eof;

    // JSON array state
    private JsonParser arrayParser;

    // CSV state
    private CsvParser csv;
    private Map<String, Integer> csvColumns;

    private BattleReader(InputStream in, Format format, Options options) throws IOException {
        this.options = options;
        BufferedInputStream bin = in instanceof BufferedInputStream ? (BufferedInputStream) in
                : new BufferedInputStream(in, 1 << 16);
        Format f = format == null ? Format.AUTO : format;
        if (f == Format.AUTO) {
            f = detect(bin);
        }
        this.format = f;
        this.in = bin;
        switch (f) {
            case JSONL:
                buf = new byte[1 << 16];
                break;
            case JSON:
                arrayParser = JSON.createParser(bin);
                break;
            case CSV:
                csv = new CsvParser(new InputStreamReader(bin, StandardCharsets.UTF_8));
                break;
            default:
                throw new IllegalStateException();
        }
    }

    /** Opens a reader with format detection and default options. */
    public static BattleReader open(InputStream in) throws IOException {
        return new BattleReader(in, Format.AUTO, Options.defaults());
    }

    /** Opens a reader with the given format ({@code AUTO} to detect) and options. */
    public static BattleReader open(InputStream in, Format format, Options options) throws IOException {
        return new BattleReader(in, format, options == null ? Options.defaults() : options);
    }

    /** Reads everything, passing good rows to {@code battles} and bad rows to {@code bad}. */
    public static void readAll(InputStream in, Format format, Options options,
                               Consumer<BattleRecord> battles, Consumer<BadRow> bad) throws IOException {
        try (BattleReader r = open(in, format, options)) {
            while (r.hasNext()) {
                Row row = r.next();
                if (row.ok()) {
                    battles.accept(row.battle());
                } else {
                    bad.accept(row.bad());
                }
            }
        }
    }

    /**
     * Strict read into a {@link BattleSet}: the first bad row throws {@link BattleFormatException}.
     * With {@code anonymousOnly}, battles whose {@code anony} field is false are left out (rows
     * without the field count). Conversations are not kept; style features are.
     */
    public static BattleSet readSet(InputStream in, boolean anonymousOnly) throws IOException {
        BattleSet.Builder builder = BattleSet.builder();
        try (BattleReader r = open(in, Format.AUTO, new Options(true, false))) {
            while (r.hasNext()) {
                Row row = r.next();
                if (!row.ok()) {
                    throw new BattleFormatException(row.bad());
                }
                if (!anonymousOnly || row.battle().anonymousOrUnknown()) {
                    builder.add(row.battle());
                }
            }
        }
        return builder.build();
    }

    /** The detected (or requested) format. */
    public Format format() {
        return format;
    }

    private static Format detect(BufferedInputStream in) throws IOException {
        in.mark(4096);
        try {
            int i = 0;
            int c;
            while ((c = in.read()) != -1 && i < 4096) {
                i++;
                if (c == 0xEF || c == 0xBB || c == 0xBF) {
                    continue; // UTF-8 byte order mark
                }
                if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                    continue;
                }
                if (c == '[') {
                    return Format.JSON;
                }
                if (c == '{') {
                    return Format.JSONL;
                }
                return Format.CSV;
            }
            return Format.JSONL; // empty input: no rows
        } finally {
            in.reset();
        }
    }

    @Override
    public boolean hasNext() {
        if (pending != null) {
            return true;
        }
        if (finished) {
            return false;
        }
        try {
            pending = advance();
        } catch (IOException e) {
            pending = new Row(null, new BadRow(lineNo, "io_error", "line " + lineNo + ": cannot read input: " + e.getMessage()));
            finished = true;
        }
        if (pending == null) {
            finished = true;
        }
        return pending != null;
    }

    @Override
    public Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Row r = pending;
        pending = null;
        return r;
    }

    @Override
    public void close() {
        try {
            if (arrayParser != null) {
                arrayParser.close();
            }
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Row advance() throws IOException {
        switch (format) {
            case JSONL: return nextJsonl();
            case JSON: return nextArrayElement();
            case CSV: return nextCsv();
            default: throw new IllegalStateException();
        }
    }

    // ---------------------------------------------------------------- JSONL

    private Row nextJsonl() throws IOException {
        while (true) {
            int nl = -1;
            for (int i = bufStart; i < bufEnd; i++) {
                if (buf[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            if (nl < 0 && !eof) {
                fill();
                continue;
            }
            if (nl < 0 && bufStart >= bufEnd) {
                return null;
            }
            int end = nl < 0 ? bufEnd : nl;
            int start = bufStart;
            bufStart = nl < 0 ? bufEnd : nl + 1;
            lineNo++;
            int s = start;
            int e = end;
            while (s < e && isBlank(buf[s])) {
                s++;
            }
            while (e > s && isBlank(buf[e - 1])) {
                e--;
            }
            if (lineNo == 1 && e - s >= 3 && (buf[s] & 0xFF) == 0xEF && (buf[s + 1] & 0xFF) == 0xBB && (buf[s + 2] & 0xFF) == 0xBF) {
                s += 3;
            }
            if (s >= e) {
                continue;
            }
            return parseLine(buf, s, e - s, lineNo);
        }
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t' || b == '\r';
    }

    private void fill() throws IOException {
        if (bufStart > 0) {
            System.arraycopy(buf, bufStart, buf, 0, bufEnd - bufStart);
            bufEnd -= bufStart;
            bufStart = 0;
        }
        if (bufEnd == buf.length) {
            byte[] nb = new byte[buf.length * 2];
            System.arraycopy(buf, 0, nb, 0, bufEnd);
            buf = nb;
        }
        int n = in.read(buf, bufEnd, buf.length - bufEnd);
        if (n < 0) {
            eof = true;
        } else {
            bufEnd += n;
        }
    }

    private Row parseLine(byte[] data, int off, int len, long line) {
        try (JsonParser p = JSON.createParser(data, off, len)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                return bad(line, "malformed_json", "expected a JSON object");
            }
            Row row = parseObject(p, line);
            if (p.nextToken() != null) {
                return bad(line, "malformed_json", "unexpected content after the JSON object");
            }
            return row;
        } catch (JsonProcessingException e) {
            return bad(line, "malformed_json", "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return bad(line, "io_error", e.getMessage());
        }
    }

    // ---------------------------------------------------------------- JSON array

    private boolean arrayStarted;

    private Row nextArrayElement() throws IOException {
        try {
            if (!arrayStarted) {
                arrayStarted = true;
                JsonToken t = arrayParser.nextToken();
                if (t != JsonToken.START_ARRAY) {
                    finished = true;
                    return bad(1, "malformed_json", "expected a JSON array");
                }
            }
            JsonToken t = arrayParser.nextToken();
            long line = arrayParser.currentTokenLocation().getLineNr();
            lineNo = line;
            if (t == JsonToken.END_ARRAY || t == null) {
                if (t == null) {
                    finished = true;
                    return bad(line, "malformed_json", "unterminated JSON array");
                }
                return null;
            }
            if (t != JsonToken.START_OBJECT) {
                arrayParser.skipChildren();
                return bad(line, "malformed_json", "array element is not a JSON object");
            }
            return parseObject(arrayParser, line);
        } catch (JsonProcessingException e) {
            finished = true;
            long line = e.getLocation() != null ? e.getLocation().getLineNr() : lineNo;
            return bad(line, "malformed_json", "malformed JSON: " + e.getOriginalMessage());
        }
    }

    // ---------------------------------------------------------------- object parsing

    private static final class Fields {
        String questionId;
        String modelA;
        String modelB;
        String winner;
        boolean winnerPresent;
        Double tstamp;
        Boolean anony;
        String language;
        Integer turn;
        String judge;
        List<String> categories;
        Map<String, Double> featA;
        Map<String, Double> featB;
        List<ChatMessage> convA;
        List<ChatMessage> convB;
        List<String> userTurns;
        Map<String, Object> extra;
        String badValue;
    }

    private Row parseObject(JsonParser p, long line) throws IOException {
        Fields f = new Fields();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "question_id":
                case "battle_id":
                    if (f.questionId == null || "question_id".equals(name)) {
                        f.questionId = scalarText(p, v);
                    }
                    break;
                case "model_a": f.modelA = scalarText(p, v); break;
                case "model_b": f.modelB = scalarText(p, v); break;
                case "winner":
                    f.winnerPresent = true;
                    f.winner = scalarText(p, v);
                    break;
                case "tstamp": {
                    Double d = number(p, v);
                    if (d == null && v == JsonToken.VALUE_STRING) {
                        d = parseTime(p.getText());
                        if (d == null) {
                            f.badValue = "tstamp is neither a number nor an ISO-8601 time: " + p.getText();
                        }
                    }
                    f.tstamp = d;
                    break;
                }
                case "voted_at": {
                    String s = scalarText(p, v);
                    if (s != null && f.tstamp == null) {
                        f.tstamp = parseTime(s);
                    }
                    putExtra(f, name, s);
                    break;
                }
                case "anony":
                    if (v == JsonToken.VALUE_TRUE || v == JsonToken.VALUE_FALSE) {
                        f.anony = v == JsonToken.VALUE_TRUE;
                    } else if (v == JsonToken.VALUE_STRING) {
                        f.anony = Boolean.parseBoolean(p.getText().trim());
                    } else if (v == JsonToken.VALUE_NUMBER_INT) {
                        f.anony = p.getIntValue() != 0;
                    } else {
                        skip(p, v);
                    }
                    break;
                case "mode": {
                    String s = scalarText(p, v);
                    if (s != null && f.anony == null) {
                        f.anony = s.startsWith("anony");
                    }
                    putExtra(f, name, s);
                    break;
                }
                case "language": f.language = scalarText(p, v); break;
                case "judge": f.judge = scalarText(p, v); break;
                case "turn": {
                    Double d = number(p, v);
                    if (d == null && v == JsonToken.VALUE_STRING) {
                        try {
                            d = Double.parseDouble(p.getText().trim());
                        } catch (NumberFormatException e) {
                            f.badValue = "turn is not a number: " + p.getText();
                        }
                    }
                    f.turn = d == null ? null : d.intValue();
                    break;
                }
                case "categories":
                    if (v == JsonToken.START_ARRAY) {
                        f.categories = stringArray(p);
                    } else {
                        skip(p, v);
                    }
                    break;
                case "user_turns":
                    if (v == JsonToken.START_ARRAY) {
                        f.userTurns = stringArray(p);
                    } else {
                        skip(p, v);
                    }
                    break;
                case "conv_metadata":
                    if (v == JsonToken.START_OBJECT) {
                        parseMetadata(p, f);
                    } else {
                        skip(p, v);
                    }
                    break;
                case "features_a":
                    if (v == JsonToken.START_OBJECT) {
                        f.featA = numberMap(p, f.featA);
                    } else {
                        skip(p, v);
                    }
                    break;
                case "features_b":
                    if (v == JsonToken.START_OBJECT) {
                        f.featB = numberMap(p, f.featB);
                    } else {
                        skip(p, v);
                    }
                    break;
                case "conversation_a":
                    f.convA = v == JsonToken.START_ARRAY ? conversation(p) : skipNull(p, v);
                    break;
                case "conversation_b":
                    f.convB = v == JsonToken.START_ARRAY ? conversation(p) : skipNull(p, v);
                    break;
                default:
                    if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
                        JsonNode node = MAPPER.readTree(p);
                        putExtra(f, name, node);
                    } else {
                        putExtra(f, name, scalarValue(p, v));
                    }
            }
        }
        if (t != JsonToken.END_OBJECT) {
            return bad(line, "malformed_json", "malformed JSON object");
        }
        return finish(f, line);
    }

    private Row finish(Fields f, long line) {
        if (f.modelA == null || f.modelA.isBlank()) {
            return bad(line, "missing_field", "missing field model_a");
        }
        if (f.modelB == null || f.modelB.isBlank()) {
            return bad(line, "missing_field", "missing field model_b");
        }
        if (!f.winnerPresent || f.winner == null) {
            return bad(line, "missing_field", "missing field winner");
        }
        Outcome o = Outcome.parse(f.winner);
        if (o == null) {
            return bad(line, "unknown_winner", "unknown winner value \"" + f.winner
                    + "\" (expected model_a, model_b, tie or tie (bothbad))");
        }
        if (f.modelA.equals(f.modelB)) {
            return bad(line, "self_pair", "model_a and model_b are the same model \"" + f.modelA + "\"");
        }
        if (f.badValue != null) {
            return bad(line, "bad_value", f.badValue);
        }
        Map<String, Double> fa = f.featA == null ? new LinkedHashMap<>() : f.featA;
        Map<String, Double> fb = f.featB == null ? new LinkedHashMap<>() : f.featB;
        if (options.computeStyle()) {
            if (f.convA != null && !fa.containsKey(StyleFeatures.TOKENS)) {
                putAllAbsent(fa, StyleFeatures.ofConversation(f.convA).toMap());
            }
            if (f.convB != null && !fb.containsKey(StyleFeatures.TOKENS)) {
                putAllAbsent(fb, StyleFeatures.ofConversation(f.convB).toMap());
            }
        }
        List<String> userTurns = f.userTurns;
        List<ChatMessage> conv = f.convA != null ? f.convA : f.convB;
        if (userTurns == null && conv != null) {
            List<String> u = new ArrayList<>();
            for (ChatMessage m : conv) {
                if (m.isUser() && m.content() != null) {
                    u.add(m.content());
                }
            }
            userTurns = u.isEmpty() ? null : u;
        }
        BattleRecord r = new BattleRecord(line, f.questionId, f.modelA, f.modelB, o, f.tstamp, f.anony,
                f.language, f.turn, f.judge,
                f.categories == null ? List.of() : f.categories,
                fa, fb,
                options.keepConversations() ? f.convA : null,
                options.keepConversations() ? f.convB : null,
                userTurns,
                f.extra == null ? Map.of() : f.extra);
        return new Row(r, null);
    }

    private static void putAllAbsent(Map<String, Double> target, Map<String, Double> src) {
        for (Map.Entry<String, Double> e : src.entrySet()) {
            target.putIfAbsent(e.getKey(), e.getValue());
        }
    }

    private static Row bad(long line, String reason, String message) {
        return new Row(null, new BadRow(line, reason, "line " + line + ": " + message));
    }

    private static void putExtra(Fields f, String name, Object value) {
        if (f.extra == null) {
            f.extra = new LinkedHashMap<>();
        }
        f.extra.put(name, value);
    }

    /**
     * conv_metadata: sum_assistant_a_tokens, header_count_a, list_count_a, bold_count_a (ints or
     * FastChat's dicts, which are summed) map to the standard names; any other numeric X_a / X_b
     * (or X_a_Y) becomes feature X (X_Y) of that side.
     */
    private static void parseMetadata(JsonParser p, Fields f) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            Double value;
            if (v == JsonToken.START_OBJECT) {
                value = sumObject(p);
            } else {
                value = number(p, v);
                if (value == null) {
                    skip(p, v);
                }
            }
            if (value == null) {
                continue;
            }
            String side = null;
            String feature = null;
            switch (key) {
                case "sum_assistant_a_tokens": side = "a"; feature = StyleFeatures.TOKENS; break;
                case "sum_assistant_b_tokens": side = "b"; feature = StyleFeatures.TOKENS; break;
                case "header_count_a": side = "a"; feature = StyleFeatures.HEADERS; break;
                case "header_count_b": side = "b"; feature = StyleFeatures.HEADERS; break;
                case "list_count_a": side = "a"; feature = StyleFeatures.LISTS; break;
                case "list_count_b": side = "b"; feature = StyleFeatures.LISTS; break;
                case "bold_count_a": side = "a"; feature = StyleFeatures.BOLD; break;
                case "bold_count_b": side = "b"; feature = StyleFeatures.BOLD; break;
                default:
                    if (key.endsWith("_a") || key.endsWith("_b")) {
                        side = key.substring(key.length() - 1);
                        feature = key.substring(0, key.length() - 2);
                    } else if (key.contains("_a_") || key.contains("_b_")) {
                        int i = key.indexOf("_a_");
                        String s = "a";
                        if (i < 0) {
                            i = key.indexOf("_b_");
                            s = "b";
                        }
                        side = s;
                        feature = key.substring(0, i) + key.substring(i + 2);
                    }
            }
            if (side == null || feature.isEmpty()) {
                continue;
            }
            if ("a".equals(side)) {
                if (f.featA == null) {
                    f.featA = new LinkedHashMap<>();
                }
                f.featA.put(feature, value);
            } else {
                if (f.featB == null) {
                    f.featB = new LinkedHashMap<>();
                }
                f.featB.put(feature, value);
            }
        }
    }

    private static Double sumObject(JsonParser p) throws IOException {
        double sum = 0;
        boolean any = false;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            JsonToken v = p.nextToken();
            Double d = number(p, v);
            if (d != null) {
                sum += d;
                any = true;
            } else {
                skip(p, v);
            }
        }
        return any ? sum : null;
    }

    private static Map<String, Double> numberMap(JsonParser p, Map<String, Double> into) throws IOException {
        Map<String, Double> m = into == null ? new LinkedHashMap<>() : into;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            Double d;
            if (v == JsonToken.START_OBJECT) {
                d = sumObject(p);
            } else {
                d = number(p, v);
                if (d == null) {
                    skip(p, v);
                }
            }
            if (d != null) {
                m.put(key, d);
            }
        }
        return m;
    }

    private static List<ChatMessage> conversation(JsonParser p) throws IOException {
        List<ChatMessage> out = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT) {
                skip(p, t);
                continue;
            }
            String role = null;
            String content = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken v = p.nextToken();
                if ("role".equals(key)) {
                    role = scalarText(p, v);
                } else if ("content".equals(key)) {
                    if (v == JsonToken.START_ARRAY) {
                        content = contentParts(p);
                    } else {
                        content = scalarText(p, v);
                    }
                } else {
                    skip(p, v);
                }
            }
            out.add(new ChatMessage(role, content));
        }
        return out;
    }

    /** OpenAI content parts: the text of {"type":"text","text":...} parts (or plain strings), joined. */
    private static String contentParts(JsonParser p) throws IOException {
        StringBuilder sb = new StringBuilder();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == JsonToken.VALUE_STRING) {
                append(sb, p.getText());
            } else if (t == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    JsonToken v = p.nextToken();
                    if ("text".equals(key) && v == JsonToken.VALUE_STRING) {
                        append(sb, p.getText());
                    } else {
                        skip(p, v);
                    }
                }
            } else {
                skip(p, t);
            }
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, String s) {
        if (sb.length() > 0) {
            sb.append('\n');
        }
        sb.append(s);
    }

    private static List<ChatMessage> skipNull(JsonParser p, JsonToken v) throws IOException {
        skip(p, v);
        return null;
    }

    private static List<String> stringArray(JsonParser p) throws IOException {
        List<String> out = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == JsonToken.VALUE_STRING) {
                out.add(p.getText());
            } else if (t == JsonToken.VALUE_NULL) {
                out.add(null);
            } else if (t.isScalarValue()) {
                out.add(p.getText());
            } else {
                p.skipChildren();
            }
        }
        return out;
    }

    private static String scalarText(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v.isScalarValue()) {
            return p.getText();
        }
        p.skipChildren();
        return null;
    }

    private static Object scalarValue(JsonParser p, JsonToken v) throws IOException {
        switch (v) {
            case VALUE_STRING: return p.getText();
            case VALUE_NUMBER_INT: return p.getNumberValue();
            case VALUE_NUMBER_FLOAT: return p.getDoubleValue();
            case VALUE_TRUE: return Boolean.TRUE;
            case VALUE_FALSE: return Boolean.FALSE;
            default: return null;
        }
    }

    private static Double number(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getDoubleValue();
        }
        if (v == JsonToken.VALUE_TRUE) {
            return 1.0;
        }
        if (v == JsonToken.VALUE_FALSE) {
            return 0.0;
        }
        return null;
    }

    private static void skip(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
            p.skipChildren();
        }
    }

    private static Double parseTime(String s) {
        if (s == null) {
            return null;
        }
        String x = s.trim();
        try {
            return Double.parseDouble(x);
        } catch (NumberFormatException ignored) {
            // not a number: try ISO-8601
        }
        try {
            OffsetDateTime t = OffsetDateTime.parse(x);
            return t.toEpochSecond() + t.getNano() / 1e9;
        } catch (RuntimeException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- CSV

    private Row nextCsv() throws IOException {
        if (csvColumns == null) {
            List<String> header = csv.nextRecord();
            if (header == null) {
                return null;
            }
            csvColumns = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                csvColumns.put(header.get(i).trim().toLowerCase(Locale.ROOT), i);
            }
            if (!csvColumns.containsKey("model_a") || !csvColumns.containsKey("model_b")) {
                finished = true;
                return bad(csv.recordLine(), "missing_field",
                        "CSV header lacks model_a/model_b (expected the Kaggle arena layout: model_a, model_b, "
                                + "winner_model_a, winner_model_b, winner_tie)");
            }
            if (!csvColumns.containsKey("winner") && !(csvColumns.containsKey("winner_model_a")
                    && csvColumns.containsKey("winner_model_b") && csvColumns.containsKey("winner_tie"))) {
                finished = true;
                return bad(csv.recordLine(), "missing_field",
                        "CSV header lacks winner_model_a, winner_model_b, winner_tie (or winner)");
            }
        }
        List<String> rec;
        try {
            rec = csv.nextRecord();
        } catch (CsvParser.CsvException e) {
            finished = true;
            return bad(e.line, "malformed_csv", e.getMessage());
        }
        if (rec == null) {
            return null;
        }
        long line = csv.recordLine();
        if (rec.size() == 1 && rec.get(0).isBlank()) {
            return nextCsv();
        }
        Fields f = new Fields();
        f.modelA = emptyToNull(col(rec, "model_a"));
        f.modelB = emptyToNull(col(rec, "model_b"));
        String w = col(rec, "winner");
        if (w != null && !w.isBlank()) {
            f.winner = w.trim();
            f.winnerPresent = true;
        } else {
            String wa = col(rec, "winner_model_a");
            String wb = col(rec, "winner_model_b");
            String wt = col(rec, "winner_tie");
            if (wa == null || wb == null || wt == null || wa.isBlank() || wb.isBlank() || wt.isBlank()) {
                return bad(line, "missing_field", "missing winner_model_a/winner_model_b/winner_tie value");
            }
            int ia = flag(wa);
            int ib = flag(wb);
            int it = flag(wt);
            if (ia < 0 || ib < 0 || it < 0 || ia + ib + it != 1) {
                return bad(line, "unknown_winner", "winner_model_a/winner_model_b/winner_tie must be one 1 and two 0s, got "
                        + wa + "/" + wb + "/" + wt);
            }
            f.winner = ia == 1 ? "model_a" : ib == 1 ? "model_b" : "tie";
            f.winnerPresent = true;
        }
        f.questionId = emptyToNull(col(rec, "question_id"));
        if (f.questionId == null) {
            f.questionId = emptyToNull(col(rec, "id"));
        }
        f.language = emptyToNull(col(rec, "language"));
        f.judge = emptyToNull(col(rec, "judge"));
        String ts = emptyToNull(col(rec, "tstamp"));
        if (ts != null) {
            f.tstamp = parseTime(ts);
            if (f.tstamp == null) {
                f.badValue = "tstamp is neither a number nor an ISO-8601 time: " + ts;
            }
        }
        String an = emptyToNull(col(rec, "anony"));
        if (an != null) {
            f.anony = "true".equalsIgnoreCase(an.trim()) || "1".equals(an.trim());
        }
        String turn = emptyToNull(col(rec, "turn"));
        if (turn != null) {
            try {
                f.turn = (int) Double.parseDouble(turn.trim());
            } catch (NumberFormatException e) {
                f.badValue = "turn is not a number: " + turn;
            }
        }
        List<String> prompts = textList(col(rec, "prompt"));
        List<String> answersA = textList(col(rec, "response_a"));
        List<String> answersB = textList(col(rec, "response_b"));
        if (prompts != null) {
            f.userTurns = prompts;
            if (f.turn == null) {
                f.turn = prompts.size();
            }
        }
        if (answersA != null) {
            f.convA = interleave(prompts, answersA);
        }
        if (answersB != null) {
            f.convB = interleave(prompts, answersB);
        }
        for (Map.Entry<String, Integer> e : csvColumns.entrySet()) {
            String k = e.getKey();
            if (!CSV_KNOWN.contains(k) && e.getValue() < rec.size()) {
                putExtra(f, k, rec.get(e.getValue()));
            }
        }
        return finish(f, line);
    }

    private static final java.util.Set<String> CSV_KNOWN = java.util.Set.of("model_a", "model_b", "winner",
            "winner_model_a", "winner_model_b", "winner_tie", "question_id", "id", "language", "judge", "tstamp",
            "anony", "turn", "prompt", "response_a", "response_b");

    private static List<ChatMessage> interleave(List<String> prompts, List<String> answers) {
        List<ChatMessage> conv = new ArrayList<>();
        for (int i = 0; i < answers.size(); i++) {
            if (prompts != null && i < prompts.size()) {
                conv.add(new ChatMessage("user", prompts.get(i)));
            }
            conv.add(new ChatMessage("assistant", answers.get(i)));
        }
        return conv;
    }

    /** Kaggle stores prompt/response as a JSON list of strings; fall back to the raw text. */
    private static List<String> textList(String raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        String s = raw.trim();
        if (s.startsWith("[")) {
            try (JsonParser p = JSON.createParser(s)) {
                if (p.nextToken() == JsonToken.START_ARRAY) {
                    List<String> out = stringArray(p);
                    return Collections.unmodifiableList(out);
                }
            } catch (IOException e) {
                // not JSON: keep the raw text
            }
        }
        return List.of(raw);
    }

    private static int flag(String s) {
        String x = s.trim();
        if (x.equals("1") || x.equals("1.0") || x.equalsIgnoreCase("true")) {
            return 1;
        }
        if (x.equals("0") || x.equals("0.0") || x.equalsIgnoreCase("false")) {
            return 0;
        }
        return -1;
    }

    private String col(List<String> rec, String name) {
        Integer i = csvColumns.get(name);
        if (i == null || i >= rec.size()) {
            return null;
        }
        return rec.get(i);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** Minimal RFC 4180 reader: quoted fields may span lines; tracks the line where a record starts. */
    static final class CsvParser {
        static final class CsvException extends IOException {
            final long line;

            CsvException(long line, String message) {
                super("line " + line + ": " + message);
                this.line = line;
            }
        }

        private final Reader reader;
        private final char[] cbuf = new char[1 << 16];
        private int pos;
        private int len;
        private long line = 1;
        private long recordLine;
        private boolean eof;

        CsvParser(Reader reader) {
            this.reader = reader;
        }

        long recordLine() {
            return recordLine;
        }

        private int read() throws IOException {
            if (pos >= len) {
                if (eof) {
                    return -1;
                }
                len = reader.read(cbuf, 0, cbuf.length);
                pos = 0;
                if (len <= 0) {
                    eof = true;
                    len = 0;
                    return -1;
                }
            }
            return cbuf[pos++];
        }

        private int peek() throws IOException {
            int c = read();
            if (c != -1) {
                pos--;
            }
            return c;
        }

        List<String> nextRecord() throws IOException {
            int c = read();
            while (c == '\r' || c == '\n') {
                if (c == '\n') {
                    line++;
                }
                c = read();
            }
            if (c == -1) {
                return null;
            }
            if (c == 0xFEFF) {
                c = read();
            }
            recordLine = line;
            List<String> fields = new ArrayList<>();
            StringBuilder sb = new StringBuilder();
            boolean quoted = false;
            boolean fieldStart = true;
            while (true) {
                if (c == -1) {
                    if (quoted) {
                        throw new CsvException(recordLine, "unterminated quoted CSV field");
                    }
                    fields.add(sb.toString());
                    return fields;
                }
                if (quoted) {
                    if (c == '"') {
                        if (peek() == '"') {
                            read();
                            sb.append('"');
                        } else {
                            quoted = false;
                        }
                    } else {
                        if (c == '\n') {
                            line++;
                        }
                        sb.append((char) c);
                    }
                } else if (c == '"' && fieldStart) {
                    quoted = true;
                    fieldStart = false;
                } else if (c == ',') {
                    fields.add(sb.toString());
                    sb.setLength(0);
                    fieldStart = true;
                } else if (c == '\n' || c == '\r') {
                    if (c == '\r' && peek() == '\n') {
                        read();
                    }
                    line++;
                    fields.add(sb.toString());
                    return fields;
                } else {
                    sb.append((char) c);
                    fieldStart = false;
                }
                c = read();
            }
        }
    }
}

package dev.colosseum.router.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A correctness table like RouteLLM's evaluation sets: a {@code prompt} column and one quality column per
 * model (booleans or numbers). Rows remember their source file as their group (MMLU: one subject per file).
 */
public final class QualityTable {
    /**
     * One prompt with the quality each model reached on it, its source file (MMLU: the subject) and any other
     * non-numeric columns of its row (usable as a fold column).
     */
    public record Row(String prompt, String group, Map<String, Double> quality, Map<String, String> attributes) {
        public Row(String prompt, String group, Map<String, Double> quality) {
            this(prompt, group, quality, Map.of());
        }

        /** The value of a fold column: {@code file} is the source file, anything else a non-quality column. */
        public String attribute(String column) {
            if (column.equals("file")) {
                return group;
            }
            String v = attributes.get(column);
            if (v == null) {
                throw new IllegalArgumentException("no column '" + column + "' to fold by; columns: file"
                        + (attributes.isEmpty() ? "" : ", " + String.join(", ", attributes.keySet())));
            }
            return v;
        }
    }

    private final List<Row> rows;
    private final List<String> columns;
    private final int contaminatedExcluded;

    public QualityTable(List<Row> rows, List<String> columns, int contaminatedExcluded) {
        this.rows = List.copyOf(rows);
        this.columns = List.copyOf(columns);
        this.contaminatedExcluded = contaminatedExcluded;
    }

    public List<Row> rows() {
        return rows;
    }

    /** Quality columns shared by every file, in file order. */
    public List<String> columns() {
        return columns;
    }

    public int contaminatedExcluded() {
        return contaminatedExcluded;
    }

    /** Resolves a file, a directory (all .csv/.jsonl files below it) or a glob into data files, sorted. */
    public static List<Path> resolve(String spec) {
        Path p = Path.of(spec);
        try {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    return s.filter(Files::isRegularFile).filter(QualityTable::isData).sorted().toList();
                }
            }
            if (Files.isRegularFile(p)) {
                return List.of(p);
            }
            if (spec.contains("*") || spec.contains("?") || spec.contains("{")) {
                int cut = 0;
                String[] parts = spec.split("/");
                StringBuilder base = new StringBuilder(spec.startsWith("/") ? "/" : "");
                for (String part : parts) {
                    if (part.contains("*") || part.contains("?") || part.contains("{")) {
                        break;
                    }
                    if (!part.isEmpty()) {
                        base.append(part).append('/');
                    }
                    cut++;
                }
                Path root = base.length() == 0 ? Path.of(".") : Path.of(base.toString());
                PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + spec);
                try (Stream<Path> s = Files.walk(root)) {
                    return s.filter(Files::isRegularFile).filter(x -> m.matches(x) || m.matches(x.normalize()))
                            .sorted().toList();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalArgumentException("no such file, directory or glob match: " + spec);
    }

    private static boolean isData(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return (n.endsWith(".csv") || n.endsWith(".jsonl")) && !n.startsWith("contaminated");
    }

    /** Loads and concatenates tables; prompts listed in a contaminated_prompts.jsonl beside them are dropped. */
    public static QualityTable load(List<String> specs) {
        List<Path> files = new ArrayList<>();
        for (String s : specs) {
            files.addAll(resolve(s));
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no CSV or JSONL files in " + specs);
        }
        Set<String> contaminated = new HashSet<>();
        Set<Path> seen = new HashSet<>();
        for (Path f : files) {
            for (Path dir = f.toAbsolutePath().getParent(); dir != null && seen.add(dir); dir = null) {
                for (Path d : new Path[] {dir, dir.getParent()}) {
                    if (d == null) {
                        continue;
                    }
                    Path c = d.resolve("contaminated_prompts.jsonl");
                    if (Files.isRegularFile(c)) {
                        contaminated.addAll(readContaminated(c));
                    }
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        LinkedHashSet<String> columns = null;
        int excluded = 0;
        for (Path f : files) {
            List<Row> part = readFile(f);
            LinkedHashSet<String> cols = new LinkedHashSet<>();
            for (Row r : part) {
                cols.addAll(r.quality().keySet());
            }
            if (columns == null) {
                columns = cols;
            } else {
                columns.retainAll(cols);
            }
            for (Row r : part) {
                if (contaminated.contains(norm(r.prompt()))) {
                    excluded++;
                } else {
                    rows.add(r);
                }
            }
        }
        return new QualityTable(rows, new ArrayList<>(columns == null ? Set.of() : columns), excluded);
    }

    static String norm(String s) {
        return s.replaceAll("\\s+", " ").trim();
    }

    private static Set<String> readContaminated(Path c) {
        Set<String> out = new HashSet<>();
        ObjectMapper om = new ObjectMapper();
        try (BufferedReader br = Files.newBufferedReader(c, StandardCharsets.UTF_8)) {
            String line;
            while ((line = br.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = om.readTree(line);
                JsonNode e = n.has("eval_prompt") ? n.get("eval_prompt") : n.get("prompt");
                if (e != null && e.isTextual()) {
                    out.add(norm(e.asText()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static List<Row> readFile(Path f) {
        String group = f.getFileName().toString().replaceFirst("\\.(csv|jsonl)$", "");
        List<Map<String, String>> raw = new ArrayList<>();
        try {
            if (f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jsonl")) {
                ObjectMapper om = new ObjectMapper();
                try (BufferedReader br = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                    String line;
                    while ((line = br.readLine()) != null) {
                        if (line.isBlank()) {
                            continue;
                        }
                        JsonNode n = om.readTree(line);
                        Map<String, String> m = new LinkedHashMap<>();
                        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                            Map.Entry<String, JsonNode> e = it.next();
                            if (e.getValue().isValueNode()) {
                                m.put(e.getKey(), e.getValue().asText());
                            }
                        }
                        raw.add(m);
                    }
                }
            } else {
                CsvMapper cm = new CsvMapper();
                cm.enable(CsvParser.Feature.WRAP_AS_ARRAY);
                CsvSchema schema = CsvSchema.emptySchema().withHeader();
                try (MappingIterator<Map<String, String>> it = cm.readerFor(Map.class).with(schema)
                        .readValues(f.toFile())) {
                    while (it.hasNext()) {
                        raw.add(it.next());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        }
        List<Row> rows = new ArrayList<>();
        if (raw.isEmpty()) {
            return rows;
        }
        Set<String> qualityCols = new LinkedHashSet<>();
        for (String k : raw.get(0).keySet()) {
            if (k.equals("prompt")) {
                continue;
            }
            boolean numeric = true;
            for (Map<String, String> m : raw) {
                if (parseQuality(m.get(k)) == null) {
                    numeric = false;
                    break;
                }
            }
            if (numeric) {
                qualityCols.add(k);
            }
        }
        if (!raw.get(0).containsKey("prompt")) {
            throw new IllegalArgumentException(f + ": no 'prompt' column");
        }
        for (Map<String, String> m : raw) {
            Map<String, Double> q = new LinkedHashMap<>();
            Map<String, String> attrs = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : m.entrySet()) {
                if (qualityCols.contains(e.getKey())) {
                    q.put(e.getKey(), parseQuality(e.getValue()));
                } else if (!e.getKey().equals("prompt") && e.getValue() != null) {
                    attrs.put(e.getKey(), e.getValue());
                }
            }
            rows.add(new Row(m.get("prompt"), group, q, attrs));
        }
        return rows;
    }

    static Double parseQuality(String v) {
        if (v == null) {
            return null;
        }
        String s = v.trim().toLowerCase(Locale.ROOT);
        switch (s) {
            case "true":
                return 1.0;
            case "false":
                return 0.0;
            default:
                try {
                    double d = Double.parseDouble(s);
                    return Double.isFinite(d) ? d : null;
                } catch (NumberFormatException e) {
                    return null;
                }
        }
    }

    /** Picks a column by exact name, or by a unique case-insensitive substring. */
    public String column(String name) {
        if (columns.contains(name)) {
            return name;
        }
        List<String> hits = columns.stream()
                .filter(c -> c.toLowerCase(Locale.ROOT).contains(name.toLowerCase(Locale.ROOT))).toList();
        if (hits.size() == 1) {
            return hits.get(0);
        }
        throw new IllegalArgumentException("quality column '" + name + "' " + (hits.isEmpty() ? "not found" : "is ambiguous")
                + "; columns: " + columns);
    }

    /**
     * Pairwise outcomes from correctness: strong better than weak is a strong win, weak better a weak win,
     * equal quality a tie.
     */
    public static List<Comparison> comparisons(List<Row> rows, String strong, String weak) {
        List<Comparison> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            double s = r.quality().get(strong);
            double w = r.quality().get(weak);
            double y = s > w ? 1 : s < w ? 0 : 0.5;
            out.add(new Comparison(r.prompt(), strong, weak, y, 1.0, r.group()));
        }
        return out;
    }
}

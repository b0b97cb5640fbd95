package dev.colosseum.ranking.repository;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A position in vote-service's log. The cursor text is {@code <xid>-<id>} and the log is ordered by that
 * number pair (docs/CONTRACTS.md); {@link #START} is before every item.
 */
public record LogPosition(long xid, long id) implements Comparable<LogPosition> {
    public static final LogPosition START = new LogPosition(Long.MIN_VALUE, Long.MIN_VALUE);
    private static final Pattern CURSOR = Pattern.compile("(\\d+)-(\\d+)");

    /** Parses a cursor; null or empty is {@link #START}; anything else that is not {@code <xid>-<id>} fails. */
    public static LogPosition parse(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return START;
        }
        Matcher m = CURSOR.matcher(cursor);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a vote log cursor: " + cursor);
        }
        return new LogPosition(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
    }

    @Override
    public int compareTo(LogPosition o) {
        int c = Long.compare(xid, o.xid);
        return c != 0 ? c : Long.compare(id, o.id);
    }

    public boolean after(LogPosition o) {
        return compareTo(o) > 0;
    }
}

package dev.inspector.present;

/**
 * A column of a {@link Table}: its heading, its alignment, and how it gives way when the table is wider than the
 * screen. {@code priority} 0 means the column is never shortened (addresses, numbers); a column with priority 1, 2,
 * ... may be shortened to {@code minWidth} characters with a visible mark, the highest priority number first (so the
 * least important column carries the largest number).
 */
public record Column(String header, Align align, int priority, int minWidth) {

    public enum Align { LEFT, RIGHT }

    public Column {
        if (header == null || align == null || priority < 0 || minWidth < 1) {
            throw new IllegalArgumentException("a column needs a header, an alignment, priority >= 0, minWidth >= 1");
        }
    }

    /** A left-aligned column that is never shortened. */
    public static Column left(String header) {
        return new Column(header, Align.LEFT, 0, Math.max(1, header.length()));
    }

    /** A right-aligned (numeric) column that is never shortened. */
    public static Column right(String header) {
        return new Column(header, Align.RIGHT, 0, Math.max(1, header.length()));
    }

    /** This column, allowed to shrink to {@code minWidth} characters; the highest {@code priority} shrinks first. */
    public Column shrinks(int priority, int minWidth) {
        if (priority < 1) {
            throw new IllegalArgumentException("a column that may shrink has priority 1 or more");
        }
        return new Column(header, align, priority, minWidth);
    }
}

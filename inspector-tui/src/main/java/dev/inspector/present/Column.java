package dev.inspector.present;

/**
 * A column of a {@link Table}: its heading, its alignment, and how it gives way when the table is wider than the
 * screen. {@code priority} 0 means the column always shows whole (addresses, numbers); a column with priority 1, 2,
 * ... gives way in the manner of its {@link Cut}, the highest priority number first (so the least important column
 * carries the largest number). {@code minWidth} is how narrow a cut column may become.
 */
public record Column(String header, Align align, int priority, int minWidth, Cut cut) {

    public enum Align { LEFT, RIGHT }

    /** How a column gives way on a narrow screen. */
    public enum Cut {
        /** Never: the column always shows whole. */
        NONE,
        /** Cells are shortened at their end, which then shows the cut mark. */
        END,
        /** Cells are shortened at their start, which then shows the cut mark: a path keeps its file name. */
        START,
        /** The column is left out altogether (a value another column implies, or a detail). */
        HIDE
    }

    public Column {
        if (header == null || align == null || cut == null || priority < 0 || minWidth < 1
                || (priority == 0) != (cut == Cut.NONE)) {
            throw new IllegalArgumentException("a column needs a header, an alignment, minWidth >= 1, and priority 0"
                    + " exactly when it never gives way");
        }
    }

    /** A column that is cut at its end (the form every column had before {@link Cut} existed). */
    public Column(String header, Align align, int priority, int minWidth) {
        this(header, align, priority, minWidth, priority == 0 ? Cut.NONE : Cut.END);
    }

    /** A left-aligned column that is never shortened. */
    public static Column left(String header) {
        return new Column(header, Align.LEFT, 0, Math.max(1, header.length()), Cut.NONE);
    }

    /** A right-aligned (numeric) column that is never shortened. */
    public static Column right(String header) {
        return new Column(header, Align.RIGHT, 0, Math.max(1, header.length()), Cut.NONE);
    }

    /** This column, allowed to shrink to {@code minWidth} characters (cut at the end); highest priority first. */
    public Column shrinks(int priority, int minWidth) {
        return givesWay(priority, minWidth, Cut.END);
    }

    /** This column, allowed to shrink to {@code minWidth} characters, keeping the end of each cell (paths). */
    public Column shrinksFromStart(int priority, int minWidth) {
        return givesWay(priority, minWidth, Cut.START);
    }

    /** This column, left out when the screen is too narrow for it; the highest priority first. */
    public Column hides(int priority) {
        return givesWay(priority, Math.max(1, header.length()), Cut.HIDE);
    }

    private Column givesWay(int priority, int minWidth, Cut how) {
        if (priority < 1) {
            throw new IllegalArgumentException("a column that gives way has priority 1 or more");
        }
        return new Column(header, align, priority, minWidth, how);
    }
}

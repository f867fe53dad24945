package dev.inspector.present;

import java.util.List;

/**
 * Rows of cells under headed {@link Column}s. A table produces its rows on demand, one at a time, into a reused
 * {@link RowBuffer}: a 60,000-mapping table is never held as 60,000 row objects, and a reader that stops early (a
 * closed pipe, a screen showing 40 rows) makes only the rows it draws. {@link ListTable} is the table of rows made in
 * advance, for everything small.
 */
public non-sealed interface Table extends Block {

    List<Column> columns();

    /** How many rows. */
    int size();

    /** Fills {@code into} with row {@code i} (0-based), clearing it first. */
    void row(int i, RowBuffer into);

    /**
     * The natural width of each column: the widest of its heading and its cells. Tables that know it cheaply (without
     * making every cell) override this; the default makes each row once to measure it.
     */
    default int[] widths() {
        List<Column> cols = columns();
        int[] w = new int[cols.size()];
        for (int c = 0; c < w.length; c++) {
            w[c] = cols.get(c).header().length();
        }
        RowBuffer b = new RowBuffer();
        for (int i = 0, n = size(); i < n; i++) {
            row(i, b);
            for (int c = 0; c < Math.min(b.cells(), w.length); c++) {
                w[c] = Math.max(w[c], b.length(c));
            }
        }
        return w;
    }

    /**
     * True when every cell is known to be ASCII, so a renderer that may write only ASCII can use {@link #widths()} as
     * they are. False (the default) makes such a renderer measure the rows itself.
     */
    default boolean asciiOnly() {
        return false;
    }

    /** Row {@code i} as a value (for tests and for views that keep what they draw). */
    default Row rowAt(int i) {
        RowBuffer b = new RowBuffer();
        row(i, b);
        return b.toRow();
    }
}

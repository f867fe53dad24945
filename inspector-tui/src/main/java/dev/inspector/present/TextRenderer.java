package dev.inspector.present;

import java.io.PrintWriter;
import java.util.List;

/**
 * Writes blocks as text: tables in aligned columns (two spaces apart, the last column unpadded), lines as their spans,
 * roles as ANSI colours when {@link Style} has colour on (a coloured row is one SGR sequence around the whole line).
 *
 * <p>With a width ({@code > 0}) a table wider than it is fitted: columns that may shrink ({@link Column#priority()}
 * above 0) give up characters, the highest priority number first, down to their minimum width, and a shortened cell
 * ends in {@value #CUT}. Width 0 writes every cell whole: what scripts reading piped output rely on. Lines are not
 * fitted.
 *
 * <p>Writing stops at the first failed write: {@link PrintWriter} records a failure instead of throwing, so the
 * renderer asks it every {@value #CHECK_EVERY} lines and at the end, and throws {@link OutputFailed}; no more rows
 * are made for a reader that has gone. A renderer keeps a line buffer: one per thread.
 */
public final class TextRenderer {

    /** Rows between checks of the writer: about one 64 KiB output buffer of a maps table. */
    static final int CHECK_EVERY = 512;
    /** The mark at the end of a shortened cell. */
    public static final char CUT = '\u2026';

    private final Style style;
    private final int width;
    private char[] chars = new char[512];
    /** Lines written since the writer was last asked for an error. */
    private int unchecked;

    /** A renderer that never shortens (width 0). */
    public TextRenderer(Style style) {
        this(style, 0);
    }

    /** {@code width}: the screen width tables are fitted to, or 0 for none. */
    public TextRenderer(Style style, int width) {
        if (width < 0) {
            throw new IllegalArgumentException("width must be 0 (none) or positive, not " + width);
        }
        this.style = style;
        this.width = width;
    }

    /** Writes the blocks in order, then makes sure they were written. */
    public void render(List<? extends Block> blocks, PrintWriter out) {
        for (Block b : blocks) {
            write(b, out);
        }
        check(out);
    }

    public void render(Block block, PrintWriter out) {
        write(block, out);
        check(out);
    }

    private void write(Block b, PrintWriter out) {
        if (b instanceof Table t) {
            table(t, out);
        } else if (b instanceof Line l) {
            line(l, out);
        }
    }

    private void line(Line l, PrintWriter out) {
        List<Span> spans = l.spans();
        StringBuilder b = new StringBuilder(80);
        for (Span s : spans) {
            String code = style.enabled() ? Style.code(s.role(), s.kind()) : null;
            b.append(code == null ? s.text() : style.apply(code, s.text()));
        }
        b.append('\n');
        emit(b, out);
        counted(out);
    }

    private void table(Table t, PrintWriter out) {
        List<Column> cols = t.columns();
        int n = cols.size();
        int[] natural = t.widths().clone();
        boolean[] right = new boolean[n];
        for (int c = 0; c < n; c++) {
            natural[c] = Math.max(natural[c], cols.get(c).header().length());
            right[c] = cols.get(c).align() == Column.Align.RIGHT;
        }
        int[] w = width > 0 ? fit(cols, natural, width) : natural;
        RowBuffer row = new RowBuffer();
        row.role(Role.HEADER);
        for (Column c : cols) {
            row.cell(c.header());
        }
        out(row, format(row, right, natural, w), out);
        for (int i = 0, size = t.size(); i < size; i++) {
            t.row(i, row);
            out(row, format(row, right, natural, w), out);
            counted(out);
        }
    }

    /**
     * The widths that fit {@code width} columns of screen: shrinkable columns give way, the highest priority number
     * first (the rightmost of equal priority first), each down to its minimum. What still does not fit overflows.
     */
    static int[] fit(List<Column> cols, int[] natural, int width) {
        int n = cols.size();
        int[] w = natural.clone();
        int total = 2 * (n - 1);
        int top = 0;
        for (int c = 0; c < n; c++) {
            total += w[c];
            top = Math.max(top, cols.get(c).priority());
        }
        int excess = total - width;
        for (int p = top; p >= 1 && excess > 0; p--) {
            for (int c = n - 1; c >= 0 && excess > 0; c--) {
                if (cols.get(c).priority() != p) {
                    continue;
                }
                int cut = Math.min(excess, Math.max(0, w[c] - cols.get(c).minWidth()));
                w[c] -= cut;
                excess -= cut;
            }
        }
        return w;
    }

    /**
     * Lays out one row into {@link #chars}, ending with a newline, and returns its length: a left-aligned cell is
     * padded on the right unless it ends the row, a right-aligned one on the left. A row with fewer cells than columns
     * ends after its last cell. Characters are copied between arrays: this runs for every row of a 60,000-row table.
     */
    private int format(RowBuffer row, boolean[] right, int[] natural, int[] w) {
        int cells = Math.min(row.cells(), right.length);
        int need = 1;
        for (int c = 0; c < cells; c++) {
            need += Math.max(w[c], row.length(c)) + 3;
        }
        if (chars.length < need) {
            chars = new char[need * 2];
        }
        char[] line = chars;
        char[] src = row.chars();
        int at = 0;
        for (int c = 0; c < cells; c++) {
            int from = row.start(c);
            int len = row.end(c) - from;
            boolean cut = len > w[c] && w[c] < natural[c];
            int shown = cut ? w[c] : len;
            boolean padded = c < cells - 1;
            if (right[c] && shown < w[c]) {
                java.util.Arrays.fill(line, at, at + w[c] - shown, ' ');
                at += w[c] - shown;
            }
            if (cut) {
                int keep = w[c] - 1;
                if (keep > 0 && Character.isHighSurrogate(src[from + keep - 1])) {
                    keep--; // never split a character in two
                }
                System.arraycopy(src, from, line, at, keep);
                at += keep;
                line[at++] = CUT;
                shown = keep + 1;
            } else {
                System.arraycopy(src, from, line, at, len);
                at += len;
            }
            if (padded) {
                if (!right[c] && shown < w[c]) {
                    java.util.Arrays.fill(line, at, at + w[c] - shown, ' ');
                    at += w[c] - shown;
                }
                line[at++] = ' ';
                line[at++] = ' ';
            }
        }
        line[at++] = '\n';
        return at;
    }

    private void out(RowBuffer row, int length, PrintWriter out) {
        String code = style.enabled() ? Style.code(row.role(), row.kind()) : null;
        if (code == null) {
            out.write(chars, 0, length);
        } else {
            out.write(style.apply(code, new String(chars, 0, length - 1)));
            out.write('\n');
        }
    }

    /** Writes the builder's characters without making a string of them. */
    private void emit(StringBuilder b, PrintWriter out) {
        int n = b.length();
        if (chars.length < n) {
            chars = new char[n * 2];
        }
        b.getChars(0, n, chars, 0);
        out.write(chars, 0, n);
    }

    /** Counts a line written and, every {@value #CHECK_EVERY} lines, asks the writer whether writing failed. */
    private void counted(PrintWriter out) {
        if (++unchecked >= CHECK_EVERY) {
            check(out);
        }
    }

    private void check(PrintWriter out) {
        unchecked = 0;
        if (out.checkError()) {
            throw new OutputFailed();
        }
    }

}

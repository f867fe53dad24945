package dev.inspector.present;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * An aligned plain-text table. Cells are plain strings (already escaped); colour, when wanted, is applied per row by
 * the caller through {@link Style} after alignment, so widths are computed on visible text only.
 */
public final class TextTable {
    public enum Align { LEFT, RIGHT }

    private final String[] headers;
    private final Align[] aligns;
    private final List<String[]> rows = new ArrayList<>();
    private final List<String> rowStyles = new ArrayList<>();

    public TextTable(String[] headers, Align[] aligns) {
        if (headers.length != aligns.length) {
            throw new IllegalArgumentException("one alignment per column");
        }
        this.headers = headers.clone();
        this.aligns = aligns.clone();
    }

    public TextTable row(String... cells) {
        return styledRow(null, cells);
    }

    /** Adds a row drawn with an ANSI style code from {@link Style} (ignored when colours are off). */
    public TextTable styledRow(String style, String... cells) {
        if (cells.length != headers.length) {
            throw new IllegalArgumentException("expected " + headers.length + " cells, got " + cells.length);
        }
        rows.add(cells);
        rowStyles.add(style);
        return this;
    }

    public int size() {
        return rows.size();
    }

    public void print(PrintWriter out, Style style) {
        int n = headers.length;
        int[] w = new int[n];
        for (int c = 0; c < n; c++) {
            w[c] = headers[c].length();
        }
        for (String[] r : rows) {
            for (int c = 0; c < n; c++) {
                w[c] = Math.max(w[c], r[c].length());
            }
        }
        StringBuilder b = new StringBuilder(256);
        line(b, headers, w);
        out.println(style.bold(b.toString()));
        for (int i = 0; i < rows.size(); i++) {
            b.setLength(0);
            line(b, rows.get(i), w);
            String st = rowStyles.get(i);
            out.println(st == null ? b.toString() : style.apply(st, b.toString()));
        }
    }

    private void line(StringBuilder b, String[] cells, int[] w) {
        int n = cells.length;
        for (int c = 0; c < n; c++) {
            String s = cells[c];
            boolean last = c == n - 1;
            int pad = w[c] - s.length();
            if (aligns[c] == Align.RIGHT) {
                repeat(b, pad);
                b.append(s);
            } else {
                b.append(s);
                if (!last) {
                    repeat(b, pad);
                }
            }
            if (!last) {
                b.append("  ");
            }
        }
    }

    private static final char[] SPACES = new char[256];

    static {
        java.util.Arrays.fill(SPACES, ' ');
    }

    private static void repeat(StringBuilder b, int n) {
        while (n > 0) {
            int k = Math.min(n, SPACES.length);
            b.append(SPACES, 0, k);
            n -= k;
        }
    }
}

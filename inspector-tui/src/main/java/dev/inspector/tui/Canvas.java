package dev.inspector.tui;

import com.googlecode.lanterna.TerminalTextUtils;
import com.googlecode.lanterna.TextCharacter;
import com.googlecode.lanterna.graphics.TextGraphics;
import dev.inspector.core.model.RegionKind;

/**
 * Draws text in paints onto a Lanterna {@link TextGraphics}, cut to a width in terminal columns (wide characters
 * count two) so nothing spills into the next pane. Text from the target must already be escaped
 * ({@code present.Escape}): this class only measures and places it. Cells come from the palette's {@link Glyphs}, made
 * once per character and style, so a draw allocates no cell for text it drew before.
 */
public final class Canvas {

    private final TextGraphics g;
    private final Palette palette;
    private final int cols;
    private final int rows;
    private Glyphs cur;
    private boolean graphicsStyled;

    public Canvas(TextGraphics g, Palette palette, int cols, int rows) {
        this.g = g;
        this.palette = palette;
        this.cols = cols;
        this.rows = rows;
        this.cur = palette.glyphs(Paint.PLAIN, null);
    }

    public Palette palette() {
        return palette;
    }

    public int cols() {
        return cols;
    }

    public int rows() {
        return rows;
    }

    /** Sets the paint for the next writes. */
    public Canvas paint(Paint p, RegionKind kind) {
        Glyphs next = palette.glyphs(p, kind);
        if (next != cur) {
            cur = next;
            graphicsStyled = false;
        }
        return this;
    }

    public Canvas paint(Paint p) {
        return paint(p, null);
    }

    /**
     * Writes {@code text} at (col, row) in the current paint, cut to {@code width} columns ("…" marks a cut); returns
     * the columns used.
     */
    public int put(int col, int row, String text, int width) {
        if (row < 0 || row >= rows || col >= cols || width <= 0) {
            return 0;
        }
        width = Math.min(width, cols - col);
        String s = fit(text, width);
        return write(col, row, s);
    }

    /** Like {@link #put} but pads with spaces to exactly {@code width} columns (a bar, a selected row). */
    public void bar(int col, int row, String text, int width) {
        if (row < 0 || row >= rows || col >= cols || width <= 0) {
            return;
        }
        width = Math.min(width, cols - col);
        String s = fit(text, width);
        int w = write(col, row, s);
        if (w < width) {
            TextCharacter space = cur.cell(' ');
            for (int x = col + w; x < col + width; x++) {
                g.setCharacter(x, row, space);
            }
        }
    }

    /** Puts {@code s} (already cut to fit) from {@code col}; returns the columns it took. */
    private int write(int col, int row, String s) {
        int x = col;
        for (int i = 0, n = s.length(); i < n; i++) {
            char ch = s.charAt(i);
            TextCharacter cell = cur.cell(ch);
            if (cell == null) {
                // Not a cell of its own (a control character, a surrogate pair): Lanterna's path for the rest.
                styleGraphics();
                String rest = s.substring(i);
                g.putString(x, row, rest);
                return x - col + width(rest);
            }
            g.setCharacter(x, row, cell);
            x += singleWidth(ch) || !TerminalTextUtils.isCharDoubleWidth(ch) ? 1 : 2;
        }
        return x - col;
    }

    private void styleGraphics() {
        if (!graphicsStyled) {
            Palette.Style st = cur.style();
            g.setForegroundColor(st.fg());
            g.setBackgroundColor(st.bg());
            g.clearModifiers();
            if (!st.sgr().isEmpty()) {
                g.setModifiers(java.util.EnumSet.copyOf(st.sgr()));
            }
            graphicsStyled = true;
        }
    }

    /** Writes in a paint; returns the columns used. */
    public int put(int col, int row, String text, int width, Paint p, RegionKind kind) {
        paint(p, kind);
        return put(col, row, text, width);
    }

    public int put(int col, int row, String text, int width, Paint p) {
        return put(col, row, text, width, p, null);
    }

    /** Clears a rectangle to the plain paint. */
    public void clear(int col, int row, int width, int height) {
        paint(Paint.PLAIN);
        for (int r = row; r < Math.min(rows, row + height); r++) {
            bar(col, r, "", width);
        }
    }

    /**
     * True for a character Lanterna never draws double-width: below U+1100 (Hangul Jamo, the first wide block) or
     * between it and U+2E80 (CJK radicals), where box drawing, blocks, arrows and punctuation live. Lanterna's own test
     * looks every character up in the Unicode block table, the main cost of measuring a line.
     */
    static boolean singleWidth(char c) {
        return c < 0x1100 || (c >= 0x1200 && c < 0x2E80);
    }

    /** Columns {@code s} takes: its length when no character can be double-width. */
    static int width(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            if (!singleWidth(s.charAt(i))) {
                return TerminalTextUtils.getColumnWidth(s);
            }
        }
        return s.length();
    }

    /** {@code text} cut to {@code width} columns, with "…" as its last column when it was cut. */
    public static String fit(String text, int width) {
        if (width <= 0) {
            return "";
        }
        if (text.length() <= width && width(text) <= width) {
            return text;
        }
        if (width == 1) {
            return "…";
        }
        String cut = TerminalTextUtils.fitString(text, width - 1);
        return cut + "…";
    }

    /** Text padded (left-aligned) or cut to exactly {@code width} columns. */
    public static String pad(String text, int width) {
        String s = fit(text, width);
        int w = width(s);
        return w < width ? s + " ".repeat(width - w) : s;
    }

    /** Text right-aligned in {@code width} columns (cut on the left is never wanted for numbers: cut on the right). */
    public static String right(String text, int width) {
        String s = fit(text, width);
        int w = width(s);
        return w < width ? " ".repeat(width - w) + s : s;
    }
}

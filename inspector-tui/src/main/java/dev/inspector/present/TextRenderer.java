package dev.inspector.present;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes blocks as text: tables in aligned columns (two spaces apart, the last column unpadded), lines as their spans,
 * roles as ANSI colours when {@link Style} has colour on (a coloured row is one SGR sequence around the whole line).
 *
 * <p>With a width ({@code > 0}, a terminal or {@code --width}) the output fits it. A table wider than the width gives
 * way column by column, the highest {@link Column#priority()} first: a {@link Column.Cut#HIDE} column is left out
 * (and one muted line at the end names what was left out), a cut column shrinks to its minimum width and each cell it
 * shortens shows the cut mark ({@value #CUT} or {@code ...}) at its end, or at its start for paths. Room left over
 * goes back to the most important cut columns. A line longer than the width is wrapped at spaces, its continuation
 * lines indented by the line's {@link Line#hang()}. Width 0 writes every cell and line whole: what scripts reading
 * piped output rely on, and what {@code --wide} asks for.
 *
 * <p>With {@link Style#ascii()} (a locale that is not UTF-8) only ASCII is written: the glyphs of the views become
 * their ASCII forms and any other character an escape ({@link Glyphs#toAscii}).
 *
 * <p>Writing stops at the first failed write: {@link PrintWriter} records a failure instead of throwing, so the
 * renderer asks it every {@value #CHECK_EVERY} lines and at the end, and throws {@link OutputFailed}; no more rows
 * are made for a reader that has gone. A renderer keeps a line buffer: one per thread.
 */
public final class TextRenderer {

    /** Rows between checks of the writer: about one 64 KiB output buffer of a maps table. */
    static final int CHECK_EVERY = 512;
    /** The mark of a shortened cell (a UTF-8 locale); {@link Glyphs#CUT_ASCII} otherwise. */
    public static final char CUT = '\u2026';
    /** Continuation lines of a wrapped line keep at least this many characters of text. */
    static final int MIN_WRAPPED_TEXT = 20;

    private final Style style;
    private final int width;
    private final String cut;
    private char[] chars = new char[512];
    /** Lines written since the writer was last asked for an error. */
    private int unchecked;
    /** Headers of the columns left out to fit, in the order met (for the note at the end of a render). */
    private final List<String> hidden = new ArrayList<>();

    /** A renderer that never shortens (width 0). */
    public TextRenderer(Style style) {
        this(style, 0);
    }

    /** {@code width}: the screen width output is fitted to, or 0 for none. */
    public TextRenderer(Style style, int width) {
        if (width < 0) {
            throw new IllegalArgumentException("width must be 0 (none) or positive, not " + width);
        }
        this.style = style;
        this.width = width;
        this.cut = style.ascii() ? Glyphs.CUT_ASCII : String.valueOf(CUT);
    }

    /** The width output is fitted to; 0 when it is written whole. */
    public int width() {
        return width;
    }

    /** Writes the blocks in order, then makes sure they were written. */
    public void render(List<? extends Block> blocks, PrintWriter out) {
        hidden.clear();
        for (Block b : blocks) {
            write(b, out);
        }
        hiddenNote(out);
        check(out);
    }

    public void render(Block block, PrintWriter out) {
        render(List.of(block), out);
    }

    private void write(Block b, PrintWriter out) {
        if (b instanceof Table t) {
            table(t, out);
        } else if (b instanceof Line l) {
            line(l, out);
        }
    }

    // ---- lines ----------------------------------------------------------------------------------------------------

    private void line(Line l, PrintWriter out) {
        List<Span> spans = l.spans();
        String[] texts = new String[spans.size()];
        int total = 0;
        for (int i = 0; i < texts.length; i++) {
            String t = spans.get(i).text();
            texts[i] = style.ascii() ? Glyphs.toAscii(t) : t;
            total += texts[i].length();
        }
        if (width == 0 || total <= width) {
            StringBuilder b = new StringBuilder(total + 16);
            piece(spans, texts, 0, total, b);
            b.append('\n');
            emit(b, out);
            counted(out);
            return;
        }
        StringBuilder all = new StringBuilder(total);
        for (String t : texts) {
            all.append(t);
        }
        int hang = Math.min(l.hang(), Math.max(0, width - MIN_WRAPPED_TEXT));
        int start = 0;
        boolean first = true;
        while (start < total) {
            int room = first ? width : width - hang;
            int end;
            int next;
            if (total - start <= room) {
                end = total;
                next = total;
            } else {
                int space = all.lastIndexOf(" ", start + room);
                while (space > start && all.charAt(space - 1) == ' ') {
                    space--; // break before a run of spaces, not inside it
                }
                if (space > start && (!first || space > hang)) {
                    end = space;
                } else {
                    end = start + room; // one word longer than the line: break it
                    if (Character.isHighSurrogate(all.charAt(end - 1))) {
                        end--;
                    }
                }
                next = end;
                while (next < total && all.charAt(next) == ' ') {
                    next++;
                }
            }
            StringBuilder b = new StringBuilder(width + 16);
            if (!first) {
                b.append(" ".repeat(hang));
            }
            piece(spans, texts, start, end, b);
            b.append('\n');
            emit(b, out);
            counted(out);
            first = false;
            start = next;
        }
    }

    /** Appends characters [from, to) of the spans' texts, each run coloured by its span's role. */
    private void piece(List<Span> spans, String[] texts, int from, int to, StringBuilder b) {
        int at = 0;
        for (int i = 0; i < texts.length && at < to; i++) {
            String t = texts[i];
            int a = Math.max(from, at);
            int z = Math.min(to, at + t.length());
            if (a < z) {
                String part = t.substring(a - at, z - at);
                Span s = spans.get(i);
                String code = style.enabled() ? Style.code(s.role(), s.kind()) : null;
                b.append(code == null ? part : style.apply(code, part));
            }
            at += t.length();
        }
    }

    // ---- tables ---------------------------------------------------------------------------------------------------

    private void table(Table t, PrintWriter out) {
        List<Column> cols = t.columns();
        int n = cols.size();
        boolean ascii = style.ascii() && !t.asciiOnly();
        int[] natural = ascii ? asciiWidths(t) : t.widths().clone();
        boolean[] right = new boolean[n];
        boolean[] fromStart = new boolean[n];
        for (int c = 0; c < n; c++) {
            natural[c] = Math.max(natural[c], cols.get(c).header().length());
            right[c] = cols.get(c).align() == Column.Align.RIGHT;
            fromStart[c] = cols.get(c).cut() == Column.Cut.START;
        }
        int[] w = width > 0 ? fit(cols, natural, width, cut.length()) : natural;
        for (int c = 0; c < n; c++) {
            if (w[c] < 0 && !hidden.contains(cols.get(c).header())) {
                hidden.add(cols.get(c).header());
            }
        }
        RowBuffer row = new RowBuffer();
        row.role(Role.HEADER);
        for (Column c : cols) {
            row.cell(c.header());
        }
        out(row, format(row, right, fromStart, natural, w), out);
        for (int i = 0, size = t.size(); i < size; i++) {
            t.row(i, row);
            if (ascii) {
                row.toAscii();
            }
            out(row, format(row, right, fromStart, natural, w), out);
            counted(out);
        }
    }

    /** The natural widths of a table whose cells may change length when made ASCII: each row made and measured. */
    private static int[] asciiWidths(Table t) {
        List<Column> cols = t.columns();
        int[] w = new int[cols.size()];
        RowBuffer b = new RowBuffer();
        for (int i = 0, n = t.size(); i < n; i++) {
            t.row(i, b);
            b.toAscii();
            for (int c = 0; c < Math.min(b.cells(), w.length); c++) {
                w[c] = Math.max(w[c], b.length(c));
            }
        }
        return w;
    }

    /** {@link #fit(List, int[], int, int)} with the one-character cut mark of a UTF-8 locale. */
    static int[] fit(List<Column> cols, int[] natural, int width) {
        return fit(cols, natural, width, 1);
    }

    /**
     * The widths that fit {@code width} columns of screen, -1 for a column left out. Columns give way by priority, the
     * highest number first, all those of one priority together (hidden, or shrunk to their minimum), until the table
     * fits; then the room left over goes back to the shrunk columns, the most important first, each up to its natural
     * width. What still does not fit (columns that never give way) overflows.
     */
    static int[] fit(List<Column> cols, int[] natural, int width, int markLength) {
        int n = cols.size();
        int[] w = natural.clone();
        int top = 0;
        for (int c = 0; c < n; c++) {
            top = Math.max(top, cols.get(c).priority());
        }
        int total = total(w);
        for (int p = top; p >= 1 && total > width; p--) {
            for (int c = n - 1; c >= 0; c--) {
                Column col = cols.get(c);
                if (col.priority() != p) {
                    continue;
                }
                if (col.cut() == Column.Cut.HIDE) {
                    w[c] = -1;
                } else {
                    // minWidth counts a one-character mark: a longer mark (ASCII "...") keeps as much text
                    w[c] = Math.min(w[c], Math.max(col.minWidth() - 1 + markLength, markLength + 1));
                }
            }
            total = total(w);
        }
        int spare = width - total;
        for (int p = 1; p <= top && spare > 0; p++) {
            for (int c = 0; c < n && spare > 0; c++) {
                if (cols.get(c).priority() != p || w[c] < 0 || w[c] >= natural[c]) {
                    continue;
                }
                int give = Math.min(spare, natural[c] - w[c]);
                w[c] += give;
                spare -= give;
            }
        }
        return w;
    }

    /** The width of a row laid out with these column widths (-1: left out), two spaces between columns. */
    private static int total(int[] w) {
        int sum = 0;
        int shown = 0;
        for (int x : w) {
            if (x >= 0) {
                sum += x;
                shown++;
            }
        }
        return sum + 2 * Math.max(0, shown - 1);
    }

    /**
     * Lays out one row into {@link #chars}, ending with a newline, and returns its length: a left-aligned cell is
     * padded on the right unless it ends the row, a right-aligned one on the left. A row with fewer cells than columns
     * ends after its last cell; a column left out (width -1) is skipped. Characters are copied between arrays: this
     * runs for every row of a 60,000-row table.
     */
    private int format(RowBuffer row, boolean[] right, boolean[] fromStart, int[] natural, int[] w) {
        int cells = Math.min(row.cells(), right.length);
        int last = cells - 1;
        while (last >= 0 && (w[last] < 0 || row.length(last) == 0)) { // nothing shown after it: no padding
            last--;
        }
        int need = 1;
        for (int c = 0; c <= last; c++) {
            need += Math.max(w[c], row.length(c)) + cut.length() + 2;
        }
        if (chars.length < need) {
            chars = new char[need * 2];
        }
        char[] line = chars;
        char[] src = row.chars();
        int at = 0;
        for (int c = 0; c <= last; c++) {
            if (w[c] < 0) {
                continue;
            }
            int from = row.start(c);
            int len = row.end(c) - from;
            boolean shorten = len > w[c] && w[c] < natural[c];
            int shown = shorten ? w[c] : len;
            if (right[c] && shown < w[c]) {
                java.util.Arrays.fill(line, at, at + w[c] - shown, ' ');
                at += w[c] - shown;
            }
            if (shorten) {
                int keep = Math.max(0, w[c] - cut.length());
                if (fromStart[c]) {
                    int begin = from + len - keep;
                    if (keep > 0 && Character.isLowSurrogate(src[begin])) {
                        begin++; // never split a character in two
                        keep--;
                    }
                    // A path reads best from a directory boundary: "…/bin/typical", not "…rget/bin/typical".
                    for (int k = begin; k < from + len - 1; k++) {
                        if (src[k] == '/') {
                            keep -= k - begin;
                            begin = k;
                            break;
                        }
                    }
                    cut.getChars(0, cut.length(), line, at);
                    at += cut.length();
                    System.arraycopy(src, begin, line, at, keep);
                    at += keep;
                } else {
                    if (keep > 0 && Character.isHighSurrogate(src[from + keep - 1])) {
                        keep--; // never split a character in two
                    }
                    // End at a word or list boundary just before the cut ("text .init,…"), but never give up more than
                    // a few characters for it: a long command line keeps as much as fits.
                    for (int k = from + keep - 1; k >= from + keep - Math.min(8, keep / 3) && k > from; k--) {
                        if (src[k] == ',' || src[k] == ' ') {
                            keep = k - from + (src[k] == ',' ? 1 : 0);
                            break;
                        }
                    }
                    System.arraycopy(src, from, line, at, keep);
                    at += keep;
                    cut.getChars(0, cut.length(), line, at);
                    at += cut.length();
                }
                shown = keep + cut.length();
            } else {
                System.arraycopy(src, from, line, at, len);
                at += len;
            }
            if (c < last) {
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

    /** After a render that left columns out to fit: one muted line naming them and how to see them. */
    private void hiddenNote(PrintWriter out) {
        if (hidden.isEmpty()) {
            return;
        }
        line(Line.of(Role.MUTED, "(" + String.join(", ", hidden) + (hidden.size() == 1 ? " is" : " are")
                + " not shown to fit " + width + " columns; --wide shows every column)"), out);
        hidden.clear();
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

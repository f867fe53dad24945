package dev.inspector.tui;

import com.googlecode.lanterna.TerminalTextUtils;
import dev.inspector.core.model.RegionKind;
import dev.inspector.present.Block;
import dev.inspector.present.Column;
import dev.inspector.present.Line;
import dev.inspector.present.Role;
import dev.inspector.present.RowBuffer;
import dev.inspector.present.Span;
import dev.inspector.present.Table;

import java.util.ArrayList;
import java.util.List;

/**
 * A line of the screen made of pieces of text, each with a paint: what the presenters' blocks (lines of spans, tables
 * of rows with roles) become here, so the map draws the same rows the CLI prints. Roles become paints in one place,
 * {@link #paint(Role)}; {@link Palette} turns paints into colours.
 */
public final class Styled {

    /** A piece of text with its paint ({@code kind} with {@link Paint#KIND}). */
    public record Seg(String text, Paint paint, RegionKind kind) {
    }

    private final List<Seg> segs = new ArrayList<>();

    public Styled(String text, Paint p, RegionKind k) {
        then(text, p, k);
    }

    public Styled() {
    }

    public Styled then(String text, Paint p, RegionKind k) {
        if (!text.isEmpty()) {
            segs.add(new Seg(text, p, k));
        }
        return this;
    }

    public List<Seg> segs() {
        return segs;
    }

    public String text() {
        StringBuilder b = new StringBuilder();
        for (Seg s : segs) {
            b.append(s.text());
        }
        return b.toString();
    }

    /** Draws the line at (x, y), cut to {@code w} columns. */
    public void draw(Canvas c, int x, int y, int w) {
        int used = 0;
        for (int i = 0; i < segs.size() && used < w; i++) {
            Seg s = segs.get(i);
            used += c.put(x + used, y, s.text(), w - used, s.paint(), s.kind());
        }
    }

    /**
     * Lines cut into lines of at most {@code width} columns at spaces (a word longer than the width is cut), each
     * continuation indented to where the line's text begins: after its leading label segment (a {@link Paint#LABEL}
     * first segment, as the demo's "did", "claim" rows and translate's steps have) and the spaces that follow it, or
     * after the leading spaces of a line without a label (a step's second line), so the text stays in its column.
     */
    public static List<Styled> wrap(List<Styled> lines, int width) {
        List<Styled> out = new ArrayList<>();
        for (Styled line : lines) {
            if (Canvas.width(line.text()) <= width || width < 8) {
                out.add(line);
                continue;
            }
            int indent = 0;
            String all = line.text();
            if (!line.segs.isEmpty() && line.segs.get(0).paint() == Paint.LABEL) {
                indent = line.segs.get(0).text().length();
            }
            while (indent < all.length() && all.charAt(indent) == ' ') {
                indent++;
            }
            indent = Canvas.width(all.substring(0, indent));
            if (indent > width / 2) {
                indent = 2;
            }
            Styled cur = new Styled();
            int col = 0;
            for (Seg seg : line.segs) {
                String t = seg.text();
                int i = 0;
                while (i < t.length()) {
                    // the next piece: up to and including the next run of spaces
                    int j = i;
                    while (j < t.length() && t.charAt(j) != ' ') {
                        j++;
                    }
                    while (j < t.length() && t.charAt(j) == ' ') {
                        j++;
                    }
                    String piece = t.substring(i, j);
                    int pw = Canvas.width(piece.stripTrailing());
                    if (col > indent && col + pw > width) {
                        out.add(cur.trimEnd());
                        cur = new Styled(" ".repeat(indent), Paint.PLAIN, null);
                        col = indent;
                        if (piece.isBlank()) {
                            i = j;
                            continue;
                        }
                    }
                    if (col + pw > width) {
                        // longer than a whole line: cut it
                        int room = Math.max(1, width - col);
                        piece = piece.substring(0, Math.min(piece.length(), room));
                        j = i + piece.length();
                        pw = Canvas.width(piece);
                    }
                    cur.then(piece, seg.paint(), seg.kind());
                    col += Canvas.width(piece);
                    i = j;
                }
            }
            out.add(cur.trimEnd());
        }
        return out;
    }

    /** This line without the spaces at its end (a wrapped line's last word keeps none). */
    Styled trimEnd() {
        while (!segs.isEmpty()) {
            Seg last = segs.get(segs.size() - 1);
            String t = last.text().stripTrailing();
            if (t.length() == last.text().length()) {
                break;
            }
            segs.remove(segs.size() - 1);
            if (!t.isEmpty()) {
                segs.add(new Seg(t, last.paint(), last.kind()));
                break;
            }
        }
        return this;
    }

    private static final java.util.Map<Role, Paint> PAINTS = new java.util.EnumMap<>(Role.class);

    static {
        for (Role r : Role.values()) {
            Paint p;
            try {
                p = Paint.valueOf(r.name());
            } catch (IllegalArgumentException e) {
                p = Paint.PLAIN; // a role added to the presenters before the screen knows it: drawn plain, never a crash
            }
            PAINTS.put(r, p);
        }
    }

    /** The presenters' roles as paints: the members share their names. */
    public static Paint paint(Role r) {
        return PAINTS.get(r);
    }

    /**
     * Blocks as lines: a {@link Line} span by span, a {@link Table} with its headings and rows aligned as the text
     * renderer aligns them (two spaces between columns, numbers right-aligned), each row in its role.
     */
    public static List<Styled> of(List<? extends Block> blocks) {
        List<Styled> out = new ArrayList<>();
        for (Block b : blocks) {
            if (b instanceof Line l) {
                Styled s = new Styled();
                for (Span sp : l.spans()) {
                    s.then(sp.text(), paint(sp.role()), sp.kind());
                }
                out.add(s);
            } else if (b instanceof Table t) {
                table(t, out);
            }
        }
        return out;
    }

    private static void table(Table t, List<Styled> out) {
        List<Column> cols = t.columns();
        int[] w = t.widths().clone();
        for (int c = 0; c < w.length; c++) {
            w[c] = Math.max(w[c], cols.get(c).header().length());
        }
        Styled head = new Styled();
        StringBuilder h = new StringBuilder();
        for (int c = 0; c < cols.size(); c++) {
            cell(h, cols.get(c).header(), w[c], cols.get(c).align() == Column.Align.RIGHT, c == cols.size() - 1);
        }
        head.then(h.toString(), Paint.HEADER, null);
        out.add(head);
        RowBuffer row = new RowBuffer();
        for (int i = 0; i < t.size(); i++) {
            t.row(i, row);
            StringBuilder b = new StringBuilder();
            for (int c = 0; c < Math.min(row.cells(), cols.size()); c++) {
                cell(b, row.cell(c), w[c],
                        cols.get(c).align() == Column.Align.RIGHT, c == row.cells() - 1);
            }
            out.add(new Styled(b.toString(), paint(row.role()), row.kind()));
        }
    }

    private static void cell(StringBuilder b, String text, int w, boolean right, boolean last) {
        int tw = TerminalTextUtils.getColumnWidth(text);
        if (right && tw < w) {
            b.append(" ".repeat(w - tw));
        }
        b.append(text);
        if (!last) {
            if (!right && tw < w) {
                b.append(" ".repeat(w - tw));
            }
            b.append("  ");
        }
    }
}

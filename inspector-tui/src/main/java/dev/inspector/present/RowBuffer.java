package dev.inspector.present;

import dev.inspector.core.model.RegionKind;

import java.util.ArrayList;
import java.util.List;

/**
 * One row being filled by {@link Table#row}: the row's role and its cells, the cells' text in one reused character
 * buffer. A table of 60,000 mappings is drawn through one of these, so no object or string is made per row or per
 * cell unless the table keeps one anyway; an address is written as digits straight into the buffer ({@link #hex}).
 */
public final class RowBuffer {

    private char[] text = new char[256];
    private int length;
    private int[] ends = new int[16];
    private int cells;
    private Role role = Role.PLAIN;
    private RegionKind kind;

    /** Empties the buffer for the next row (the table's {@link Table#row} does it first). */
    public RowBuffer clear() {
        length = 0;
        cells = 0;
        role = Role.PLAIN;
        kind = null;
        return this;
    }

    public RowBuffer role(Role r) {
        this.role = r;
        this.kind = null;
        return this;
    }

    public RowBuffer kind(RegionKind k) {
        this.role = Role.KIND;
        this.kind = k;
        return this;
    }

    /** Adds a cell (already escaped where it holds target text). */
    public RowBuffer cell(String s) {
        int n = s.length();
        room(n);
        s.getChars(0, n, text, length);
        length += n;
        return end();
    }

    /** Adds a cell holding an unsigned address in lowercase hex, at least {@code minDigits} digits (zero-padded). */
    public RowBuffer hex(long v, int minDigits) {
        int n = Math.max(minDigits, hexDigits(v));
        room(n);
        for (int k = length + n - 1; k >= length; k--) {
            text[k] = DIGITS[(int) (v & 15)];
            v >>>= 4;
        }
        length += n;
        return end();
    }

    /** Adds a cell holding a non-negative number in decimal, written straight into the buffer. */
    public RowBuffer decimal(long v) {
        if (v < 0) {
            return cell(Long.toString(v));
        }
        int n = 1;
        for (long x = v; x >= 10; x /= 10) {
            n++;
        }
        room(n);
        for (int k = length + n - 1; k >= length; k--) {
            text[k] = DIGITS[(int) (v % 10)];
            v /= 10;
        }
        length += n;
        return end();
    }

    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    /** Digits of {@code v} in hex, at least one. */
    public static int hexDigits(long v) {
        return Math.max(1, (64 - Long.numberOfLeadingZeros(v) + 3) / 4);
    }

    private void room(int n) {
        if (length + n > text.length) {
            text = java.util.Arrays.copyOf(text, Math.max(text.length * 2, length + n));
        }
    }

    private RowBuffer end() {
        if (cells == ends.length) {
            ends = java.util.Arrays.copyOf(ends, cells * 2);
        }
        ends[cells++] = length;
        return this;
    }

    public Role role() {
        return role;
    }

    /** The region kind when the role is {@link Role#KIND}, else null. */
    public RegionKind kind() {
        return kind;
    }

    public int cells() {
        return cells;
    }

    /** Where cell {@code i} starts in {@link #chars()}. */
    public int start(int i) {
        return i == 0 ? 0 : ends[i - 1];
    }

    /** Where cell {@code i} ends (exclusive) in {@link #chars()}. */
    public int end(int i) {
        return ends[i];
    }

    public int length(int i) {
        return end(i) - start(i);
    }

    /** The characters of every cell, one after the other (read-only; valid until the next change). */
    char[] chars() {
        return text;
    }

    /** Cell {@code i} as a string (made on demand: for tests and for views that keep what they draw). */
    public String cell(int i) {
        return new String(text, start(i), length(i));
    }

    /** The row as a value, for whoever keeps it. */
    public Row toRow() {
        List<String> c = new ArrayList<>(cells);
        for (int i = 0; i < cells; i++) {
            c.add(cell(i));
        }
        return new Row(role, kind, c);
    }

    /** Replaces every cell by its ASCII form ({@link Glyphs#toAscii}); a row of ASCII only is left as it is. */
    void toAscii() {
        int i = 0;
        while (i < length && text[i] < 0x80) {
            i++;
        }
        if (i == length) {
            return;
        }
        String[] old = new String[cells];
        for (int c = 0; c < cells; c++) {
            old[c] = cell(c);
        }
        Role r = role;
        dev.inspector.core.model.RegionKind k = kind;
        clear();
        role = r;
        kind = k;
        for (String c : old) {
            cell(Glyphs.toAscii(c));
        }
    }

    /** Copies a row in (how a {@link ListTable} fills the buffer). */
    public RowBuffer set(Row r) {
        clear();
        role = r.role();
        kind = r.kind();
        for (String c : r.cells()) {
            cell(c);
        }
        return this;
    }
}

package dev.inspector.tui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TextCharacter;

import java.util.EnumSet;

/**
 * The cells of one style, made once per character: Lanterna builds and checks a {@link TextCharacter} for every
 * character put on the screen (a grapheme break iterator and two Unicode block look-ups each), which was the largest
 * part of a draw. A cell is immutable, so the same one can be set wherever that character appears in that style.
 * Reads take no lock (a table is replaced, never changed); only a character not seen before in this style locks.
 */
final class Glyphs {

    private record Table(char[] keys, TextCharacter[] cells, int used) {
    }

    private final Palette.Style style;
    private volatile Table table = new Table(new char[64], new TextCharacter[64], 0);

    Glyphs(Palette.Style style) {
        this.style = style;
    }

    Palette.Style style() {
        return style;
    }

    /**
     * The cell for {@code c}, or null for a character that must go through Lanterna's own path: a control character
     * or half of a surrogate pair.
     */
    TextCharacter cell(char c) {
        if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
            return null;
        }
        Table t = table;
        int mask = t.keys.length - 1;
        for (int i = c & mask; ; i = (i + 1) & mask) {
            TextCharacter cell = t.cells[i];
            if (cell == null) {
                return add(c);
            }
            if (t.keys[i] == c) {
                return cell;
            }
        }
    }

    private synchronized TextCharacter add(char c) {
        Table t = table;
        int n = t.keys.length;
        // Rebuilt at twice the size when half full, so a probe always ends at an empty slot.
        int size = (t.used + 1) * 2 > n ? n * 2 : n;
        char[] keys = new char[size];
        TextCharacter[] cells = new TextCharacter[size];
        TextCharacter made = null;
        for (int i = 0; i < n; i++) {
            if (t.cells[i] != null) {
                if (t.keys[i] == c) {
                    return t.cells[i]; // another thread added it meanwhile
                }
                put(keys, cells, t.keys[i], t.cells[i]);
            }
        }
        made = new TextCharacter(c, style.fg(), style.bg(), style.sgr().isEmpty() ? EnumSet.noneOf(SGR.class)
                : EnumSet.copyOf(style.sgr()));
        put(keys, cells, c, made);
        table = new Table(keys, cells, t.used + 1);
        return made;
    }

    private static void put(char[] keys, TextCharacter[] cells, char c, TextCharacter cell) {
        int mask = keys.length - 1;
        int i = c & mask;
        while (cells[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = c;
        cells[i] = cell;
    }
}

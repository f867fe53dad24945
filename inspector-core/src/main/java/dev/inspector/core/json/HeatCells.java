package dev.inspector.core.json;

import dev.inspector.core.residency.HeatMap;

/**
 * The characters of a heat map of present pages, one per cell: the same in {@code pages --json} (its {@code heat}
 * strings) and in the text view, so they are defined once, here.
 */
public final class HeatCells {

    private static final char[] UNICODE = {' ', '.', ':', '\u2592', '\u2588'};
    private static final char[] ASCII = {' ', '.', ':', '+', '#'};
    /** A cell none of whose pages lies in a mapping (range heat maps only). */
    public static final char UNMAPPED = '_';

    private HeatCells() {
    }

    /** The five cell characters: none, under 1/3, under 2/3, more, all present. */
    public static char[] glyphs(boolean ascii) {
        return (ascii ? ASCII : UNICODE).clone();
    }

    /** The cell character of a fraction of present pages: none, under 1/3, under 2/3, under all, all. */
    public static char cell(long present, long mapped, boolean ascii) {
        char[] set = ascii ? ASCII : UNICODE;
        if (mapped == 0) {
            return UNMAPPED;
        }
        if (present == 0) {
            return set[0];
        }
        if (present == mapped) {
            return set[4];
        }
        if (present * 3 < mapped) {
            return set[1];
        }
        if (present * 3 < 2 * mapped) {
            return set[2];
        }
        return set[3];
    }

    /** One character per cell of the heat map. */
    public static String line(HeatMap h, boolean ascii) {
        StringBuilder b = new StringBuilder(h.buckets());
        for (int i = 0; i < h.buckets(); i++) {
            b.append(cell(h.present(i), h.mapped(i), ascii));
        }
        return b.toString();
    }
}

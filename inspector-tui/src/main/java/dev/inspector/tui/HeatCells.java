package dev.inspector.tui;

import dev.inspector.core.model.PageRun;

/**
 * The residency heat map as screen cells: each cell is a run of pages (a cell of a {@link HeatSource}); its
 * category is what most of its pages are (present, on the zero page, swapped, huge, file, never touched) and its glyph
 * how many of them are present (█ all, ▓ most, ▒ some, ░ few). Categories the scan path could not observe are never
 * claimed (no "zero page" from PAGEMAP_SCAN-less pagemap reads without PFNs, for instance).
 */
public final class HeatCells {

    public enum Category {
        /** The cell lies outside the mapping (a window's edge). */
        UNMAPPED(' ', "outside"),
        UNTOUCHED('·', "untouched"),
        PRESENT('█', "present"),
        FILE('█', "file page"),
        ZERO('z', "zero page"),
        HUGE('H', "huge"),
        SWAPPED('s', "swapped");

        private final char glyph;
        private final String label;

        Category(char glyph, String label) {
            this.glyph = glyph;
            this.label = label;
        }

        public char glyph() {
            return glyph;
        }

        public String label() {
            return label;
        }
    }

    /** One cell: its category, the glyph to draw, and the share of its mapped pages present. */
    public record Cell(Category category, char glyph, double present) {
    }

    private HeatCells() {
    }

    public static Cell cell(HeatSource h, int b) {
        long mapped = h.mapped(b);
        if (mapped == 0) {
            return new Cell(Category.UNMAPPED, ' ', 0);
        }
        int known = h.knownFlags();
        long present = h.present(b);
        long swapped = h.swapped(b);
        double share = (double) present / mapped;
        if (swapped > 0 && swapped >= present) {
            return new Cell(Category.SWAPPED, 's', share);
        }
        if (present == 0) {
            return new Cell(Category.UNTOUCHED, '·', 0);
        }
        if ((known & PageRun.ZERO) != 0 && h.zeroPage(b) * 2 >= present) {
            return new Cell(Category.ZERO, 'z', share);
        }
        if ((known & PageRun.HUGE) != 0 && h.huge(b) * 2 >= present) {
            return new Cell(Category.HUGE, 'H', share);
        }
        char g = density(share);
        if ((known & PageRun.FILE) != 0 && h.file(b) * 2 >= present) {
            return new Cell(Category.FILE, g, share);
        }
        return new Cell(Category.PRESENT, g, share);
    }

    /** █ all present, ▓ at least two thirds, ▒ at least one third, ░ fewer. */
    public static char density(double share) {
        if (share >= 0.999) {
            return '█';
        }
        if (share >= 2.0 / 3) {
            return '▓';
        }
        if (share >= 1.0 / 3) {
            return '▒';
        }
        return '░';
    }
}

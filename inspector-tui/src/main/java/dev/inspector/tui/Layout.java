package dev.inspector.tui;

/**
 * Where each part of the map screen goes for a terminal size: two header lines, the address-space column on the left,
 * the region table above the lower pane (detail, summary by kind, or changes) on the right, the key bar at the bottom.
 * Pure, so the model knows how many rows a page is and how many cells the heat map has without a terminal.
 */
public record Layout(int cols, int rows, boolean tooSmall, Rect header, Rect column, Rect table, Rect pane,
                     Rect footer) {

    /** The smallest terminal the map screen is drawn on; below it a message says what size is needed. */
    public static final int MIN_COLS = 80;
    public static final int MIN_ROWS = 24;

    public record Rect(int col, int row, int width, int height) {
        public int bottom() {
            return row + height;
        }

        public int right() {
            return col + width;
        }
    }

    public static Layout of(int cols, int rows, boolean paneMaximized) {
        if (cols < MIN_COLS || rows < MIN_ROWS) {
            Rect z = new Rect(0, 0, 0, 0);
            return new Layout(cols, rows, true, z, z, z, z, z);
        }
        int colW = cols >= 140 ? 30 : cols >= 100 ? 24 : 20;
        int bodyTop = 2;
        int bodyH = rows - 3;
        int right = colW + 1;
        int rightW = cols - right;
        int tableH = paneMaximized ? 5 : Math.max(7, bodyH * 45 / 100);
        Rect header = new Rect(0, 0, cols, 2);
        Rect column = new Rect(0, bodyTop, colW, bodyH);
        Rect table = new Rect(right, bodyTop, rightW, tableH);
        Rect pane = new Rect(right, bodyTop + tableH, rightW, bodyH - tableH);
        Rect footer = new Rect(0, rows - 1, cols, 1);
        return new Layout(cols, rows, false, header, column, table, pane, footer);
    }

    /** Rows of regions the table shows (its first row is the column headings). */
    public int tableRows() {
        return Math.max(1, table.height() - 1);
    }

    /** Lines of the heat map in the detail pane. */
    public int heatRows() {
        int content = pane.height() - 1;
        return content >= 16 ? 4 : content >= 12 ? 3 : 2;
    }

    /** Cells of the heat map: its lines times the pane's width. */
    public int heatCells() {
        return heatRows() * Math.max(1, pane.width());
    }
}

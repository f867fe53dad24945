package dev.inspector.present;

import java.util.List;

/** A {@link Table} whose rows are made in advance: every table of the tool except the big per-mapping ones. */
public record ListTable(List<Column> columns, List<Row> rows) implements Table {

    public ListTable {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
        for (Row r : rows) {
            if (r.cells().size() > columns.size()) {
                throw new IllegalArgumentException("a row of " + r.cells().size() + " cells in a table of "
                        + columns.size() + " columns");
            }
        }
    }

    @Override
    public int size() {
        return rows.size();
    }

    @Override
    public void row(int i, RowBuffer into) {
        into.set(rows.get(i));
    }

    @Override
    public Row rowAt(int i) {
        return rows.get(i);
    }

    @Override
    public boolean asciiOnly() {
        for (Row r : rows) {
            for (String c : r.cells()) {
                for (int i = 0; i < c.length(); i++) {
                    if (c.charAt(i) >= 0x80) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    @Override
    public int[] widths() {
        int[] w = new int[columns.size()];
        for (int c = 0; c < w.length; c++) {
            w[c] = columns.get(c).header().length();
        }
        for (Row r : rows) {
            List<String> cells = r.cells();
            for (int c = 0; c < cells.size(); c++) {
                w[c] = Math.max(w[c], cells.get(c).length());
            }
        }
        return w;
    }
}

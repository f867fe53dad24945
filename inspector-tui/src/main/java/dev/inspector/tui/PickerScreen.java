package dev.inspector.tui;

import dev.inspector.core.model.ProcessList;
import dev.inspector.present.Escape;
import dev.inspector.present.Format;

import java.util.List;

/** Draws the {@link PickerModel}: a title, the column headings, the processes, the filter line and the keys. */
public final class PickerScreen {

    private PickerScreen() {
    }

    /** Rows of processes the screen shows at this height. */
    public static int pageRows(int rows) {
        return Math.max(1, rows - 4);
    }

    public static void draw(PickerModel m, Canvas c) {
        c.clear(0, 0, c.cols(), c.rows());
        if (c.cols() < Layout.MIN_COLS || c.rows() < Layout.MIN_ROWS) {
            MapScreen.tooSmall(c);
            return;
        }
        ProcessList l = m.list();
        String title = " inspector tui: choose a process to map";
        if (l != null) {
            title += " · " + m.rows().size() + " of " + l.rows().size() + " processes";
            if (l.denied() > 0) {
                title += " · " + l.denied() + " closed to this user";
            }
        }
        c.paint(Paint.TITLE);
        c.bar(0, 0, title, c.cols());
        String head = "  " + h(m, PickerModel.Sort.PID, 7, true) + " " + h(m, PickerModel.Sort.USER, 9, false) + " "
                + h(m, PickerModel.Sort.STATE, 2, false) + " " + h(m, PickerModel.Sort.RSS, 6, true) + " "
                + h(m, PickerModel.Sort.PSS, 6, true) + " " + h(m, PickerModel.Sort.MAPS, 6, true) + "  "
                + h(m, PickerModel.Sort.COMMAND, 20, false);
        c.paint(Paint.HEADER);
        c.bar(0, 1, head, c.cols());
        if (l == null) {
            c.put(2, 2, "reading the process list ...", c.cols() - 2, Paint.MUTED);
        }
        List<ProcessList.Row> rows = m.rows();
        int page = pageRows(c.rows());
        for (int i = 0; i < page && m.scroll() + i < rows.size(); i++) {
            int k = m.scroll() + i;
            ProcessList.Row r = rows.get(k);
            String why = PickerModel.reason(r);
            String line = (why != null ? "✗ " : r.pid() == m.self() ? "* " : "  ")
                    + Canvas.right(Integer.toString(r.pid()), 7) + " " + Canvas.pad(Escape.forTerminal(r.user()), 9)
                    + " " + Canvas.pad(r.state(), 2) + " " + Canvas.right(r.kernelThread() ? "-" : Format.size(r.rss()), 6)
                    + " " + Canvas.right(r.pss() == null ? "?" : Format.size(r.pss()), 6) + " "
                    + Canvas.right(r.mappings() == null ? "?" : Integer.toString(r.mappings()), 6) + "  "
                    + PickerModel.command(r);
            if (k == m.selected()) {
                c.paint(Paint.SELECTED);
                c.bar(0, 2 + i, line, c.cols());
            } else {
                c.put(0, 2 + i, line, c.cols(), why != null ? Paint.MUTED : Paint.PLAIN);
            }
        }
        int y = c.rows() - 2;
        String info;
        Paint p;
        if (m.messageText() != null) {
            info = " " + m.messageText();
            p = m.messagePaint();
        } else if (!rows.isEmpty() && PickerModel.reason(rows.get(m.selected())) != null) {
            info = " ✗ " + PickerModel.reason(rows.get(m.selected()));
            p = Paint.WARNING;
        } else {
            info = " filter: " + m.filter() + "█  (type to filter by command, user or pid)";
            p = Paint.PLAIN;
        }
        c.paint(p);
        c.bar(0, y, info, c.cols());
        c.paint(Paint.KEYS);
        c.bar(0, c.rows() - 1, " Enter:map it  ↑↓ PgUp PgDn:move  Tab/F6:sort  Backspace:edit filter  Esc:clear filter,"
                + " then quit  F10/Ctrl-C:quit  ✗: cannot be mapped  *: this inspector", c.cols());
    }

    private static String h(PickerModel m, PickerModel.Sort s, int w, boolean right) {
        String t = s.column() + (m.sort() == s ? (s.largestFirst() ? "▼" : "▲") : "");
        return right ? Canvas.right(t, w) : Canvas.pad(t, w);
    }
}

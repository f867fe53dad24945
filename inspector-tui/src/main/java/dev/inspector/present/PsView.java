package dev.inspector.present;

import dev.inspector.core.model.ProcessList;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** The table of {@code inspector ps}. Pure: a process list in, blocks out. */
public final class PsView {

    public enum Sort { PID, USER, VSZ, RSS, PSS, MAPS, COMMAND }

    private PsView() {
    }

    public static Sort parseSort(String s) {
        try {
            return Sort.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--sort must be one of pid, user, vsz, rss, pss, maps, command; not '"
                    + s + "'");
        }
    }

    public static List<ProcessList.Row> sorted(ProcessList list, Sort sort, boolean ascending) {
        Comparator<ProcessList.Row> c;
        switch (sort) {
            case USER:
                c = Comparator.comparing(ProcessList.Row::user);
                break;
            case VSZ:
                c = Comparator.comparingLong(ProcessList.Row::vsz);
                break;
            case RSS:
                c = Comparator.comparingLong(ProcessList.Row::rss);
                break;
            case PSS:
                c = Comparator.comparing(ProcessList.Row::pss, Comparator.nullsFirst(Comparator.naturalOrder()));
                break;
            case MAPS:
                c = Comparator.comparing(ProcessList.Row::mappings, Comparator.nullsFirst(Comparator.naturalOrder()));
                break;
            case COMMAND:
                c = Comparator.comparing(PsView::command);
                break;
            default:
                c = Comparator.comparingInt(ProcessList.Row::pid);
        }
        c = c.thenComparingInt(ProcessList.Row::pid);
        List<ProcessList.Row> rows = new ArrayList<>(list.rows());
        rows.sort(ascending ? c : c.reversed());
        return rows;
    }

    /** The command line joined by spaces, or the comm in brackets for kernel threads (as ps does). */
    public static String command(ProcessList.Row r) {
        if (r.cmdline().isEmpty()) {
            return "[" + r.comm() + "]";
        }
        return String.join(" ", r.cmdline());
    }

    /** The columns; COMMAND shortens when the table is fitted to a screen. */
    static final List<Column> COLUMNS = List.of(Column.right("PID"), Column.left("USER"), Column.right("VSZ"),
            Column.right("RSS"), Column.right("PSS"), Column.right("MAPS"), Column.left("COMMAND").shrinks(1, 12));

    /**
     * The table and the footer (how many shown, exited, hidden). {@code width} cuts the command to that many
     * characters (0: never), whatever the screen: {@code ps --width}.
     */
    public static List<Block> present(List<ProcessList.Row> rows, ProcessList list, int width) {
        List<Row> out = new ArrayList<>(rows.size());
        for (ProcessList.Row r : rows) {
            String cmd = Escape.forTerminal(command(r));
            if (width > 0 && cmd.length() > width) {
                cmd = cmd.substring(0, Math.max(1, width - 1)) + TextRenderer.CUT;
            }
            out.add(Row.of(Integer.toString(r.pid()), Escape.forTerminal(r.user()), Format.size(r.vsz()),
                    Format.size(r.rss()), r.pss() == null ? "?" : Format.size(r.pss()),
                    r.mappings() == null ? "?" : Integer.toString(r.mappings()), cmd));
        }
        StringBuilder foot = new StringBuilder();
        if (rows.size() < list.rows().size()) {
            foot.append("showing ").append(rows.size()).append(" of ");
        }
        foot.append(list.rows().size()).append(" processes");
        if (list.vanished() > 0) {
            foot.append("; ").append(list.vanished()).append(" exited during the listing");
        }
        if (list.denied() > 0) {
            foot.append("; ").append(list.denied())
                    .append(" hid PSS/maps (?) from this user: run as root or as their owner to see them");
        }
        return List.of(new ListTable(COLUMNS, out), Line.of(foot.toString()));
    }
}

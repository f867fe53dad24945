package dev.inspector.present;

import dev.inspector.core.model.ProcessList;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** The table of {@code inspector ps}. Pure: a process list in, blocks out. */
public final class PsView {

    public enum Sort { PID, USER, STATE, VSZ, RSS, PSS, MAPS, COMMAND }

    private PsView() {
    }

    public static Sort parseSort(String s) {
        try {
            return Sort.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--sort takes one of pid, user, state, vsz, rss, pss, maps, command;"
                    + " not '" + s + "'");
        }
    }

    public static List<ProcessList.Row> sorted(ProcessList list, Sort sort, boolean ascending) {
        Comparator<ProcessList.Row> c;
        switch (sort) {
            case USER:
                c = Comparator.comparing(ProcessList.Row::user);
                break;
            case STATE:
                c = Comparator.comparing(PsView::state);
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

    /**
     * The command line joined by spaces; a process without one shows its comm in brackets, as ps does: a kernel
     * thread "[kthreadd]", a zombie "[name] <defunct>" (its memory is gone, only its exit status waits for the parent).
     */
    public static String command(ProcessList.Row r) {
        if (zombie(r)) {
            return "[" + r.comm() + "] <defunct>";
        }
        if (r.cmdline().isEmpty()) {
            return "[" + r.comm() + "]";
        }
        return String.join(" ", r.cmdline());
    }

    /** A process that has exited and waits to be reaped by its parent (stat state Z). */
    public static boolean zombie(ProcessList.Row r) {
        return "Z".equals(r.state());
    }

    /**
     * The STATE cell: "kernel" for a kernel thread (no user memory at all), "zombie" for a zombie, else the scheduler
     * state of /proc/PID/stat field 3 in a word: run (R), sleep (S), disk (D, uninterruptible), stop (T), trace (t),
     * idle (I), dead (X).
     */
    public static String state(ProcessList.Row r) {
        if (r.kernelThread()) {
            return "kernel";
        }
        switch (r.state()) {
            case "R":
                return "run";
            case "S":
                return "sleep";
            case "D":
                return "disk";
            case "T":
                return "stop";
            case "t":
                return "trace";
            case "Z":
                return "zombie";
            case "X":
            case "x":
                return "dead";
            case "I":
                return "idle";
            case "P":
                return "parked";
            default:
                return r.state();
        }
    }

    /** The columns; COMMAND shortens, then USER, when the table is fitted to a screen. */
    static final List<Column> COLUMNS = List.of(Column.right("PID"), Column.left("USER").shrinks(1, 6),
            Column.left("STATE"), Column.right("VSZ"), Column.right("RSS"), Column.right("PSS"), Column.right("MAPS"),
            Column.left("COMMAND").shrinks(2, 12));

    /** The table and the footer (how many shown, kernel threads and zombies, exited, hidden). */
    public static List<Block> present(List<ProcessList.Row> rows, ProcessList list) {
        List<Row> out = new ArrayList<>(rows.size());
        for (ProcessList.Row r : rows) {
            String state = state(r);
            Row row = Row.of(Integer.toString(r.pid()), Escape.forTerminal(r.user()), state, Format.size(r.vsz()),
                    Format.size(r.rss()), r.pss() == null ? "?" : Format.size(r.pss()),
                    r.mappings() == null ? "?" : Integer.toString(r.mappings()), Escape.forTerminal(command(r)));
            out.add(r.kernelThread() || zombie(r) ? new Row(Role.MUTED, null, row.cells()) : row);
        }
        int kernel = 0;
        int zombies = 0;
        for (ProcessList.Row r : list.rows()) {
            kernel += r.kernelThread() ? 1 : 0;
            zombies += zombie(r) ? 1 : 0;
        }
        StringBuilder foot = new StringBuilder();
        if (rows.size() < list.rows().size()) {
            foot.append("showing ").append(rows.size()).append(" of ");
        }
        foot.append(list.rows().size()).append(list.rows().size() == 1 ? " process" : " processes");
        if (kernel > 0 || zombies > 0) {
            foot.append(" (");
            if (kernel > 0) {
                foot.append(kernel).append(kernel == 1 ? " kernel thread" : " kernel threads");
            }
            if (zombies > 0) {
                foot.append(kernel > 0 ? ", " : "").append(zombies).append(zombies == 1 ? " zombie" : " zombies");
            }
            foot.append(")");
        }
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

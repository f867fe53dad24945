package dev.inspector.present;

import dev.inspector.core.analysis.SnapshotOptions;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.model.ThreadInfo;
import dev.inspector.core.session.Host;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The example of docs/architecture.md ("Adding a view"), compiled and run by {@code ArchitectureDocTest}, which also
 * checks that the document shows exactly the code between the markers below.
 */
final class ThreadsViewExample {

    private ThreadsViewExample() {
    }

    // example:begin
    /** The presenter: a snapshot in, blocks out. Pure, so a test or the TUI can use it as well as the CLI. */
    static List<Block> present(Snapshot s) {
        List<Row> rows = new ArrayList<>();
        for (ThreadInfo t : s.threads()) {
            String sp = t.stackPointer() == null ? "?" : Format.hex(t.stackPointer());
            rows.add(Row.of(Integer.toString(t.tid()), Escape.forTerminal(t.comm()), t.state(), sp));
        }
        Table table = new ListTable(List.of(Column.right("TID"), Column.left("COMM").shrinks(1, 8),
                Column.left("STATE"), Column.left("SP")), rows);
        return List.of(table, Line.of(Role.TOTAL, rows.size() + " threads"));
    }

    /** The front end: one host per process, one session per target, the renderer for the terminal. */
    static void print(Host host, int pid, Style style, PrintWriter out) {
        Snapshot s = host.session(pid).snapshot(SnapshotOptions.maps());
        new TextRenderer(style).render(present(s), out);
    }
    // example:end
}

package dev.inspector.present;

import dev.inspector.core.model.ProcessList;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PsViewTest {

    static ProcessList.Row proc(int pid, String user, List<String> cmdline, Long pss) {
        return proc(pid, user, "S", cmdline, pss, false);
    }

    static ProcessList.Row proc(int pid, String user, String state, List<String> cmdline, Long pss, boolean kthread) {
        return new ProcessList.Row(pid, 1, 0, user, state, "comm", cmdline, kthread ? 0 : 8L << 30,
                kthread ? 0 : 2L << 20, pss, pss == null ? null : kthread ? 0 : 25, kthread);
    }

    @Test
    void oneRowPerProcessWithHiddenFiguresAsQuestionMarksAndAFooter() {
        ProcessList list = new ProcessList(List.of(proc(1, "root", List.of("/sbin/init", "splash"), 1L << 20),
                proc(2, "ev\u001bil", List.of("/bin/sh", "-c", "echo \u001b[2J"), null),
                proc(3, "root", List.of(), 0L)), 2, 1);
        List<Block> blocks = PsView.present(list.rows().subList(0, 2), list);
        Table t = (Table) blocks.get(0);
        assertEquals(List.of("PID", "USER", "STATE", "VSZ", "RSS", "PSS", "MAPS", "COMMAND"),
                t.columns().stream().map(Column::header).toList());
        assertEquals(2, t.size());
        assertEquals(List.of("1", "root", "sleep", "8G", "2M", "1M", "25", "/sbin/init splash"), t.rowAt(0).cells());
        Row hidden = t.rowAt(1);
        assertEquals("ev\\x1bil", hidden.cell(1));
        assertEquals("?", hidden.cell(5));
        assertEquals("?", hidden.cell(6));
        assertEquals("/bin/sh -c echo \\x1b[2J", hidden.cell(7));
        assertEquals("showing 2 of 3 processes; 2 exited during the listing; 1 hid PSS/maps (?) from this user: run"
                + " as root or as their owner to see them", ((Line) blocks.get(1)).text());
    }

    @Test
    void kernelThreadsAndZombiesAreToldApart() {
        ProcessList list = new ProcessList(List.of(proc(2, "root", "I", List.of(), 0L, true),
                proc(7, "root", "Z", List.of(), 0L, false),
                proc(9, "root", "R", List.of("/usr/bin/python3", "-m", "http.server"), 0L, false)), 0, 0);
        List<Block> blocks = PsView.present(list.rows(), list);
        Table t = (Table) blocks.get(0);
        assertEquals("kernel", t.rowAt(0).cell(2));
        assertEquals("[comm]", t.rowAt(0).cell(7));
        assertEquals(Role.MUTED, t.rowAt(0).role());
        assertEquals("zombie", t.rowAt(1).cell(2));
        assertEquals("[comm] <defunct>", t.rowAt(1).cell(7));
        assertEquals("run", t.rowAt(2).cell(2));
        assertEquals("3 processes (1 kernel thread, 1 zombie)", ((Line) blocks.get(1)).text());
    }

    @Test
    void onANarrowScreenTheCommandIsCutWithAMarkAndEveryRowFits() {
        ProcessList list = new ProcessList(List.of(proc(4, "root", List.of("/usr/bin/python3", "-m", "http.server",
                "--directory", "/srv/a/very/long/path/indeed"), 0L)), 0, 0);
        java.io.StringWriter w = new java.io.StringWriter();
        new TextRenderer(Style.plain(), 60).render(PsView.present(list.rows(), list), new java.io.PrintWriter(w));
        for (String line : w.toString().split("\n")) {
            assertEquals(true, line.length() <= 60, line);
        }
        String row = w.toString().split("\n")[1];
        assertEquals(true, row.endsWith("\u2026"), row);
        assertEquals(true, row.contains("/usr/bin/python3 -m"), row);
    }
}

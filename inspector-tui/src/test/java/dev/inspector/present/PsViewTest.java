package dev.inspector.present;

import dev.inspector.core.model.ProcessList;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PsViewTest {

    static ProcessList.Row proc(int pid, String user, List<String> cmdline, Long pss) {
        return new ProcessList.Row(pid, 1, 0, user, "S", "comm", cmdline, 8L << 30, 2L << 20, pss, pss == null ? null
                : 25, false);
    }

    @Test
    void oneRowPerProcessWithHiddenFiguresAsQuestionMarksAndAFooter() {
        ProcessList list = new ProcessList(List.of(proc(1, "root", List.of("/sbin/init", "splash"), 1L << 20),
                proc(2, "ev\u001bil", List.of("/bin/sh", "-c", "echo \u001b[2J"), null),
                proc(3, "root", List.of(), 0L)), 2, 1);
        List<Block> blocks = PsView.present(list.rows().subList(0, 2), list, 0);
        Table t = (Table) blocks.get(0);
        assertEquals(2, t.size());
        assertEquals(List.of("1", "root", "8G", "2M", "1M", "25", "/sbin/init splash"), t.rowAt(0).cells());
        Row hidden = t.rowAt(1);
        assertEquals("ev\\x1bil", hidden.cell(1));
        assertEquals("?", hidden.cell(4));
        assertEquals("?", hidden.cell(5));
        assertEquals("/bin/sh -c echo \\x1b[2J", hidden.cell(6));
        assertEquals("showing 2 of 3 processes; 2 exited during the listing; 1 hid PSS/maps (?) from this user: run"
                + " as root or as their owner to see them", ((Line) blocks.get(1)).text());
    }

    @Test
    void aKernelThreadShowsItsNameInBracketsAndWidthCutsTheCommandWithAMark() {
        ProcessList list = new ProcessList(List.of(proc(3, "root", List.of(), 0L),
                proc(4, "root", List.of("/usr/bin/python3", "-m", "http.server"), 0L)), 0, 0);
        Table t = (Table) PsView.present(list.rows(), list, 10).get(0);
        assertEquals("[comm]", t.rowAt(0).cell(6));
        assertEquals("/usr/bin/\u2026", t.rowAt(1).cell(6));
        assertEquals(10, t.rowAt(1).cell(6).length());
    }
}

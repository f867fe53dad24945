package dev.inspector.tui;

import com.googlecode.lanterna.input.KeyType;
import dev.inspector.core.model.ProcessList;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.inspector.tui.TuiFixtures.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The process picker: reasons a process cannot be mapped, filter as you type, sort, choose. */
class PickerModelTest {

    private static ProcessList list() {
        return new ProcessList(List.of(
                new ProcessList.Row(2, 0, 0, "root", "S", "kthreadd", List.of(), 0, 0, 0L, 0, true),
                new ProcessList.Row(300, 1, 0, "root", "Z", "defunct", List.of(), 0, 0, null, null, false),
                new ProcessList.Row(400, 1, 1000, "alice", "S", "vim", List.of("vim", "notes.txt"), 9 << 20, 1 << 20,
                        null, null, false),
                new ProcessList.Row(500, 1, 0, "root", "S", "typical", List.of("/bin/typical", "3"), 150 << 20,
                        2 << 20, 200L << 10, 32, false)), 0, 1);
    }

    @Test
    void processesThatCannotBeMappedAreMarkedWithTheReason() {
        List<ProcessList.Row> rows = list().rows();
        assertTrue(PickerModel.reason(rows.get(0)).startsWith("kernel thread"));
        assertTrue(PickerModel.reason(rows.get(1)).startsWith("zombie"));
        assertTrue(PickerModel.reason(rows.get(2)).startsWith("another user's (alice)"));
        assertNull(PickerModel.reason(rows.get(3)));
    }

    @Test
    void typingFiltersEnterChoosesAndAMarkedProcessIsRefusedWithItsReason() {
        PickerModel m = new PickerModel(1);
        m.list(list());
        assertEquals(4, m.rows().size());
        assertEquals(500, m.rows().get(0).pid(), "largest RSS first");
        for (char c : "vi".toCharArray()) {
            m.key(key(c));
        }
        assertEquals(1, m.rows().size());
        PickerModel.Choice c = m.key(key(KeyType.Enter));
        assertNull(c.pid());
        assertTrue(m.messageText().contains("another user's"), m.messageText());
        m.key(key(KeyType.Backspace));
        m.key(key(KeyType.Backspace));
        assertEquals(4, m.rows().size());
        for (char ch : "typ".toCharArray()) {
            m.key(key(ch));
        }
        assertEquals(500, m.key(key(KeyType.Enter)).pid());
        m.key(key(KeyType.Escape));
        assertEquals("", m.filter(), "Esc clears the filter first");
        assertEquals(0, m.key(key(KeyType.Escape)).quit(), "then quits");
        assertEquals(130, m.key(new com.googlecode.lanterna.input.KeyStroke('c', true, false)).quit());
    }

    @Test
    void tabCyclesTheSortColumn() {
        PickerModel m = new PickerModel(1);
        m.list(list());
        m.key(key(KeyType.Tab)); // RSS -> PSS
        assertEquals(PickerModel.Sort.PSS, m.sort());
        m.key(key(KeyType.Tab));
        m.key(key(KeyType.Tab));
        assertEquals(PickerModel.Sort.COMMAND, m.sort());
        m.key(key(KeyType.Tab)); // -> PID, ascending
        assertEquals(List.of(2, 300, 400, 500), m.rows().stream().map(ProcessList.Row::pid).toList());
    }
}

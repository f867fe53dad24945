package dev.inspector.core.procfs.parse;

import dev.inspector.core.MalformedProcFile;
import dev.inspector.core.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SyscallParserTest {

    @Test
    void threeShapes() {
        assertSame(Syscall.RUNNING, SyscallParser.parse("running\n", "syscall"));
        Syscall b = SyscallParser.parse("-1 0x7ffe69792708 0x7f41ee179dd0\n", "syscall");
        assertEquals(Syscall.Kind.BLOCKED, b.kind());
        assertEquals(0x7ffe69792708L, b.stackPointer());
        assertEquals(List.of(), b.args());
        Syscall s = SyscallParser.parse(
                "34 0x7f41ee27ba10 0x1 0x1 0x7f41ee0bffa0 0x0 0xffffffffffffffff 0x7ffe69792708 0x7f41ee179dd0\n",
                "syscall");
        assertEquals(Syscall.Kind.IN_SYSCALL, s.kind());
        assertEquals(34, s.nr());
        assertEquals(-1L, s.args().get(5));
        assertEquals(0x7f41ee179dd0L, s.programCounter());
        assertNull(Syscall.RUNNING.stackPointer());
    }

    @Test
    void garbageIsMalformed() {
        for (String bad : new String[] {"", "walking", "-1 0x1", "1 0x1 0x2", "-2 0x1 0x2", "1 0x 0x 0x 0x 0x 0x 0x 0x",
                "-1 12 0x2", "-1 0x1 0x2 0x3"}) {
            assertThrows(MalformedProcFile.class, () -> SyscallParser.parse(bad, "syscall"), bad);
        }
    }

    @Test
    void capturedPausedThreadIsInPause() throws IOException {
        var dir = Fixtures.pidDir("tricky");
        Syscall s = SyscallParser.parse(Files.readString(dir.resolve("task/" + Fixtures.pid("tricky") + "/syscall")),
                "syscall");
        assertEquals(Syscall.Kind.IN_SYSCALL, s.kind());
        assertEquals(34, s.nr()); // __NR_pause on x86-64: the program ends in pause()
    }
}

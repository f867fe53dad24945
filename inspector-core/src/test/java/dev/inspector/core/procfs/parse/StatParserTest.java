package dev.inspector.core.procfs.parse;

import dev.inspector.core.MalformedProcFile;
import dev.inspector.core.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatParserTest {

    /** Fields 3..52 numbered so that field n holds n (state aside), to check the numbering. */
    static String numbered(String comm, int lastField) {
        StringBuilder sb = new StringBuilder("4242 (").append(comm).append(") S");
        for (int n = 4; n <= lastField; n++) {
            sb.append(' ').append(n);
        }
        return sb.append('\n').toString();
    }

    @Test
    void fieldsByTheirProcNumbers() {
        Stat s = StatParser.parse(numbered("a b", 52), "stat");
        assertEquals(4242, s.pid());
        assertEquals("a b", s.comm());
        assertEquals('S', s.state());
        assertEquals(4, s.ppid());
        assertEquals(10, s.minflt());
        assertEquals(12, s.majflt());
        assertEquals(14, s.utime());
        assertEquals(15, s.stime());
        assertEquals(20, s.numThreads());
        assertEquals(22, s.startTime());
        assertEquals(23, s.vsize());
        assertEquals(24, s.rssPages());
        assertEquals(28, s.startStack());
        assertEquals(29, s.kstkEsp());
        assertEquals(30, s.kstkEip());
        assertEquals(45L, s.startData());
        assertEquals(46L, s.endData());
        assertEquals(47L, s.startBrk());
        assertEquals(48L, s.argStart());
        assertEquals(51L, s.envEnd());
        assertEquals(52, s.exitCode());
    }

    @Test
    void commMayHoldParenthesesAndSpaces() {
        assertEquals("tri (cky) x", StatParser.parse(numbered("tri (cky) x", 52), "stat").comm());
        assertEquals(") (", StatParser.parse(numbered(") (", 52), "stat").comm());
        assertEquals("", StatParser.parse(numbered("", 52), "stat").comm());
    }

    @Test
    void olderKernelsWithoutTrailingFields() {
        Stat s = StatParser.parse(numbered("old", 44), "stat");
        assertNull(s.startData());
        assertNull(s.exitCode());
        assertEquals(23, s.vsize());
        Stat mid = StatParser.parse(numbered("3.3", 47), "stat");
        assertEquals(47L, mid.startBrk());
        assertNull(mid.argStart());
    }

    @Test
    void unsignedAndNegativeValues() {
        String kthreadd = "2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 24 0 0 18446744073709551615 0 0 0"
                + " 0 0 0 0 2147483647 0 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0";
        Stat s = StatParser.parse(kthreadd, "stat");
        assertEquals(-1, s.tpgid());
        assertEquals(-1L, s.rssLimit()); // 2^64-1 in a long's bits
        assertTrue(s.isKernelThread());
        assertEquals(0, s.exitCode());
    }

    @Test
    void garbageIsMalformed() {
        for (String bad : new String[] {"", "4242", "4242 comm S 1", "(x) S 1", "x (c) S 1 2 3",
                numbered("c", 52).replace(" 33 ", " 3x3 "), "4242 (c)S 1", "4242 (c) Sx 1",
                "4242 (c) S 99999999999999999999999 " + numbered("c", 52).substring(13)}) {
            assertThrows(MalformedProcFile.class, () -> StatParser.parse(bad, "stat"), bad);
        }
    }

    @Test
    void capturedStatMatchesCapturedStatus() throws IOException {
        var dir = Fixtures.pidDir("tricky");
        Stat s = StatParser.parse(Files.readString(dir.resolve("stat"), StandardCharsets.UTF_8), "stat");
        Status st = StatusParser.parse(Files.readString(dir.resolve("status"), StandardCharsets.UTF_8), "status");
        assertEquals("tri (cky) x", s.comm());
        assertEquals(st.name(), s.comm());
        assertEquals(st.pid(), s.pid());
        assertEquals(st.ppid(), s.ppid());
        assertEquals(st.threads(), s.numThreads());
        assertEquals((long) st.memoryBytes("VmSize"), s.vsize());
        assertFalse(s.isKernelThread());
        assertTrue(Long.compareUnsigned(s.startBrk(), s.startData()) > 0);
    }
}

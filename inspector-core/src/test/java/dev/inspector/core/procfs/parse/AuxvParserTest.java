package dev.inspector.core.procfs.parse;

import dev.inspector.core.MalformedProcFile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuxvParserTest {

    static byte[] words(long... w) {
        ByteBuffer b = ByteBuffer.allocate(w.length * 8).order(ByteOrder.nativeOrder());
        for (long x : w) {
            b.putLong(x);
        }
        return b.array();
    }

    @Test
    void pairsUntilAtNull() {
        byte[] b = words(6, 4096, 33, 0x7ffd12345000L, 99, 7, 0, 0, 6, 1);
        Auxv a = AuxvParser.parse(b, b.length, "auxv");
        assertEquals(3, a.entries().size()); // the pair after AT_NULL is ignored
        assertEquals(4096L, a.pageSize());
        assertEquals(0x7ffd12345000L, a.vdso());
        assertEquals("AT_SYSINFO_EHDR", a.entries().get(1).name());
        assertNull(a.entries().get(2).name());
        assertEquals("AT_MINSIGSTKSZ", AuxvParser.name(51));
        assertEquals("AT_HWCAP2", AuxvParser.name(26));
    }

    @Test
    void truncatedOrUnterminatedIsMalformed() {
        byte[] b = words(6, 4096);
        assertThrows(MalformedProcFile.class, () -> AuxvParser.parse(b, b.length, "auxv"));
        byte[] c = words(6, 4096, 0, 0);
        assertThrows(MalformedProcFile.class, () -> AuxvParser.parse(c, 20, "auxv"));
    }

    /** Live: the JVM's own auxv must contain the entries the kernel always writes on x86-64. */
    @Test
    void ownAuxv() throws IOException {
        byte[] b = Files.readAllBytes(java.nio.file.Path.of("/proc/self/auxv"));
        Auxv a = AuxvParser.parse(b, b.length, "/proc/self/auxv");
        for (long t : new long[] {Auxv.AT_PHDR, Auxv.AT_PAGESZ, Auxv.AT_BASE, Auxv.AT_ENTRY, Auxv.AT_RANDOM,
                Auxv.AT_EXECFN, Auxv.AT_HWCAP, Auxv.AT_SYSINFO_EHDR}) {
            assertNotNull(a.get(t), AuxvParser.name(t));
        }
        assertTrue(Long.bitCount(a.pageSize()) == 1);
    }
}

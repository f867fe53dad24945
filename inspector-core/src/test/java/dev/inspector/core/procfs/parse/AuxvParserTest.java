package dev.inspector.core.procfs.parse;

import dev.inspector.core.MalformedProcFile;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}

package dev.inspector.core.procfs.parse;

import dev.inspector.core.MalformedProcFile;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SysctlParserTest {

    @Test
    void integers() {
        assertEquals(28, SysctlParser.integer("28\n", "mmap_rnd_bits"));
        assertEquals(-1, SysctlParser.integer("-1", "x"));
        assertThrows(MalformedProcFile.class, () -> SysctlParser.integer("2 3\n", "x"));
    }

    @Test
    void hugePoolNames() {
        assertEquals(2L << 20, SysctlParser.hugePoolBytes("hugepages-2048kB"));
        assertEquals(1L << 30, SysctlParser.hugePoolBytes("hugepages-1048576kB"));
        assertEquals(-1, SysctlParser.hugePoolBytes("hugepages-kB"));
        assertEquals(-1, SysctlParser.hugePoolBytes("hugepages-2048MB"));
        assertEquals(-1, SysctlParser.hugePoolBytes("hugepages-20x8kB"));
    }

    @Test
    void selectedWord() {
        assertEquals("madvise", SysctlParser.selected("always [madvise] never\n"));
        assertNull(SysctlParser.selected("always madvise never"));
    }
}

package dev.inspector.core.procfs.parse;

import dev.inspector.core.MalformedProcFile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MeminfoParserTest {

    @Test
    void kilobytesBecomeBytesAndCountsStayCounts() {
        Map<String, Long> m = MeminfoParser.parse("MemTotal:       24683756 kB\nHugePages_Total:       0\n"
                + "VmallocTotal:   34359738367 kB\nHugepagesize:       2048 kB\n", "meminfo");
        assertEquals(24683756L * 1024, m.get("MemTotal"));
        assertEquals(0L, m.get("HugePages_Total"));
        assertEquals(34359738367L * 1024, m.get("VmallocTotal"));
        assertEquals(2L << 20, m.get("Hugepagesize"));
    }

    @Test
    void aLineWithoutColonOrNumberIsMalformed() {
        assertThrows(MalformedProcFile.class, () -> MeminfoParser.parse("MemTotal 12 kB\n", "meminfo"));
        assertThrows(MalformedProcFile.class, () -> MeminfoParser.parse("MemTotal: twelve kB\n", "meminfo"));
        assertThrows(MalformedProcFile.class, () -> MeminfoParser.parse("MemTotal: 12 MB\n", "meminfo"));
    }
}

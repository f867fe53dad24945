package dev.inspector.core.procfs.parse;

import dev.inspector.core.MalformedProcFile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void theLiveFileParsesAndHasTheUsualLines() throws IOException {
        String text;
        try (InputStream in = Files.newInputStream(Paths.get("/proc/meminfo"))) {
            text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        Map<String, Long> m = MeminfoParser.parse(text, "/proc/meminfo");
        assertTrue(m.get("MemTotal") > 0, m.toString());
        assertEquals(text.lines().filter(l -> !l.isBlank()).count(), m.size());
    }
}

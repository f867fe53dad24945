package dev.inspector.core.procfs.parse;

import dev.inspector.core.MalformedProcFile;
import dev.inspector.core.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatusParserTest {

    static final String TEXT = "Name:\tsp ace \nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t77\nNgid:\t0\nPid:\t77\n"
            + "PPid:\t1\nUid:\t1000\t1001\t1002\t1003\nGid:\t4294967294\t5\t6\t7\nVmPeak:\t    2400 kB\n"
            + "VmRSS:\t     512 kB\nRssAnon:\t      88 kB\nHugetlbPages:\t       0 kB\nThreads:\t3\n"
            + "CapEff:\t000001ffffffffff\nSigQ:\t0/95430\n";

    @Test
    void namedFieldsMemoryInBytesAndTheRestRaw() {
        Status s = StatusParser.parse(TEXT, "status");
        assertEquals("sp ace ", s.name());
        assertEquals("S (sleeping)", s.state());
        assertEquals(77, s.pid());
        assertEquals(1, s.ppid());
        assertEquals(new Status.Ids(1000, 1001, 1002, 1003), s.uid());
        assertEquals(-2, s.gid().real()); // 4294967294 kept in an int's bits
        assertEquals(3, s.threads());
        assertEquals(2400L * 1024, s.memoryBytes("VmPeak"));
        assertEquals(88L * 1024, s.memoryBytes("RssAnon"));
        assertEquals(0L, s.memoryBytes("HugetlbPages"));
        assertNull(s.memoryBytes("VmSwap"));
        assertEquals("0/95430", s.other().get("SigQ"));
        assertEquals(0x1ffffffffffL, s.capEff());
    }

    @Test
    void missingOrBadRequiredFieldsAreMalformed() {
        assertThrows(MalformedProcFile.class, () -> StatusParser.parse("", "status"));
        assertThrows(MalformedProcFile.class, () -> StatusParser.parse(TEXT.replace("Threads:\t3\n", ""), "s"));
        assertThrows(MalformedProcFile.class, () -> StatusParser.parse(TEXT.replace("1001", "x"), "s"));
        assertThrows(MalformedProcFile.class, () -> StatusParser.parse(TEXT.replace("\t1003", ""), "s"));
        assertThrows(MalformedProcFile.class, () -> StatusParser.parse(TEXT + "no colon\n", "s"));
        assertThrows(MalformedProcFile.class, () -> StatusParser.parse(TEXT.replace("000001ff", "zz"), "s"));
    }

    @Test
    void capturedStatusHasEveryVmLineInBytes() throws IOException {
        String text = Files.readString(Fixtures.pidDir("sleep").resolve("status"));
        Status s = StatusParser.parse(text, "status");
        long vmLines = text.lines().filter(l -> l.matches("(Vm|Rss|Hugetlb)\\w*:\\s+\\d+ kB")).count();
        assertTrue(vmLines > 10);
        assertEquals(vmLines, s.memory().size());
        assertEquals(s.memoryBytes("RssAnon") + s.memoryBytes("RssFile") + s.memoryBytes("RssShmem"),
                s.memoryBytes("VmRSS"));
    }
}

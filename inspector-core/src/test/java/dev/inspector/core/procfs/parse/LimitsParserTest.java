package dev.inspector.core.procfs.parse;

import dev.inspector.core.MalformedProcFile;
import dev.inspector.core.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LimitsParserTest {

    static final String TEXT = ""
            + "Limit                     Soft Limit           Hard Limit           Units     \n"
            + "Max cpu time              unlimited            unlimited            seconds   \n"
            + "Max stack size            8388608              unlimited            bytes     \n"
            + "Max core file size        0                    unlimited            bytes     \n"
            + "Max open files            1024                 524288               files     \n"
            + "Max nice priority         0                    0                    \n"
            + "Max realtime timeout      unlimited            unlimited            us        \n";

    @Test
    void rowsWithUnlimitedAsMinusOne() {
        Limits l = LimitsParser.parse(TEXT, "limits");
        assertEquals(6, l.rows().size());
        assertEquals(new Limits.Limit("Max stack size", 8388608, Limits.UNLIMITED, "bytes"), l.stack());
        assertEquals(new Limits.Limit("Max nice priority", 0, 0, ""), l.get("Max nice priority"));
        assertEquals(524288, l.get("Max open files").hard());
        assertEquals("us", l.get("Max realtime timeout").units());
        assertNull(l.get("Max nothing"));
    }

    @Test
    void garbageIsMalformed() {
        assertThrows(MalformedProcFile.class, () -> LimitsParser.parse("", "limits"));
        assertThrows(MalformedProcFile.class, () -> LimitsParser.parse("Max x 1 2 bytes\n", "limits"));
        assertThrows(MalformedProcFile.class, () -> LimitsParser.parse(TEXT + "Max broken  1  bytes\n", "limits"));
        assertThrows(MalformedProcFile.class,
                () -> LimitsParser.parse(TEXT + "Max huge 99999999999999999999 1 bytes\n", "limits"));
    }

    @Test
    void capturedLimitsHaveTheSixteenKernelRows() throws IOException {
        Limits l = LimitsParser.parse(Files.readString(Fixtures.pidDir("sleep").resolve("limits")), "limits");
        // fs/proc/base.c lnames[RLIM_NLIMITS]: 16 limits since Linux 2.6.25 (RLIMIT_RTTIME).
        assertEquals(16, l.rows().size());
        assertEquals("bytes", l.stack().units());
    }
}

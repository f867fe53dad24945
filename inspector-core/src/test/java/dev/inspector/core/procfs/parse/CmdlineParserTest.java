package dev.inspector.core.procfs.parse;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CmdlineParserTest {

    private static List<String> cmd(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return CmdlineParser.parseCmdline(b, b.length);
    }

    @Test
    void nulSeparatedWithOptionalTrailingNul() {
        assertEquals(List.of("sleep", "30"), cmd("sleep\0" + "30\0"));
        assertEquals(List.of("sleep", "30"), cmd("sleep\0" + "30"));
        assertEquals(List.of("a b", "", "c"), cmd("a b\0\0c\0"));
        assertEquals(List.of(), cmd(""));
        assertEquals(List.of("rewritten title with spaces"), cmd("rewritten title with spaces"));
    }

    @Test
    void commLosesOnlyItsNewline() {
        byte[] b = "tri (cky) x \n".getBytes(StandardCharsets.UTF_8);
        assertEquals("tri (cky) x ", CmdlineParser.parseComm(b, b.length));
        assertEquals("", CmdlineParser.parseComm(new byte[0], 0));
    }
}

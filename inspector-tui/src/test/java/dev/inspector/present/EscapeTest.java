package dev.inspector.present;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

class EscapeTest {

    @Test
    void plainTextIsReturnedAsIs() {
        String s = "/usr/lib/x86_64-linux-gnu/libc.so.6 (deleted) é ü 日本";
        assertSame(s, Escape.forTerminal(s));
    }

    @Test
    void controlCharactersAndEscapeSequencesAreNeutralised() {
        assertEquals("/tmp/a\\nb", Escape.forTerminal("/tmp/a\nb"));
        assertEquals("\\x1b[2J\\x1b]0;pwned\\x07", Escape.forTerminal("\u001b[2J\u001b]0;pwned\u0007"));
        assertEquals("a\\x9bb", Escape.forTerminal("a\u009bb"));
        assertEquals("a\\x7f", Escape.forTerminal("a\u007f"));
        assertEquals("tab\\there", Escape.forTerminal("tab\there"));
    }

    @Test
    void backslashIsDoubledSoOutputIsUnambiguous() {
        assertEquals("a\\\\nb", Escape.forTerminal("a\\nb"));
        assertFalse(Escape.forTerminal("a\\nb").equals(Escape.forTerminal("a\nb")));
    }

    @Test
    void bidiOverridesAreEscaped() {
        assertEquals("evil\\u202etxt.exe", Escape.forTerminal("evil\u202etxt.exe"));
        assertEquals("\\u2066x\\u2069", Escape.forTerminal("\u2066x\u2069"));
    }

    @Test
    void nullBecomesEmpty() {
        assertEquals("", Escape.forTerminal(null));
    }

    /** A file name that is not UTF-8: every byte can be read back from the cell, valid text stays text. */
    @Test
    void bytesThatAreNotUtf8AreShownAsHexEscapes() {
        byte[] name = {'b', 'a', 'd', '-', (byte) 0xff, (byte) 0xfe, '-', (byte) 0xc3, (byte) 0xa9, '\\', 0x1b, '.'};
        assertEquals("bad-\\xff\\xfe-\u00e9\\\\\\x1b.", Escape.bytes(name));
        assertEquals("\\xc3", Escape.bytes(new byte[] {(byte) 0xc3})); // cut in the middle of a sequence
        dev.inspector.core.model.MappingPath p = new dev.inspector.core.model.MappingPath(
                dev.inspector.core.model.MappingPath.Type.FILE, "/tmp/bad-\ufffd\ufffd", true, "2f746d702f6261642dfffe");
        assertEquals("/tmp/bad-\\xff\\xfe (deleted)", Kinds.nameCell(p));
    }

    @Test
    void controlsOnlyEscapesControlsAndLeavesBackslashes() {
        assertEquals("kind \"x\\x1b[31m\" \\x1b]0;t\\x07\\n", Escape.controls("kind \"x\\x1b[31m\" \u001b]0;t\u0007\n"));
        assertEquals("a\\u202eb", Escape.controls("a\u202eb"));
    }
}

package dev.inspector.core.demo;

import dev.inspector.core.BadInput;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgramRunTest {

    /** A line as pagemap_pread_ref printed it here. */
    private static final String REF_LINE =
            "pages=2359882 present=393563 swapped=0 file=323 zero=0 huge=-1 vmas=24 elapsed_ns=79141551";

    @Test
    void theFirstStdoutLineGivesTheFields() {
        ProgramRun r = new ProgramRun(List.of("pagemap_pread_ref", "1"), 0, REF_LINE + "\nsecond=line\n", "", 5);
        Map<String, String> f = r.fields();
        assertEquals(8, f.size());
        assertEquals("393563", f.get("present"));
        assertEquals(-1, r.number("huge"));
        assertEquals(79141551L, r.number("elapsed_ns"));
        BadInput missing = assertThrows(BadInput.class, () -> r.number("second"));
        assertTrue(missing.getMessage().contains("pagemap_pread_ref 1"), missing.getMessage());
    }

    @Test
    void outputThatIsNotKeyValueIsBadInput() {
        ProgramRun r = new ProgramRun(List.of("x"), 1, "error: oops\n", "", 5);
        assertThrows(BadInput.class, r::fields);
        assertEquals(Map.of(), new ProgramRun(List.of("x"), 0, "", "", 5).fields());
        assertThrows(BadInput.class, () -> new ProgramRun(List.of("x"), 0, "n=x", "", 5).number("n"));
    }

    @Test
    void theTailOfOutputIsItsLastThreeLinesOnOneLine() {
        assertEquals("(none)", Children.tail(" \n"));
        assertEquals("one", Children.tail("one\n"));
        assertEquals("b | c | d", Children.tail("a\nb\nc\nd\n"));
        assertEquals("a | b", Children.tail("a\r\nb"));
        String tail = Children.tail("x".repeat(1000));
        assertEquals(240, tail.length());
        assertTrue(tail.startsWith("...x"), tail);
    }

    @Test
    void timeoutsReadAsSeconds() {
        assertEquals("30 s", Children.seconds(java.time.Duration.ofSeconds(30)));
        assertEquals("0.3 s", Children.seconds(java.time.Duration.ofMillis(300)));
        assertEquals("2.5 s", Children.seconds(java.time.Duration.ofMillis(2500)));
    }
}

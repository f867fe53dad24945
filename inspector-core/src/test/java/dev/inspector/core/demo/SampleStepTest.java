package dev.inspector.core.demo;

import dev.inspector.core.BadInput;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SampleStepTest {

    @Test
    void aStepLineParsesWithUnsignedAddressesAndRanges() {
        String line = "@@STEP 7 layout pid=42 addr.vsyscall=0xffffffffff600000 "
                + "range.top=0x7ffffffde000-0xffffffffff601000 count=3 anon_name=EINVAL";
        SampleStep s = SampleStep.parse(line);
        assertEquals(7, s.number());
        assertEquals("layout", s.name());
        assertEquals(42, s.pid());
        assertEquals(line, s.line());
        assertEquals(List.of("addr.vsyscall", "range.top", "count", "anon_name"), List.copyOf(s.values().keySet()),
                "values in line order, without pid");
        assertEquals(0xffffffffff600000L, s.addr("vsyscall"));
        SampleStep.Range top = s.range("top");
        assertEquals(0x7ffffffde000L, top.lo());
        assertTrue(top.contains(0xffffffffff600000L));
        assertFalse(top.contains(0xffffffffff601000L), "HI is exclusive");
        assertFalse(top.contains(0x7ffffffddfffL));
        assertEquals(0xffffffffff601000L - 0x7ffffffde000L, top.size());
        assertEquals("0x7ffffffde000-0xffffffffff601000", top.toArg());
        assertEquals(3, s.number("count"));
        assertEquals("EINVAL", s.value("anon_name"));
        assertTrue(s.has("count"));
        assertFalse(s.has("pid"));
    }

    @Test
    void aPlainStepHasNoValuesAndDoubleSpacesAreSkipped() {
        SampleStep s = SampleStep.parse("@@STEP 2 done pid=9");
        assertEquals(Map.of(), s.values());
        assertEquals(Map.of("a", "1", "b", ""), SampleStep.parse("@@STEP 1 x pid=9  a=1 b= ").values());
        // a value may hold '=' (only the first one splits)
        assertEquals("k=v", SampleStep.parse("@@STEP 1 x pid=9 opt=k=v").value("opt"));
    }

    @Test
    void onlyStepLinesAreSteps() {
        assertTrue(SampleStep.isStep("@@STEP 1 ready pid=1"));
        assertFalse(SampleStep.isStep("hello"));
        assertFalse(SampleStep.isStep("@@STEPS 1 ready pid=1"));
    }

    @Test
    void malformedLinesAreBadInputQuotingTheLine() {
        for (String bad : List.of("hello", "@@STEP 1 ready", "@@STEP 1 ready nopid", "@@STEP x ready pid=1",
                "@@STEP 0 ready pid=1", "@@STEP 1 ready pid=-4", "@@STEP 1 ready pid=", "@@STEP 1  pid=3",
                "@@STEP 1 ready pid=3 novalue", "@@STEP 1 ready pid=3 =v")) {
            BadInput e = assertThrows(BadInput.class, () -> SampleStep.parse(bad), bad);
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
        BadInput e = assertThrows(BadInput.class, () -> SampleStep.parse("@@STEP 1 ready pid=3 a=1 lonely"));
        assertTrue(e.getMessage().contains("'lonely' is not key=value"), e.getMessage());
        String longLine = "@@STEP 1 ready pid=3 " + "x".repeat(5000);
        assertTrue(assertThrows(BadInput.class, () -> SampleStep.parse(longLine)).getMessage().length() < 400,
                "a 4 KiB line is abbreviated in the message");
    }

    @Test
    void badValuesAreBadInputNamingTheKey() {
        SampleStep s = SampleStep.parse("@@STEP 1 ready pid=3 addr.a=0xzz range.r=0x10 range.back=0x20-0x10 n=x "
                + "addr.b=7f00 range.ok=0X10-0x20");
        assertEquals(0x7f00L, s.addr("b"), "the 0x prefix is optional");
        assertEquals(new SampleStep.Range(0x10, 0x20), s.range("ok"));
        assertTrue(assertThrows(BadInput.class, () -> s.addr("a")).getMessage().contains("addr.a"));
        assertTrue(assertThrows(BadInput.class, () -> s.range("r")).getMessage().contains("0xLO-0xHI"));
        assertTrue(assertThrows(BadInput.class, () -> s.range("back")).getMessage().contains("below its start"));
        assertTrue(assertThrows(BadInput.class, () -> s.number("n")).getMessage().contains("n=x"));
        BadInput missing = assertThrows(BadInput.class, () -> s.value("nope"));
        assertTrue(missing.getMessage().contains("step 'ready' has no key 'nope'"), missing.getMessage());
    }
}

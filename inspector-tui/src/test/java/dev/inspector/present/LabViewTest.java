package dev.inspector.present;

import dev.inspector.core.claims.Check;
import dev.inspector.core.claims.Claim;
import dev.inspector.core.claims.Finding;
import dev.inspector.core.claims.Outcome;
import dev.inspector.core.claims.Verdict;
import dev.inspector.core.lab.LabStep;
import dev.inspector.core.lab.Measure;
import dev.inspector.core.lab.Observation;
import dev.inspector.core.lab.Pages;
import dev.inspector.core.lab.Range;
import dev.inspector.core.lab.StepEvidence;
import dev.inspector.core.lab.StepResult;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.procfs.parse.MapsParser;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabViewTest {

    /** A maps line naming a file with an escape sequence and a newline (both legal in file names). */
    private static final String HOSTILE = "7f0000000000-7f0000001000 r--p 00000000 08:01 42 /tmp/\u001b[2Jevil\\012x\n";

    private static Finding finding(Verdict v) {
        switch (v) {
            case HOLDS:
                return Finding.holds("1 line(s) /tmp/\u001b[2Jevil");
            case HOLDS_WITH_NUANCE:
                return Finding.holdsWithNuance("1 line(s)", "a nuance \u001b[5m");
            case DIFFERS:
                return Finding.differs("1 line(s) /tmp/\u001b[2Jevil");
            default:
                return Finding.cannotCheck("what is missing");
        }
    }

    private static StepResult result(Verdict v) {
        byte[] b = HOSTILE.getBytes(StandardCharsets.UTF_8);
        Mapping m = MapsParser.parse(b, b.length, "test").get(0);
        Range r = new Range(m.start(), m.end());
        Observation before = new Observation(r, List.of(), null, null, new Pages(1, 0, 0, -1, "not observable"), 0,
                7, 10, 0x1000, null, 0x1000);
        Observation after = new Observation(r, List.of(m), null, null, new Pages(1, 1, 0, -1, "not observable"), 4096,
                7, 12, 0x1000, null, 0x1000);
        List<Check> checks = List.of(new Check(Claim.of("one line").citing("C16"), finding(v)));
        return new StepResult(new LabStep("mmap", "map \u001b[31m pages"), "mmap(...) = 0x7f0000000000", checks,
                List.of(Measure.MAPS, Measure.PAGES, Measure.MINFLT), List.of("a note"), Outcome.of(checks),
                new StepEvidence(before, after));
    }

    private static String render(StepResult r, Style style) {
        return render(LabView.step(r, 1, 1), style);
    }

    private static String render(List<Block> blocks, Style style) {
        StringWriter w = new StringWriter();
        new TextRenderer(style).render(blocks, new PrintWriter(w));
        return w.toString();
    }

    @Test
    void escapesEverythingAndColoursVerdicts() {
        String s = render(result(Verdict.DIFFERS), Style.ansi());
        assertFalse(s.contains("\u001b[2J"), s);
        assertFalse(s.contains("\u001b[31m pages"), s);
        assertTrue(s.contains("/tmp/\\x1b[2Jevil"), s);
        // the maps line shows the name decoded once and escaped once, as every text view does: \012 is a newline
        assertTrue(s.contains("42 /tmp/\\x1b[2Jevil\\nx"), s);
        assertFalse(s.contains("012"), s);
        assertTrue(s.contains("\u001b[31mDIFFERS\u001b[0m: expected one line; the kernel shows 1 line(s) /tmp/\\x1b[2Jevil"),
                s);
        assertTrue(s.contains("\u001b[31mdiffers   \u001b[0mone line [C16]"), s);
        assertTrue(s.contains("  maps      before  (no line in 0x7f0000000000-0x7f0000001000)\n"), s);
        assertTrue(s.contains("            after   7f0000000000-7f0000001000 r--p"), s);
        assertTrue(s.contains("  pagemap   before  present 0 of 1, exclusive 0, zero page ?\n"), s);
        assertTrue(s.contains("  minflt    before  10 (thread 7)\n            after   12 (+2)\n"), s);

        assertEquals(Style.YELLOW, Style.code(DemoView.role(Verdict.CANNOT_CHECK), null));
        assertEquals(Style.CYAN, Style.code(DemoView.role(Verdict.HOLDS_WITH_NUANCE), null));
        assertEquals(Style.GREEN, Style.code(DemoView.role(Verdict.HOLDS), null));
        assertEquals(Style.RED, Style.code(DemoView.role(Verdict.DIFFERS), null));
    }

    @Test
    void eachVerdictSaysWhatItRestsOn() {
        String holds = render(result(Verdict.HOLDS), Style.plain());
        assertTrue(holds.contains("  expected  holds     one line [C16]\n"
                + "                      seen: 1 line(s) /tmp/\\x1b[2Jevil\n"), holds);
        assertTrue(holds.contains("  verdict   HOLDS: 1 of 1 expectations measured and met\n"), holds);

        String nuance = render(result(Verdict.HOLDS_WITH_NUANCE), Style.plain());
        assertTrue(nuance.contains("  expected  nuance    one line [C16]\n                      seen: 1 line(s)\n"
                + "                      nuance: a nuance \\x1b[5m\n"), nuance);
        assertTrue(nuance.contains("  verdict   HOLDS WITH A NUANCE: 1 of 1 expectations measured and met, 1 with a"
                + " nuance: a nuance \\x1b[5m\n"), nuance);

        String cannot = render(result(Verdict.CANNOT_CHECK), Style.plain());
        assertTrue(cannot.contains("  expected  unchecked one line [C16]\n"
                + "                      missing: what is missing\n"), cannot);
        assertFalse(cannot.contains("seen:"), "nothing was seen: " + cannot);
        assertTrue(cannot.contains("  verdict   CANNOT BE CHECKED HERE: what is missing\n"), cannot);
    }

    @Test
    void summaryCountsEachVerdict() {
        String s = render(LabView.summary(List.of(result(Verdict.HOLDS), result(Verdict.DIFFERS),
                result(Verdict.CANNOT_CHECK), result(Verdict.HOLDS), result(Verdict.HOLDS_WITH_NUANCE))), Style.plain());
        assertEquals("\nsummary: 2 hold, 1 hold with a nuance, 1 differ, 1 cannot be checked here\n", s);
    }

    @Test
    void aStageSettingStepIsOneLine() {
        assertEquals("  mmap       unchecked   what is missing\n", render(List.of(LabView.brief(
                result(Verdict.CANNOT_CHECK))), Style.plain()));
    }
}

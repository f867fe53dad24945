package dev.inspector.present;

import dev.inspector.core.lab.Check;
import dev.inspector.core.lab.Evidence;
import dev.inspector.core.lab.LabStep;
import dev.inspector.core.lab.Observation;
import dev.inspector.core.lab.Pages;
import dev.inspector.core.lab.Range;
import dev.inspector.core.lab.StepResult;
import dev.inspector.core.lab.Verdict;
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

    private static StepResult result(Verdict v) {
        byte[] b = HOSTILE.getBytes(StandardCharsets.UTF_8);
        Mapping m = MapsParser.parse(b, b.length, "test").get(0);
        Range r = new Range(m.start(), m.end());
        Observation o = new Observation(r, List.of(m), null, null, new Pages(1, 1, 0, -1, "not observable"), 4096,
                7, 10, 0x1000, null, 0x1000);
        return new StepResult(new LabStep("mmap", "map \u001b[31m pages"), "mmap(...) = 0x7f0000000000",
                List.of(new Check("one line", v, "1 line(s) /tmp/\u001b[2Jevil")),
                List.of(new Evidence("maps", List.of("(none)"), List.of(m.toMapsLine()))), List.of("a note"), v,
                "reason", o, o);
    }

    @Test
    void escapesEverythingAndColoursVerdicts() {
        StringWriter w = new StringWriter();
        LabView.step(result(Verdict.DIFFERS), 1, 1, Style.ansi(), new PrintWriter(w));
        String s = w.toString();
        assertFalse(s.contains("\u001b[2J"), s);
        assertFalse(s.contains("\u001b[31m pages"), s);
        assertTrue(s.contains("/tmp/\\x1b[2Jevil"), s);
        assertTrue(s.contains("\u001b[31mDIFFERS\u001b[0m: reason"), s);
        assertTrue(s.contains("\u001b[31mdiffers \u001b[0mone line"), s);
        assertTrue(s.contains("  maps      before  (none)\n"), s);
        assertTrue(s.contains("            after   7f0000000000-7f0000001000 r--p"), s);

        StringWriter plain = new StringWriter();
        LabView.step(result(Verdict.UNSUPPORTED), 1, 1, Style.plain(), new PrintWriter(plain));
        assertTrue(plain.toString().contains("  verdict   UNSUPPORTED: reason"), plain.toString());
        assertEquals(Style.YELLOW, LabView.color(Verdict.UNSUPPORTED));
        assertEquals(Style.GREEN, LabView.color(Verdict.HOLDS));
    }

    @Test
    void summaryCountsEachVerdict() {
        StringWriter w = new StringWriter();
        LabView.summary(List.of(result(Verdict.HOLDS), result(Verdict.DIFFERS), result(Verdict.UNSUPPORTED),
                result(Verdict.HOLDS)), Style.plain(), new PrintWriter(w));
        assertEquals("\nsummary: 2 hold, 1 differ, 1 unsupported\n", w.toString());
    }

    @Test
    void jsonKeepsRawTextForScriptsAndNullForTheUnobservable() throws Exception {
        StringWriter w = new StringWriter();
        LabView.json(new LabView.Setup(7, 4096, 1, 0, "not observable"), List.of(result(Verdict.HOLDS)), w);
        com.fasterxml.jackson.databind.JsonNode d = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(w.toString());
        com.fasterxml.jackson.databind.JsonNode after = d.get("steps").get(0).get("after");
        assertTrue(after.get("zeroPage").isNull());
        assertEquals("0x7f0000000000", after.get("start").asText());
        assertTrue(after.get("maps").get(0).asText().endsWith("/tmp/\u001b[2Jevil\\012x"),
                after.get("maps").toString());
        assertEquals(1, d.get("summary").get("holds").asInt());
    }
}

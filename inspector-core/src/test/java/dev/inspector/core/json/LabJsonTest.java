package dev.inspector.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inspector.core.claims.Check;
import dev.inspector.core.claims.Claim;
import dev.inspector.core.claims.Finding;
import dev.inspector.core.claims.Outcome;
import dev.inspector.core.lab.Lab;
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

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lab's JSON document: raw text for scripts, every verdict with its own key, null for the unobservable. */
class LabJsonTest {

    /** A maps line naming a file with an escape sequence and a newline (both legal in file names). */
    private static final String HOSTILE = "7f0000000000-7f0000001000 r--p 00000000 08:01 42 /tmp/\u001b[2Jevil\\012x\n";

    private static StepResult step(String name, List<Check> checks) {
        byte[] b = HOSTILE.getBytes(StandardCharsets.UTF_8);
        Mapping m = MapsParser.parse(b, b.length, "test").get(0);
        Observation o = new Observation(new Range(m.start(), m.end()), List.of(m), null, null,
                new Pages(1, 1, 0, -1, "not observable"), 4096, 7, 10, 0x1000, null, 0x1000);
        return new StepResult(new LabStep(name, "a title"), "mmap(...) = 0x7f0000000000", checks,
                List.of(Measure.MAPS), List.of("a note"), Outcome.of(checks), new StepEvidence(o, o));
    }

    private static JsonNode write(List<StepResult> results) throws Exception {
        StringWriter w = new StringWriter();
        LabJson.write(new Lab.Setup(7, 4096, 1, 0, "not observable"), results, w);
        assertTrue(w.toString().endsWith("}\n"), w.toString());
        return new ObjectMapper().readTree(w.toString());
    }

    @Test
    void everyVerdictHasItsOwnKeyAndTheRunIsSummed() throws Exception {
        List<Check> checks = List.of(
                new Check(Claim.of("one line").citing("C16"), Finding.holds("1 line(s)")),
                new Check(Claim.of("exclusive"), Finding.holdsWithNuance("64 exclusive", "they were before")),
                new Check(Claim.of("on the zero page").citing("C31"), Finding.differs("0", "64 have frames")),
                new Check(Claim.of("named").from("doc.txt"), Finding.cannotCheck("CONFIG_ANON_VMA_NAME is off")));
        JsonNode d = write(List.of(step("a", checks), step("b", List.of(checks.get(0)))));
        JsonNode c = d.get("steps").get(0).get("checks");
        assertEquals("holds", c.get(0).get("verdict").asText());
        assertEquals("C16", c.get(0).get("claim").asText());
        assertEquals("holds_with_nuance", c.get(1).get("verdict").asText());
        assertTrue(c.get(1).get("claim").isNull());
        assertEquals("they were before", c.get(1).get("nuance").asText());
        assertEquals("differs", c.get(2).get("verdict").asText());
        assertEquals("0", c.get(2).get("observed").asText());
        assertEquals("64 have frames", c.get(2).get("why").asText());
        assertEquals("cannot_check", c.get(3).get("verdict").asText());
        assertTrue(c.get(3).get("observed").isNull());
        assertEquals("CONFIG_ANON_VMA_NAME is off", c.get(3).get("missing").asText());
        assertEquals("doc.txt", c.get(3).get("document").asText());
        assertFalse(c.get(0).has("document"));
        JsonNode step = d.get("steps").get(0);
        assertEquals("differs", step.get("verdict").asText());
        assertEquals("expected on the zero page; the kernel shows 0; 64 have frames", step.get("reason").asText());
        JsonNode sum = d.get("summary");
        assertEquals("differs", sum.get("verdict").asText());
        assertEquals(1, sum.get("holds").asInt());
        assertEquals(0, sum.get("holdsWithNuance").asInt());
        assertEquals(1, sum.get("differs").asInt());
        assertEquals(0, sum.get("cannotCheck").asInt());
        assertEquals("a: expected on the zero page; the kernel shows 0; 64 have frames", sum.get("reason").asText());
    }

    @Test
    void keepsRawTextForScriptsAndNullForTheUnobservable() throws Exception {
        JsonNode d = write(List.of(step("mmap", List.of(new Check(Claim.of("one line"), Finding.holds("1"))))));
        JsonNode after = d.get("steps").get(0).get("after");
        assertTrue(after.get("zeroPage").isNull());
        assertEquals("0x7f0000000000", after.get("start").asText());
        assertTrue(after.get("maps").get(0).asText().endsWith("/tmp/\u001b[2Jevil\\012x"),
                after.get("maps").toString());
        assertEquals(1, d.get("summary").get("holds").asInt());
        assertEquals("holds", d.get("summary").get("verdict").asText());
    }
}

package dev.inspector.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inspector.core.demo.Demo;
import dev.inspector.core.demo.Demos;
import dev.inspector.core.testing.LiveTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code inspector demo} end to end, in-process, in batch mode (--yes or --json). */
@EnabledOnOs(OS.LINUX)
@LiveTest
class DemoCommandTest {

    @Test
    void withoutANameItListsEveryDemoOnOneLine() {
        Cli.Result r = Cli.run("demo");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().collect(Collectors.toList());
        assertTrue(lines.get(0).startsWith("DEMO "), lines.get(0));
        lines = lines.subList(1, lines.size());
        assertEquals(Demos.all().size(), lines.size());
        for (int i = 0; i < lines.size(); i++) {
            Demo d = Demos.all().get(i);
            assertTrue(lines.get(i).startsWith(d.name() + " ") && lines.get(i).contains(d.title())
                    && lines.get(i).endsWith("[" + String.join(" ", d.claimIds()) + "]"), lines.get(i));
        }
    }

    @Test
    void aWalkShowsEachStepWhatWasDoneTheChangeTheClaimsAndASummary() {
        Cli.Result r = Cli.run("demo", "segments", "--yes", "--color=never");
        assertEquals(0, r.code(), r.out() + r.err());
        String out = r.out();
        assertTrue(out.startsWith("inspector demo segments: "), out);
        int at = 0;
        int n = 1;
        for (String step : List.of("start_no_malloc_yet", "after_write_data", "after_touch_big_bss",
                "after_first_malloc", "done")) {
            int i = out.indexOf("\n[" + n++ + "] " + step + " (pid ", at);
            assertTrue(i > at, "step " + step + " in order:\n" + out);
            at = i;
        }
        assertTrue(out.contains("  did       wrote 43 into the initialised global"), out);
        assertTrue(out.contains("  change    maps: [heap] added: (none) -> "), out);
        assertTrue(out.contains("  claim     .bss holds the uninitialised globals [C19, 002_4fc70062cd8b623a.txt]"),
                out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("summary: 9 claims: ")), out);
        assertFalse(out.contains("\u001b["), "no colour without a terminal");
        assertFalse(out.contains("-- Enter"), "--yes does not pause");
    }

    @Test
    void aClaimThatDiffersHereMakesTheRunExitEight() throws Exception {
        Cli.Result r = Cli.run("demo", "demand_paging", "4", "--json");
        JsonNode doc = new ObjectMapper().readTree(r.out());
        JsonNode first = doc.get("steps").get(0);
        assertEquals("after_mmap_anon", first.get("name").asText());
        JsonNode c31 = first.get("checks").get(0);
        assertEquals("C31", c31.get("claim").asText());
        // a fresh mapping has no page present: the claim that every page has a frame differs, measured
        assertEquals("differs", c31.get("verdict").asText(), c31.toString());
        assertTrue(c31.get("observed").asText().startsWith("0 of 1024 pages present"), c31.toString());
        assertEquals(ExitCodes.CLAIM_DIFFERS, r.code(), r.err());
        assertEquals("differs", doc.get("summary").get("verdict").asText());
        assertEquals(List.of("4"), List.of(doc.get("command").get(1).asText()));
    }

    @Test
    void aDeliberatelyWrongExpectationDiffers() {
        Cli.Result r = Cli.run("demo", "segments", "--yes", "--wrong", "after_first_malloc", "--color=always");
        assertEquals(ExitCodes.CLAIM_DIFFERS, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("(deliberately wrong) the process has no [stack] mapping [our own check]"),
                r.out());
        assertTrue(r.out().contains("\u001b[31mdiffers   \u001b[0mseen: [stack] 0x"), r.out());
        assertTrue(r.out().contains("\u001b[32mholds     \u001b[0m"), "holds in green:\n" + r.out());
    }

    @Test
    void jsonCarriesEveryStopAndItsVerdicts() throws Exception {
        Cli.Result r = Cli.run("demo", "cow_fork", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals("cow_fork", doc.get("demo").asText());
        List<String> names = new java.util.ArrayList<>();
        int holds = 0;
        int nuance = 0;
        for (JsonNode s : doc.get("steps")) {
            names.add(s.get("name").asText());
            for (JsonNode c : s.get("checks")) {
                holds += c.get("verdict").asText().equals("holds") ? 1 : 0;
                nuance += c.get("verdict").asText().equals("holds_with_nuance") ? 1 : 0;
                assertTrue(c.get("documents").size() > 0, c.toString());
            }
        }
        assertEquals(List.of("parent_before_fork", "child_before_write", "child_after_write",
                "parent_after_child_write", "parent_after_own_write", "done"), names);
        assertTrue(doc.get("steps").get(1).get("pid").asInt() != doc.get("pid").asInt(), "the child's own pid");
        assertEquals(holds, doc.get("summary").get("holds").asInt());
        assertEquals(nuance, doc.get("summary").get("holdsWithNuance").asInt());
        assertEquals(0, doc.get("exitStatus").asInt());
    }

    @Test
    void withoutYesEachStopWaitsForEnter() {
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream("\n\n\n\n\n\n\n\n".getBytes()));
        try {
            Cli.Result r = Cli.run("demo", "heap_frag", "--color=never");
            assertEquals(0, r.code(), r.err());
            // every stop but the last waits
            assertEquals(4, r.out().split("-- Enter: next step", -1).length - 1, r.out());
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void badInputIsAUsageError() {
        Cli.Result none = Cli.run("demo", "nosuch");
        assertEquals(ExitCodes.USAGE, none.code());
        assertTrue(none.err().contains("no demo 'nosuch' (demos: segments, stack_vs_heap"), none.err());
        Cli.Result tui = Cli.run("demo", "segments", "--tui", "--json");
        assertEquals(ExitCodes.USAGE, tui.code());
        assertTrue(tui.err().contains("--tui and --json do not go together"), tui.err());
        Cli.Result noName = Cli.run("demo", "--tui");
        assertEquals(ExitCodes.USAGE, noName.code());
        assertTrue(noName.err().contains("--tui plays one demo"), noName.err());
        // Under the test there is no terminal: one line saying so, before any sample is started.
        Cli.Result noTerminal = Cli.run("demo", "segments", "--tui");
        assertEquals(ExitCodes.BAD_INPUT, noTerminal.code(), noTerminal.err());
        assertTrue(noTerminal.err().contains("--tui needs a terminal"), noTerminal.err());
        Cli.Result step = Cli.run("demo", "segments", "--wrong", "no_step");
        assertEquals(ExitCodes.USAGE, step.code());
        assertTrue(step.err().contains("demo 'segments' has no step 'no_step'"), step.err());
    }

    @Test
    void aSampleRefusingItsArgumentsIsASampleFailure() {
        Cli.Result r = Cli.run("demo", "physical_scatter", "1", "--yes");
        assertEquals(ExitCodes.SAMPLE_FAILED, r.code(), r.out() + r.err());
        assertTrue(r.err().startsWith("inspector: "), r.err());
        assertTrue(r.err().contains("physical_scatter"), r.err());
    }

    @Test
    void asNobodyFramesAreHiddenAndTheDemoSaysSo() throws Exception {
        assumeTrue(Nobody.available(), "needs root and setpriv");
        Nobody.Run r = Nobody.cli("demo", "physical_scatter", "--json");
        assertEquals(0, r.code(), r.toString());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        JsonNode c36 = doc.get("steps").get(0).get("checks").get(0);
        assertEquals("cannot_check", c36.get("verdict").asText(), c36.toString());
        assertTrue(c36.get("missing").asText().startsWith("not root: pagemap shows frame numbers only to"),
                c36.toString());
        Nobody.Run cow = Nobody.cli("demo", "cow_fork", "--json");
        JsonNode shared = new ObjectMapper().readTree(cow.out()).get("steps").get(1).get("checks").get(0);
        assertEquals("holds_with_nuance", shared.get("verdict").asText(), shared.toString());
        assertTrue(shared.get("nuance").asText().contains("pagemap bit 56"), shared.toString());
    }
}

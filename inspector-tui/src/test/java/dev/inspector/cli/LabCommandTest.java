package dev.inspector.cli;

import dev.inspector.core.testing.Live;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inspector.core.lab.Lab;
import dev.inspector.core.lab.LabStep;
import dev.inspector.core.model.KernelFeatures;
import dev.inspector.core.testing.LiveTest;
import dev.inspector.core.testing.ZeroPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code inspector lab} end to end, in-process: the experiments run on the test JVM itself. */
@EnabledOnOs(OS.LINUX)
@LiveTest
class LabCommandTest {

    private static final boolean NAMES = Live.features().anonVmaName().available();

    /** Reads map the shared zero page on most kernels; where they do not, the read step differs and says so. */
    private static final boolean ZERO = ZeroPage.shared();

    @Test
    void everyStepIsListedWithItsVerdictAndTheExitCodeFollowsThem() throws Exception {
        Cli.Result r = Cli.run("lab", "--color=never");
        assertEquals(ZERO ? 0 : ExitCodes.CLAIM_DIFFERS, r.code(), r.out() + r.err());
        List<String> lines = r.out().lines().collect(Collectors.toList());
        assertTrue(lines.get(0).startsWith("inspector lab: experiments on the inspector's own process (pid "
                + ProcessHandle.current().pid() + "); no other process is touched."), lines.get(0));
        int i = 1;
        for (LabStep s : Lab.STEPS) {
            String head = "[" + i + "/" + Lab.STEPS.size() + "] " + s.name() + ": " + s.title();
            assertTrue(lines.contains(head), "missing " + head + " in\n" + r.out());
            i++;
        }
        List<String> verdicts = lines.stream().filter(l -> l.startsWith("  verdict   ")).collect(Collectors.toList());
        assertEquals(Lab.STEPS.size(), verdicts.size(), r.out());
        for (int k = 0; k < verdicts.size(); k++) {
            String name = Lab.STEPS.get(k).name();
            String want = name.equals(Lab.NAME) && !NAMES ? "CANNOT BE CHECKED HERE"
                    : name.equals(Lab.READ) && !ZERO ? "DIFFERS"
                    : name.equals(Lab.WRITE) && !ZERO ? "HOLDS WITH A NUANCE" : "HOLDS";
            assertTrue(verdicts.get(k).startsWith("  verdict   " + want + ": "), verdicts.get(k));
        }
        assertTrue(r.out().contains("  expected  holds     the one line becomes three: rw-p, r--p (page 32), rw-p [C35]\n"),
                "the cited claim is shown beside its expectation:\n" + r.out());
        // every claim the lab cites, in its text and its JSON, is defined in the catalogue
        String catalogue = java.nio.file.Files.readString(docs().resolve("model/claims.md"));
        Cli.Result json = Cli.run("lab", "--json");
        java.util.Set<String> cited = new java.util.TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\bC\\d{2}\\b").matcher(r.out() + json.out());
        while (m.find()) {
            cited.add(m.group());
        }
        assertTrue(cited.size() >= 3, "the lab cites claims: " + cited);
        for (String id : cited) {
            assertTrue(catalogue.contains("\n### " + id + " \u2014 "), id + " is not defined in docs/model/claims.md");
        }
        String summary = lines.get(lines.size() - 1);
        int differ = ZERO ? 0 : 1;
        int nuance = ZERO ? 0 : 1;
        int cannot = NAMES ? 0 : 1;
        assertEquals("summary: " + (9 - differ - nuance - cannot) + " hold, " + nuance + " hold with a nuance, " + differ
                + " differ, " + cannot + " cannot be checked here", summary);
        assertFalse(r.out().contains("\u001b["), "colour without a terminal");
    }

    @Test
    void aDeliberatelyWrongExpectationDiffersAndExitsEight() {
        Cli.Result r = Cli.run("lab", "--step", "write", "--wrong", "write", "--pages", "10", "--write", "3",
                "--color=always");
        assertEquals(ExitCodes.CLAIM_DIFFERS, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("ran first, to set the stage:"), r.out());
        assertTrue(r.out().contains("\u001b[31mdiffers   \u001b[0m(deliberately wrong) 11 of the range's pages present"),
                r.out());
        assertTrue(r.out().contains("seen: 10 of 10 present"), r.out());
        assertTrue(r.out().contains("\u001b[31mDIFFERS\u001b[0m: expected (deliberately wrong) 11 of the range's pages"
                + " present (pagemap bit 63); the kernel shows 10 of 10 present"), r.out());
        // the lab's own expectation still holds (with the nuance, where reads gave every page a frame already)
        assertTrue(r.out().contains(ZERO ? "\u001b[32mholds     \u001b[0mthe 3 written pages are mapped exclusively"
                : "\u001b[36mnuance    \u001b[0mthe 3 written pages are mapped exclusively"), r.out());
    }

    @Test
    void jsonCarriesEveryStepWithItsMeasurements() throws Exception {
        Cli.Result r = Cli.run("lab", "--json", "--pages", "12", "--write", "4");
        assertEquals(ZERO ? 0 : ExitCodes.CLAIM_DIFFERS, r.code(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals(ProcessHandle.current().pid(), doc.get("pid").asLong());
        assertEquals(12, doc.get("pages").asInt());
        JsonNode steps = doc.get("steps");
        assertEquals(Lab.STEPS.size(), steps.size());
        JsonNode write = steps.get(2);
        assertEquals("write", write.get("name").asText());
        assertEquals(ZERO ? "holds" : "holds_with_nuance", write.get("verdict").asText());
        // where reads get frames of their own, all 12 pages had one before the write
        assertEquals(ZERO ? 0 : 12, write.get("before").get("exclusive").asInt());
        assertEquals(ZERO ? 4 : 12, write.get("after").get("exclusive").asInt());
        assertEquals((ZERO ? 4 : 12) * 4096, write.get("after").get("rssBytes").asLong());
        JsonNode split = steps.get(3).get("after").get("maps");
        assertEquals(3, split.size(), split.toString());
        assertTrue(split.get(1).asText().contains(" r--p "), split.toString());
        assertEquals("C35", steps.get(3).get("checks").get(0).get("claim").asText());
        JsonNode name = steps.get(6);
        assertEquals(NAMES ? "holds" : "cannot_check", name.get("verdict").asText());
        if (!NAMES) {
            assertTrue(name.get("checks").get(0).get("missing").asText().startsWith("CONFIG_ANON_VMA_NAME is off"),
                    name.toString());
        }
        JsonNode summary = doc.get("summary");
        assertEquals(9 - (NAMES ? 0 : 1) - (ZERO ? 0 : 2), summary.get("holds").asInt());
        assertEquals(ZERO ? 0 : 1, summary.get("holdsWithNuance").asInt());
        assertEquals(ZERO ? 0 : 1, summary.get("differs").asInt());
        assertEquals(NAMES ? 0 : 1, summary.get("cannotCheck").asInt());
        String overall = !ZERO ? "differs" : NAMES ? "holds" : "cannot_check";
        assertEquals(overall, summary.get("verdict").asText());
        // only a differing claim fails the run: one that cannot be checked here does not
        assertEquals(overall.equals("differs") ? ExitCodes.CLAIM_DIFFERS : 0, r.code());
    }

    @Test
    void listAndBadInput() {
        Cli.Result list = Cli.run("lab", "--list");
        assertEquals(0, list.code());
        assertEquals(Lab.STEPS.size(), list.out().lines().count());
        assertTrue(list.out().startsWith("mmap       map anonymous pages"), list.out());
        Cli.Result bad = Cli.run("lab", "--step", "mremap");
        assertEquals(ExitCodes.USAGE, bad.code());
        assertTrue(bad.err().contains("no lab step 'mremap'"), bad.err());
        Cli.Result few = Cli.run("lab", "--pages", "2");
        assertEquals(ExitCodes.USAGE, few.code());
        assertTrue(few.err().contains("--pages must be between 3 and"), few.err());
        Cli.Result help = Cli.run("--help");
        assertTrue(help.out().contains("\n  lab ") && help.out().contains("8     A claim checked by measurement (a lab step"), help.out());
    }

    /** The repository's docs/ folder, found above the working directory (the module when Maven runs the tests). */
    static java.nio.file.Path docs() {
        java.nio.file.Path p = java.nio.file.Paths.get("").toAbsolutePath();
        while (p != null && !java.nio.file.Files.isDirectory(p.resolve("docs/model"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("no docs/model above " + java.nio.file.Paths.get("").toAbsolutePath());
        }
        return p.resolve("docs");
    }
}

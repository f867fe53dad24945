package dev.inspector.core.lab;

import dev.inspector.core.claims.Check;
import dev.inspector.core.claims.Expectation;
import dev.inspector.core.claims.Verdict;
import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.model.KernelFeatures;
import dev.inspector.core.sys.Sys;
import dev.inspector.core.testing.Live;
import dev.inspector.core.testing.LiveTest;
import dev.inspector.core.testing.ZeroPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The lab's steps run as tests on the test JVM's own process, judged through the claims engine. Each step's verdict
 * must be what independent oracles say of this kernel: HOLDS, except naming, which cannot be checked exactly when the
 * feature probe finds no CONFIG_ANON_VMA_NAME, and reading and writing where this kernel maps no shared zero page
 * (decided by the independent {@link ZeroPage} oracle): reading then DIFFERS and writing holds with a nuance (the pages
 * already had frames). Wrong expectations must give DIFFERS with the measured value, and a few facts are re-measured
 * here from the raw /proc text, independently of the lab.
 */
@EnabledOnOs(OS.LINUX)
@LiveTest
class LabTest {

    private static final int PAGE = Sys.pageSize();

    private static final boolean NAMES = Live.features().anonVmaName().available();

    @ParameterizedTest
    @ValueSource(strings = {"mmap", "read", "write", "mprotect", "unprotect", "madvise", "name", "munmap", "brk"})
    void eachStepGetsTheVerdictThisKernelCalls(String name) {
        try (Lab lab = new Lab(Lab.Options.defaults(), ProcFs.system(), Live.features())) {
            // Without PFNs and PAGEMAP_SCAN (an unprivileged reader before Linux 6.7) the zero page cannot be seen.
            boolean zeroSeen = !lab.zeroPageMethod().startsWith("not observable");
            List<StepResult> ran = lab.runThrough(name);
            assertEquals(Lab.prerequisites(name).size() + 1, ran.size());
            for (StepResult r : ran) {
                assertFalse(r.checks().isEmpty(), r.name() + " judged nothing");
                boolean noZero = !ZeroPage.shared() && (r.name().equals(Lab.READ) || r.name().equals(Lab.WRITE));
                Verdict want = Verdict.HOLDS;
                if (r.name().equals(Lab.NAME) && !NAMES) {
                    want = Verdict.CANNOT_CHECK;
                    assertTrue(r.reason().contains("CONFIG_ANON_VMA_NAME"), r.reason());
                    assertTrue(r.call().endsWith("= -1 EINVAL"), r.call());
                } else if (noZero) {
                    // The documents' model (reads map the shared zero page) does not hold here, and the lab says so;
                    // the write then holds, with the nuance that the pages already had frames of their own.
                    want = r.name().equals(Lab.READ) ? Verdict.DIFFERS : Verdict.HOLDS_WITH_NUANCE;
                } else if (!zeroSeen && (r.name().equals(Lab.READ) || r.name().equals(Lab.WRITE))) {
                    want = Verdict.CANNOT_CHECK;
                }
                assertEquals(want, r.verdict(), describe(r));
                for (Check c : r.checks()) {
                    String expected = c.claim().statement();
                    boolean aboutTheZeroPage = expected.contains("zero page") || expected.contains("exclusively")
                            || expected.startsWith("smaps Rss");
                    Verdict wantCheck = Verdict.HOLDS;
                    if (noZero && aboutTheZeroPage) {
                        wantCheck = r.name().equals(Lab.READ) ? Verdict.DIFFERS
                                : expected.contains("exclusively") ? Verdict.HOLDS_WITH_NUANCE : Verdict.HOLDS;
                    } else if (!zeroSeen && expected.contains("zero page")) {
                        wantCheck = Verdict.CANNOT_CHECK;
                    } else if (r.name().equals(Lab.NAME) && !NAMES && expected.contains("now named")) {
                        wantCheck = Verdict.CANNOT_CHECK;
                    }
                    assertEquals(wantCheck, c.verdict(), c.toString());
                }
            }
        }
    }

    /** Where the kernel maps no zero page, the read differs naming the frames the pages got instead. */
    @Test
    void readingDiffersWhereTheKernelHasNoZeroPageAndSaysWhy() {
        assumeTrue(!ZeroPage.shared(), "this kernel maps the shared zero page");
        Lab.Options o = new Lab.Options(24, 6);
        try (Lab lab = new Lab(o, ProcFs.system(), Live.features())) {
            List<StepResult> ran = lab.runThrough(Lab.WRITE);
            StepResult read = ran.get(1);
            assertEquals(Verdict.DIFFERS, read.verdict(), describe(read));
            assertEquals("expected 24 pages on the shared zero page; the kernel shows 0 on the zero page; 24 of the 24"
                    + " present pages have a frame of their own (pagemap bit 56)", read.reason());
            StepResult write = ran.get(2);
            assertEquals(Verdict.HOLDS_WITH_NUANCE, write.verdict(), describe(write));
            assertTrue(write.reason().endsWith("1 with a nuance: every page had a frame of its own before the write"
                    + " (24 of 24 exclusive), so the write needed no new frame"), write.reason());
            assertEquals(Verdict.DIFFERS, Lab.overall(ran).verdict());
        }
    }

    @Test
    void namingCannotBeCheckedExactlyWhenTheProbeSaysSo() {
        try (Lab lab = new Lab(Lab.Options.defaults(), ProcFs.system(), Live.features())) {
            StepResult r = last(lab.runThrough(Lab.NAME));
            assertEquals(NAMES ? Verdict.HOLDS : Verdict.CANNOT_CHECK, r.verdict(), describe(r));
            String line = r.after().lines().get(0).toMapsLine();
            assertEquals(NAMES, line.endsWith("[anon:" + Lab.ANON_NAME + "]"), line);
            Check named = r.checks().get(0);
            assertEquals("the line is now named [anon:" + Lab.ANON_NAME + "]", named.claim().statement());
            if (!NAMES) {
                assertEquals("CONFIG_ANON_VMA_NAME is off (prctl PR_SET_VMA_ANON_NAME -> EINVAL)", named.detail());
                assertEquals(r.reason(), named.detail());
                assertEquals(Verdict.HOLDS, r.checks().get(1).verdict(), "the line stays unnamed: " + r.checks());
            }
        }
    }

    /** The claims of the catalogue each expectation bears on are data, not only words in a note. */
    @Test
    void expectationsCiteTheirClaimsAsData() {
        try (Lab lab = new Lab(new Lab.Options(8, 2), ProcFs.system(), Live.features())) {
            List<StepResult> ran = lab.runThrough(Lab.MPROTECT);
            assertEquals("C16", ran.get(0).checks().get(0).claim().id());
            assertEquals("C31", ran.get(0).checks().get(1).claim().id());
            StepResult read = ran.get(1);
            for (Check c : read.checks()) {
                String want = c.claim().statement().contains("minor faults") ? "C29" : "C31";
                assertEquals(want, c.claim().id(), c.toString());
            }
            Check split = ran.get(3).checks().get(0);
            assertTrue(split.claim().statement().startsWith("the one line becomes three"), split.toString());
            assertEquals("C35", split.claim().id());
            assertNull(ran.get(3).checks().get(1).claim().id(), "no claim of the catalogue is about that count");
        }
    }

    @Test
    void aWrongExpectedCountDiffersAndShowsTheMeasuredValue() {
        Lab.Options o = new Lab.Options(32, 5);
        try (Lab lab = new Lab(o, ProcFs.system(), Live.features())) {
            lab.expect(Lab.WRITE, Expectations.exclusive(o.write() + 1));
            lab.expect(Lab.MMAP, Expectations.present(1));
            List<StepResult> ran = lab.runThrough(Lab.WRITE);
            StepResult mmap = ran.get(0);
            assertEquals(Verdict.DIFFERS, mmap.verdict());
            assertEquals("expected 1 of the range's pages present (pagemap bit 63); the kernel shows 0 of 32 present",
                    mmap.reason());
            StepResult read = ran.get(1);
            assertEquals(ZeroPage.shared() ? Verdict.HOLDS : Verdict.DIFFERS, read.verdict(), describe(read));
            assertTrue(read.verdict() == Verdict.HOLDS || read.reason().contains("the kernel shows 0 on the zero page"),
                    read.reason());
            StepResult write = ran.get(2);
            assertEquals(Verdict.DIFFERS, write.verdict());
            Check wrong = write.checks().get(write.checks().size() - 1);
            assertEquals(Verdict.DIFFERS, wrong.verdict());
            // every page read before has a frame of its own where the kernel maps no zero page
            long exclusive = ZeroPage.shared() ? o.write() : o.pages();
            assertEquals(exclusive + " exclusive", wrong.observed());
            assertTrue(write.reason().contains("6 pages mapped exclusively") && write.reason().contains(exclusive
                    + " exclusive"), write.reason());
            // the lab's own expectations still hold: only the added one differs
            assertEquals(1, write.checks().stream().filter(c -> c.verdict() == Verdict.DIFFERS).count());
        }
    }

    @Test
    void aWrongShapeOfTheSplitDiffers() {
        try (Lab lab = new Lab(new Lab.Options(8, 0), ProcFs.system(), Live.features())) {
            lab.expect(Lab.MPROTECT, Expectations.lines("two lines", PAGE, Expectations.Line.anon(0, 4, "rw-p"),
                    Expectations.Line.anon(4, 8, "r--p")));
            StepResult r = last(lab.runThrough(Lab.MPROTECT));
            assertEquals(Verdict.DIFFERS, r.verdict());
            assertTrue(r.reason().endsWith("3 line(s): rw-p pages 0-4, r--p pages 4-5, rw-p pages 5-8"), r.reason());
        }
    }

    /** The lab's pagemap and maps figures agree with a raw read of /proc/self done here. */
    @Test
    void observationsMatchRawProcReads() throws IOException {
        Lab.Options o = new Lab.Options(40, 7);
        try (Lab lab = new Lab(o, ProcFs.system(), Live.features())) {
            StepResult w = last(lab.runThrough(Lab.WRITE));
            Range r = w.after().range();
            int present = 0;
            int exclusive = 0;
            try (FileChannel ch = FileChannel.open(Paths.get("/proc/self/pagemap"), StandardOpenOption.READ)) {
                ByteBuffer b = ByteBuffer.allocate(8 * o.pages()).order(ByteOrder.LITTLE_ENDIAN);
                ch.read(b, (r.start() / PAGE) * 8);
                for (int i = 0; i < o.pages(); i++) {
                    long e = b.getLong(i * 8);
                    present += (e >>> 63) & 1;
                    exclusive += (e >>> 56) & 1;
                }
            }
            assertEquals(o.pages(), present);
            assertEquals(ZeroPage.shared() ? o.write() : o.pages(), exclusive);
            assertEquals(present, w.after().pages().present());
            assertEquals(exclusive, w.after().pages().exclusive());
            String line = Long.toHexString(r.start()) + "-" + Long.toHexString(r.end()) + " rw-p 00000000 00:00 0 ";
            assertTrue(Files.readAllLines(Paths.get("/proc/self/maps")).stream().anyMatch(l -> l.startsWith(line)),
                    "no line " + line);
        }
    }

    @Test
    void closeUnmapsAHalfRunRegion() throws IOException {
        Range r;
        try (Lab lab = new Lab(Lab.Options.defaults(), ProcFs.system(), Live.features())) {
            r = last(lab.runThrough(Lab.READ)).after().range();
        }
        for (String l : Files.readAllLines(Paths.get("/proc/self/maps"))) {
            String[] f = l.substring(0, l.indexOf(' ')).split("-");
            long s = Long.parseUnsignedLong(f[0], 16);
            long e = Long.parseUnsignedLong(f[1], 16);
            assertFalse(r.overlaps(s, e), "still mapped: " + l);
        }
    }

    @Test
    void theBreakIsRestoredWhenNobodyElseMovedIt() {
        try (Lab lab = new Lab(Lab.Options.defaults(), ProcFs.system(), Live.features())) {
            StepResult r = last(lab.runThrough(Lab.BRK));
            String note = r.notes().get(r.notes().size() - 1);
            long original = r.before().brk();
            assertEquals(r.before().range().end(), r.after().brk(), describe(r));
            if (note.startsWith("restored")) {
                assertEquals(original, Sys.currentBreak());
            } else {
                assertTrue(note.startsWith("left the break"), note);
            }
        }
    }

    /**
     * Without PFNs and without PAGEMAP_SCAN the zero page cannot be seen: the read step's zero-page expectation is then
     * judged "cannot be checked here", naming what is missing, while what is observable (present, exclusive, Rss) is
     * still judged: it holds where reads map the zero page (and the run does not differ), and differs where they do
     * not. Simulated by handing the lab features with both switched off; the measurements are still real.
     */
    @Test
    void withoutPfnsOrPagemapScanTheZeroPageCannotBeChecked() {
        boolean shared = ZeroPage.shared();
        KernelFeatures real = Live.features();
        KernelFeatures.Feature off = new KernelFeatures.Feature(false, "switched off by the test");
        KernelFeatures blind = new KernelFeatures(off, real.procmapQuery(), real.softDirty(), off, off,
                real.anonVmaName(), new KernelFeatures.Feature(true, "pages we only read are not exclusive"), false, -1);
        try (Lab lab = new Lab(Lab.Options.defaults(), ProcFs.system(), blind)) {
            assertTrue(lab.zeroPageMethod().startsWith("not observable"), lab.zeroPageMethod());
            List<StepResult> ran = lab.runThrough(Lab.READ);
            StepResult read = last(ran);
            assertEquals(-1, read.after().pages().zeroPage());
            String missing = "the zero page is not observable here: PFNs hidden (switched off by the test) and no"
                    + " PAGEMAP_SCAN (switched off by the test)";
            for (Check c : read.checks()) {
                String s = c.claim().statement();
                boolean observable = !(s.contains("exclusively") || s.startsWith("smaps Rss")) || shared;
                Verdict want = s.contains("zero page") ? Verdict.CANNOT_CHECK
                        : observable ? Verdict.HOLDS : Verdict.DIFFERS;
                assertEquals(want, c.verdict(), c.toString());
                if (want == Verdict.CANNOT_CHECK) {
                    assertEquals(missing, c.detail());
                }
            }
            assertTrue(read.checks().stream().anyMatch(c -> c.claim().statement()
                    .startsWith("0 pages mapped exclusively")));
            assertEquals(shared ? Verdict.CANNOT_CHECK : Verdict.DIFFERS, read.verdict(), describe(read));
            if (shared) {
                assertEquals(missing, read.reason());
            }
            assertEquals(read.verdict(), Lab.overall(ran).verdict());
        }
    }

    /** A judge that fails on real evidence yields "cannot be checked here" naming the failure, never a silent HOLDS. */
    @Test
    void aJudgeThatThrowsCannotCheckTheStep() {
        try (Lab lab = new Lab(new Lab.Options(4, 1), ProcFs.system(), Live.features())) {
            lab.expect(Lab.MMAP, Expectation.of("the fifth line after the step is rw-p", e ->
                    dev.inspector.core.claims.Finding.holds(e.after().lines().get(4).perms().toString())));
            StepResult r = last(lab.runThrough(Lab.MMAP));
            assertEquals(Verdict.CANNOT_CHECK, r.verdict(), describe(r));
            assertTrue(r.reason().startsWith("could not be judged: the judge failed with IndexOutOfBoundsException"),
                    r.reason());
            assertEquals(3, r.outcome().tally().holds(), "the step's own expectations are still judged");
        }
    }

    @Test
    void theDeliberatelyWrongExpectationDiffersOnEveryStep() {
        for (LabStep s : Lab.STEPS) {
            try (Lab lab = new Lab(new Lab.Options(8, 2), ProcFs.system(), Live.features())) {
                lab.expect(s.name(), lab.wrongExpectation(s.name()));
                StepResult r = last(lab.runThrough(s.name()));
                assertEquals(Verdict.DIFFERS, r.verdict(), describe(r));
                assertTrue(r.checks().stream().anyMatch(c -> c.verdict() == Verdict.DIFFERS
                        && c.claim().statement().startsWith("(deliberately wrong)")
                        && c.detail().contains("the kernel shows " + c.observed())), describe(r));
            }
        }
    }

    @Test
    void optionsAndStepNamesAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new Lab.Options(2, 0));
        assertThrows(IllegalArgumentException.class, () -> new Lab.Options(8, 9));
        assertThrows(IllegalArgumentException.class, () -> new Lab.Options(Lab.MAX_PAGES + 1, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Lab.step("mremap"));
        assertTrue(e.getMessage().contains("steps: mmap, read"), e.getMessage());
        assertEquals(List.of("mmap", "read", "write"), Lab.prerequisites("mprotect"));
        assertEquals(List.of(), Lab.prerequisites("brk"));
        try (Lab lab = new Lab(new Lab.Options(4, 1), ProcFs.system(), Live.features())) {
            lab.runThrough(Lab.MMAP);
            assertThrows(IllegalStateException.class, () -> lab.runThrough(Lab.MMAP));
        }
    }

    private static StepResult last(List<StepResult> l) {
        return l.get(l.size() - 1);
    }

    private static String describe(StepResult r) {
        return r.name() + ": " + r.verdict() + " " + r.reason() + " | call " + r.call() + " | checks " + r.checks()
                + " | evidence " + r.evidence() + " | notes " + r.notes();
    }
}

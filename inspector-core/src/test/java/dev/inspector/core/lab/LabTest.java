package dev.inspector.core.lab;

import dev.inspector.core.testing.Live;
import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.model.KernelFeatures;
import dev.inspector.core.sys.Sys;
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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The lab's steps run as tests on the test JVM's own process: each step's verdict must be HOLDS, except naming, which
 * is UNSUPPORTED exactly when the feature probe finds no CONFIG_ANON_VMA_NAME, and reading, which DIFFERS exactly when
 * this kernel maps no shared zero page (decided by the independent {@link ZeroPage} oracle). Wrong expectations must give DIFFERS
 * with the measured value, and a few facts are re-measured here from the raw /proc text, independently of the lab.
 */
@EnabledOnOs(OS.LINUX)
class LabTest {

    private static final int PAGE = Sys.pageSize();

    @ParameterizedTest
    @ValueSource(strings = {"mmap", "read", "write", "mprotect", "unprotect", "madvise", "name", "munmap", "brk"})
    void eachStepHoldsOnThisKernel(String name) {
        try (Lab lab = new Lab(Lab.Options.defaults(), ProcFs.system(), Live.features())) {
            List<StepResult> ran = lab.runThrough(name);
            assertEquals(Lab.prerequisites(name).size() + 1, ran.size());
            for (StepResult r : ran) {
                assertFalse(r.checks().isEmpty(), r.name() + " judged nothing");
                Verdict want = Verdict.HOLDS;
                if (r.name().equals(Lab.NAME) && !Live.features().anonVmaName().available()) {
                    want = Verdict.UNSUPPORTED;
                    assertTrue(r.reason().contains("CONFIG_ANON_VMA_NAME"), r.reason());
                    assertTrue(r.call().endsWith("= -1 EINVAL"), r.call());
                }
                boolean noZero = r.name().equals(Lab.READ) && !ZeroPage.shared();
                if (noZero) {
                    // The documents' model (reads map the shared zero page) does not hold here, and the lab says so.
                    want = Verdict.DIFFERS;
                }
                assertEquals(want, r.verdict(), describe(r));
                for (Check c : r.checks()) {
                    boolean aboutTheZeroPage = c.expected().contains("zero page") || c.expected().contains("exclusively")
                            || c.expected().startsWith("smaps Rss");
                    assertEquals(noZero && aboutTheZeroPage ? Verdict.DIFFERS : Verdict.HOLDS, c.verdict(),
                            c.toString());
                }
            }
        }
    }

    @Test
    void namingIsUnsupportedExactlyWhenTheProbeSaysSo() {
        try (Lab lab = new Lab(Lab.Options.defaults(), ProcFs.system(), Live.features())) {
            StepResult r = last(lab.runThrough(Lab.NAME));
            boolean available = Live.features().anonVmaName().available();
            assertEquals(available ? Verdict.HOLDS : Verdict.UNSUPPORTED, r.verdict(), describe(r));
            String line = r.after().lines().get(0).toMapsLine();
            assertEquals(available, line.endsWith("[anon:" + Lab.ANON_NAME + "]"), line);
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
     * Without PFNs and without PAGEMAP_SCAN the zero page cannot be seen: the read step then claims nothing about it,
     * says so, and judges what is observable (present, not exclusive, no Rss). Simulated by handing the lab features
     * with both switched off; the measurements are still real.
     */
    @Test
    void withoutPfnsOrPagemapScanTheZeroPageIsNotClaimed() {
        assumeTrue(ZeroPage.shared(), "this kernel maps no shared zero page: there is nothing to leave unobserved");
        KernelFeatures real = Live.features();
        KernelFeatures.Feature off = new KernelFeatures.Feature(false, "switched off by the test");
        KernelFeatures blind = new KernelFeatures(off, real.procmapQuery(), real.softDirty(), off, off,
                real.anonVmaName(), new KernelFeatures.Feature(true, "pages we only read are not exclusive"), false, -1);
        try (Lab lab = new Lab(Lab.Options.defaults(), ProcFs.system(), blind)) {
            assertTrue(lab.zeroPageMethod().startsWith("not observable"), lab.zeroPageMethod());
            StepResult read = last(lab.runThrough(Lab.READ));
            assertEquals(Verdict.HOLDS, read.verdict(), describe(read));
            assertEquals(-1, read.after().pages().zeroPage());
            assertTrue(read.checks().stream().noneMatch(c -> c.expected().contains("zero page")), read.checks()
                    .toString());
            assertTrue(read.checks().stream().anyMatch(c -> c.expected().startsWith("0 pages mapped exclusively")));
            assertTrue(read.notes().stream().anyMatch(n -> n.contains("not observable here")), read.notes().toString());
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
                        && c.expected().startsWith("(deliberately wrong)")), describe(r));
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

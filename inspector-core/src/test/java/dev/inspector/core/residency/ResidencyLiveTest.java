package dev.inspector.core.residency;

import dev.inspector.core.testing.Live;
import dev.inspector.core.demo.SampleProgram;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.PageRun;
import dev.inspector.core.model.Residency;
import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.model.KernelFeatures;
import dev.inspector.core.sys.Sys;
import dev.inspector.core.testing.LiveTest;
import dev.inspector.core.testing.Samples;
import dev.inspector.core.testing.ZeroPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.util.List;

import static dev.inspector.core.residency.Lab.PAGE;
import static dev.inspector.core.residency.Lab.PID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@EnabledOnOs(OS.LINUX)
@LiveTest
class ResidencyLiveTest {

    private final KernelFeatures features = Live.features();
    private final ResidencyService svc = Live.residency();

    @Test
    void knownPatternIsCountedExactlyByBothPaths() throws Exception {
        assumeTrue(features.pagemapScan().available(), features.pagemapScan().reason());
        int n = 256;
        long start = Lab.fencedRegion(n, 0);
        try {
            long written = 0;
            long readOnly = 0;
            for (int i = 0; i < n; i++) {
                if (i % 3 == 0) {
                    Sys.poke(start + (long) i * PAGE, (byte) 7);
                    written++;
                } else if (i % 3 == 1 && i < 120) {
                    Sys.peek(start + (long) i * PAGE);
                    readOnly++;
                }
            }
            // Drop pages 200..219: of those, the written ones (i % 3 == 0) become untouched again.
            Sys.madvise(start + 200L * PAGE, 20L * PAGE, Sys.MADV_DONTNEED);
            long dropped = 0;
            for (int i = 200; i < 220; i++) {
                if (i % 3 == 0) {
                    dropped++;
                }
            }
            long writtenLeft = written - dropped;
            Mapping m = Lab.mappingAt(start);
            assertEquals(n * (long) PAGE, m.size());

            MappingResidency scan = svc.scan(PID, m, ResidencyOptions.defaults().forcing(ScanPath.PAGEMAP_SCAN));
            MappingResidency read = svc.scan(PID, m, ResidencyOptions.defaults().forcing(ScanPath.PAGEMAP));
            for (MappingResidency r : List.of(scan, read)) {
                Residency x = r.residency();
                assertEquals(n, x.pages());
                assertEquals(writtenLeft + readOnly, x.present(), x.source());
                assertEquals(0, x.swapped());
                assertEquals(n - writtenLeft - readOnly, x.untouched());
                assertEquals(0, x.file());
            }
            long zeroPages = ZeroPage.expected(readOnly);
            long own = writtenLeft + readOnly - zeroPages; // pages with a frame of their own
            assertEquals(zeroPages, scan.residency().zeroPage());
            assertEquals(0, scan.residency().huge());
            assertEquals(-1, scan.residency().exclusive(), "PAGEMAP_SCAN has no exclusive category");
            assertEquals("PAGEMAP_SCAN", scan.residency().source());
            assertEquals("pagemap", read.residency().source());
            assertEquals(own, read.residency().exclusive());
            assertEquals(-1, read.residency().huge(), "pagemap reads cannot tell PMD-mapped pages");
            if (features.pfnsVisible().available()) {
                assertEquals(zeroPages, read.residency().zeroPage());
                assertEquals(PfnState.KNOWN, read.pfns());
                assertTrue(read.physicalRuns() >= 1 && read.physicalRuns() <= own);
            } else {
                assertEquals(features.noZeroPage() ? 0 : -1, read.residency().zeroPage());
                assertEquals(PfnState.HIDDEN, read.pfns());
                assertEquals(-1, read.physicalRuns());
            }
            Lab.assertAgree(scan, read);

            // smaps Rss counts the frames this mapping owns: present pages minus those on the shared zero page.
            assertEquals(own * PAGE / 1024, Lab.smapsRssKb(PID, start));
            assertEquals(scan.residency().present() - scan.residency().zeroPage(), Lab.smapsRssKb(PID, start) * 1024 / PAGE);

            // Runs tile the mapping and follow the pattern page by page.
            List<PageRun> runs = PageRuns.normalize(scan.runs(), PageRun.PRESENT | PageRun.ZERO);
            long covered = 0;
            for (PageRun r : runs) {
                assertEquals(covered, r.firstPage());
                covered += r.count();
                for (long p = r.firstPage(); p < r.firstPage() + r.count(); p++) {
                    boolean w = p % 3 == 0 && !(p >= 200 && p < 220);
                    boolean ro = p % 3 == 1 && p < 120;
                    int expect = w ? PageRun.PRESENT : ro ? PageRun.PRESENT | (ZeroPage.shared() ? PageRun.ZERO : 0) : 0;
                    assertEquals(expect, r.flags(), "page " + p);
                }
            }
            assertEquals(n, covered);
        } finally {
            Lab.unmapFenced(start, n);
        }
    }

    /**
     * The walk_end trap: on 6.18 the kernel may return early with walk_end before pages it already reported, so a
     * naive restart loop counts them twice. 4 GiB (MAP_NORESERVE), every 16th page touched in a mix of written pairs,
     * zero-page reads and zero/written/zero triples, which splits the result into many regions of different
     * categories. Costs about 180 MiB of frames, freed at the end.
     */
    @Test
    void largeSparseMappingIsCountedExactlyByTheScanPath() {
        assumeTrue(features.pagemapScan().available(), features.pagemapScan().reason());
        long n = (4L << 30) / PAGE;
        long start = Lab.fencedRegion(n, Sys.MAP_NORESERVE);
        try {
            long present = 0;
            long zero = 0;
            for (long p = 0; p < n; p += 16) {
                long a = start + p * PAGE;
                switch ((int) ((p / 16) % 3)) {
                    case 0:
                        Sys.poke(a, (byte) 1);
                        Sys.poke(a + PAGE, (byte) 1);
                        present += 2;
                        break;
                    case 1:
                        Sys.peek(a);
                        present++;
                        zero++;
                        break;
                    default:
                        Sys.peek(a);
                        Sys.poke(a + PAGE, (byte) 1);
                        Sys.peek(a + 2L * PAGE);
                        present += 3;
                        zero += 2;
                }
            }
            Mapping m = Lab.mappingAt(start);
            for (int capacity : new int[] {PagemapScanner.DEFAULT_CAPACITY, 100_000, 513, 61, 1}) {
                try (PagemapScanner s = new PagemapScanner(ProcFs.system(), PID, features, capacity)) {
                    MappingResidency r = s.residency(m, false, null);
                    assertEquals(n, r.residency().pages());
                    assertEquals(present, r.residency().present(), "capacity " + capacity);
                    assertEquals(ZeroPage.expected(zero), r.residency().zeroPage(), "capacity " + capacity);
                    assertEquals(n - present, r.residency().untouched(), "capacity " + capacity);
                    System.out.println("capacity " + capacity + ": " + s.ioctlCalls() + " ioctls, "
                            + s.clippedPages() + " pages reported twice and clipped");
                }
            }
            MappingResidency read = svc.scan(PID, m, ResidencyOptions.summary().forcing(ScanPath.PAGEMAP));
            assertEquals(present, read.residency().present());
        } finally {
            Lab.unmapFenced(start, n);
        }
    }

    /**
     * Both paths over every mapping of a sample stopped at its ready step: the two reads see the same memory, so they
     * must agree exactly (this test used to compare two reads of this JVM, whose GC and JIT threads change its memory
     * between them).
     */
    @Test
    void bothPathsAgreeOverEveryMappingOfAStoppedSample() {
        assumeTrue(features.pagemapScan().available(), features.pagemapScan().reason());
        try (SampleProgram s = Samples.start("typical")) {
            s.awaitStep("ready");
            List<Mapping> maps = ProcFs.system().maps(s.pid());
            ResidencyReport scan = svc.scan(s.pid(), maps, ResidencyOptions.defaults().forcing(ScanPath.PAGEMAP_SCAN));
            ResidencyReport read = svc.scan(s.pid(), maps, ResidencyOptions.defaults().forcing(ScanPath.PAGEMAP));
            assertEquals(scan.mappings().size(), read.mappings().size());
            assertTrue(scan.mappings().size() >= maps.size() - 1, "every mapping but [vsyscall] is compared");
            long present = 0;
            for (int i = 0; i < scan.mappings().size(); i++) {
                Lab.assertAgree(scan.mappings().get(i), read.mappings().get(i));
                present += scan.mappings().get(i).residency().present();
            }
            assertTrue(present > 0, "a started program has resident pages");
            assertEquals(maps, ProcFs.system().maps(s.pid()), "the stopped sample's mappings did not change");
        }
    }

    @Test
    void bothPathsAgreeOverEveryMappingOfASleepingChild() throws Exception {
        assumeTrue(features.pagemapScan().available(), features.pagemapScan().reason());
        Process child = new ProcessBuilder("sleep", "300").start();
        try {
            int pid = (int) child.pid();
            waitForExec(pid, "sleep");
            List<Mapping> maps = ProcFs.system().maps(pid);
            assertTrue(maps.stream().anyMatch(m -> m.path().name().endsWith("/sleep")));
            ResidencyReport scan = svc.scan(pid, maps, ResidencyOptions.defaults().forcing(ScanPath.PAGEMAP_SCAN));
            ResidencyReport read = svc.scan(pid, maps, ResidencyOptions.defaults().forcing(ScanPath.PAGEMAP));
            assertEquals(scan.mappings().size(), read.mappings().size());
            long present = 0;
            for (int i = 0; i < scan.mappings().size(); i++) {
                Lab.assertAgree(scan.mappings().get(i), read.mappings().get(i));
                present += scan.mappings().get(i).residency().present();
            }
            assertTrue(present > 0, "a running sleep has resident pages");
            // Another process's file pages: the text of sleep is in the page cache, bit 61 / PAGE_IS_FILE.
            assertTrue(scan.mappings().stream().anyMatch(m -> m.mapping().path().isFile() && m.residency().file() > 0));
        } finally {
            child.destroy();
            child.waitFor();
        }
    }

    /**
     * One walk over the whole address space must give, mapping by mapping, exactly what one scan per mapping gives:
     * sparse_big's written dense range ends where its sparse range begins, so the kernel can report one range that
     * spans both mappings, which the whole-range walk has to split.
     */
    @Test
    void wholeRangeWalkEqualsOneScanPerMapping() {
        assumeTrue(features.pagemapScan().available(), features.pagemapScan().reason());
        try (SampleProgram s =
                     Samples.start("sparse_big", "64", "16", "8")) {
            s.awaitStep("ready");
            List<Mapping> maps = new java.util.ArrayList<>(ProcFs.system().maps(s.pid()));
            maps.removeIf(m -> !ResidencyService.coveredByPagemap(m));
            try (PagemapScanner scanner = new PagemapScanner(ProcFs.system(), s.pid(), features)) {
                List<MappingResidency> all = scanner.residencyAll(maps, true, null);
                assertEquals(maps.size(), all.size());
                long spanning = 0;
                for (int i = 0; i < maps.size(); i++) {
                    MappingResidency one = scanner.residency(maps.get(i), true, null);
                    assertEquals(one.residency(), all.get(i).residency(), maps.get(i).toMapsLine());
                    assertEquals(one.runs(), all.get(i).runs(), maps.get(i).toMapsLine());
                    if (i > 0 && maps.get(i - 1).end() == maps.get(i).start()) {
                        spanning++;
                    }
                }
                assertTrue(spanning > 0, "the sample has adjacent mappings");
            }
        }
    }

    /** Waits until the child has exec'd {@code name} (its maps then show the new image, not the JVM's). */
    static void waitForExec(int pid, String name) throws Exception {
        for (int i = 0; i < 200; i++) {
            try {
                if (java.nio.file.Files.readSymbolicLink(java.nio.file.Paths.get("/proc/" + pid + "/exe"))
                        .getFileName().toString().equals(name)
                        && ProcFs.system().maps(pid).stream().anyMatch(m -> m.path().type() == dev.inspector.core.model.MappingPath.Type.STACK)) {
                    Thread.sleep(50); // let the dynamic loader finish
                    return;
                }
            } catch (java.nio.file.NoSuchFileException ignored) {
                // not yet
            }
            Thread.sleep(10);
        }
        throw new AssertionError("child " + pid + " did not exec " + name);
    }
}

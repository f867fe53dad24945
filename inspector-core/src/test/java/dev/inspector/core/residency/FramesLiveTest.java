package dev.inspector.core.residency;

import dev.inspector.core.testing.Live;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.PageRun;
import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.procfs.parse.KPageFlags;
import dev.inspector.core.procfs.parse.PagemapEntry;
import dev.inspector.core.model.KernelFeatures;
import dev.inspector.core.sys.Sys;
import dev.inspector.core.testing.LiveTest;
import dev.inspector.core.testing.ZeroPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.util.List;

import static dev.inspector.core.residency.Lab.PAGE;
import static dev.inspector.core.residency.Lab.PID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Frames, kpageflags and kpagecount (root), and the explicit hidden state when frames are not visible. */
@EnabledOnOs(OS.LINUX)
@LiveTest
class FramesLiveTest {

    private final KernelFeatures features = Live.features();

    @Test
    void framesKpageflagsAndMapCountsOfAKnownRegion() {
        assumeTrue(features.pfnsVisible().available() && features.kpageflags().available(),
                features.pfnsVisible().reason() + "; " + features.kpageflags().reason());
        int n = 64;
        long start = Lab.fencedRegion(n, 0);
        try {
            for (int i = 0; i < 32; i++) {
                Sys.poke(start + (long) i * PAGE, (byte) 1); // 32 written
            }
            for (int i = 32; i < 48; i++) {
                Sys.peek(start + (long) i * PAGE); // 16 on the zero page
            }
            Mapping m = Lab.mappingAt(start);
            ResidencyService svc = Live.residency();
            MappingResidency r = svc.scan(PID, m, ResidencyOptions.defaults().withKpageflags(true));
            assertEquals(ScanPath.PAGEMAP, r.path());
            assertEquals(PfnState.KNOWN, r.pfns());
            assertEquals(48, r.residency().present());
            long zeroPages = ZeroPage.expected(16);
            int own = 48 - (int) zeroPages; // pages with a frame of their own: the written ones, and the read ones
                                             // where the kernel maps no zero page
            assertEquals(zeroPages, r.residency().zeroPage());
            KPageSummary k = r.kpages();
            assertEquals(48, k.frames());
            assertEquals(own, k.count(KPageFlags.Flag.ANON));
            assertEquals(zeroPages, k.count(KPageFlags.Flag.ZERO_PAGE));
            assertEquals(own, k.mappedOnce(), "private pages with frames of their own are mapped once");
            // Physical runs: one per break in frame contiguity over the pages with frames of their own.
            long breaks = 1;
            long prev = -1;
            try (PagemapReader rd = new PagemapReader(ProcFs.system(), PID, features);
                 KPages kp = new KPages(ProcFs.system())) {
                for (int i = 0; i < own; i++) {
                    long pfn = rd.entry(start + (long) i * PAGE).pfn();
                    assertTrue(pfn > 0);
                    if (i > 0 && pfn != prev + 1) {
                        breaks++;
                    }
                    prev = pfn;
                }
                PageInfo zero = rd.page(start + 40L * PAGE, kp);
                assertEquals(ZeroPage.shared(), zero.kpageflags().has(KPageFlags.Flag.ZERO_PAGE));
                if (ZeroPage.shared()) {
                    assertEquals(features.zeroPfn(), zero.entry().pfn());
                } else {
                    assertEquals(-1, features.zeroPfn());
                }
            }
            assertEquals(breaks, r.physicalRuns());
            // Runs with frames: written pages split where frames are not consecutive; the zero page is one run.
            List<PageRun> runs = r.runs();
            long zeroRuns = runs.stream().filter(x -> (x.flags() & PageRun.ZERO) != 0).count();
            assertEquals(ZeroPage.shared() ? 1 : 0, zeroRuns);
            assertEquals(breaks, runs.stream().filter(x -> (x.flags() & PageRun.ZERO) == 0
                    && (x.flags() & PageRun.PRESENT) != 0).count());
            assertTrue(runs.stream().filter(x -> (x.flags() & PageRun.PRESENT) != 0).allMatch(x -> x.pfn() > 0));
        } finally {
            Lab.unmapFenced(start, n);
        }
    }

    @Test
    void withoutPrivilegeFramesAreHiddenNotZero() {
        // The decision is made from KernelFeatures: simulate an unprivileged reader's view of the same host.
        KernelFeatures unprivileged = new KernelFeatures(features.pagemapScan(), features.procmapQuery(),
                features.softDirty(), new KernelFeatures.Feature(false, "mode 0400"),
                new KernelFeatures.Feature(false, PfnState.HIDDEN.reason()), features.anonVmaName(),
                features.zeroPage(), features.noZeroPage(), -1);
        long start = Lab.fencedRegion(4, 0);
        try {
            Sys.poke(start, (byte) 1);
            Sys.peek(start + PAGE);
            Mapping m = Lab.mappingAt(start);
            try (PagemapReader rd = new PagemapReader(ProcFs.system(), PID, unprivileged)) {
                PagemapEntry e = rd.entry(start);
                assertEquals(PagemapEntry.Frame.HIDDEN, e.frame());
                assertEquals(-1, e.pfn());
                PageInfo info = rd.page(start, null);
                assertNull(info.kpageflags());
                MappingResidency r = rd.residency(m, true, null, null);
                assertEquals(PfnState.HIDDEN, r.pfns());
                // The zero page needs frames on the pagemap path, unless the kernel has none (then the count is 0).
                boolean none = features.noZeroPage();
                assertEquals(none ? 0 : -1, r.residency().zeroPage());
                assertEquals(-1, r.physicalRuns());
                assertEquals(2, r.residency().present());
                assertTrue(r.runs().stream().allMatch(x -> x.pfn() == -1));
                assertEquals(none ? PageRun.ZERO : 0, r.knownFlags() & PageRun.ZERO);
            }
        } finally {
            Lab.unmapFenced(start, 4);
        }
    }

    @Test
    void pathChoiceIsStated() {
        ResidencyService svc = Live.residency();
        if (features.pagemapScan().available()) {
            assertEquals(ScanPath.PAGEMAP_SCAN, svc.choosePath(ResidencyOptions.defaults()));
        } else {
            assertEquals(ScanPath.PAGEMAP, svc.choosePath(ResidencyOptions.defaults()));
        }
        assertEquals(ScanPath.PAGEMAP, svc.choosePath(ResidencyOptions.defaults().withPfns(true)));
        assertTrue(svc.reason(ResidencyOptions.defaults().withPfns(true)).contains("PFN"));
        ResidencyService fixture = new ResidencyService(new ProcFs(java.nio.file.Paths.get("/nonexistent")), features);
        assertEquals(ScanPath.PAGEMAP, fixture.choosePath(ResidencyOptions.defaults()));
        assertTrue(fixture.reason(ResidencyOptions.defaults()).contains("fixture"));
        // [vsyscall] is skipped with the report saying so.
        ResidencyReport all = svc.scanProcess(PID, ResidencyOptions.summary());
        assertTrue(all.skipped().stream().allMatch(m -> m.start() < 0));
        assertEquals(svc.choosePath(ResidencyOptions.summary()), all.path());
    }

    @Test
    void heatMapOverARegionStreamsFromEitherPath() {
        int n = 100;
        long start = Lab.fencedRegion(n, 0);
        try {
            for (int i = 0; i < 50; i++) {
                Sys.poke(start + (long) i * PAGE, (byte) 1); // first half present
            }
            Mapping m = Lab.mappingAt(start);
            ResidencyService svc = Live.residency();
            for (ScanPath path : ScanPath.values()) {
                if (path == ScanPath.PAGEMAP_SCAN && !features.pagemapScan().available()) {
                    continue;
                }
                HeatMap h = new HeatMap(start, start + (long) n * PAGE, 4, PAGE);
                svc.scan(PID, List.of(m), ResidencyOptions.summary().forcing(path), h);
                assertEquals(1.0, h.fraction(0, PageRun.PRESENT));
                assertEquals(1.0, h.fraction(1, PageRun.PRESENT));
                assertEquals(0.0, h.fraction(2, PageRun.PRESENT));
                assertEquals(0.0, h.fraction(3, PageRun.PRESENT));
                assertEquals(25, h.mapped(3));
            }
        } finally {
            Lab.unmapFenced(start, n);
        }
    }
}

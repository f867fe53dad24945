package dev.inspector.core.residency;

import dev.inspector.core.testing.Live;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.procfs.parse.KPageFlags;
import dev.inspector.core.model.KernelFeatures;
import dev.inspector.core.sys.Sys;
import dev.inspector.core.testing.LiveTest;
import dev.inspector.core.testing.ZeroPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;


import static dev.inspector.core.residency.Lab.PAGE;
import static dev.inspector.core.residency.Lab.PID;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link PagemapReader#residency} folds runs of predictable entries (untouched, zero page, consecutive frames) into
 * one Tally piece. Checked here against the plain per-page feed through {@link PagemapReader#forEach}, on a real
 * region of our own with every kind of page, for buffer sizes that put piece boundaries across reads.
 */
@EnabledOnOs(OS.LINUX)
@LiveTest
class PagemapReaderRunsTest {

    private final KernelFeatures features = Live.features();

    @Test
    void foldedRunsEqualThePerPageFeed() {
        int n = 3001;
        long start = Lab.fencedRegion(n, 0);
        try {
            long written = 0;
            long zeroRead = 0;
            for (int i = 0; i < n; i++) {
                if (i % 7 < 3 || (i > 1500 && i < 1800)) {
                    Sys.poke(start + (long) i * PAGE, (byte) 1);
                    written++;
                } else if (i % 11 == 5) {
                    Sys.peek(start + (long) i * PAGE);
                    zeroRead++;
                }
            }
            Mapping m = Lab.mappingAt(start);
            boolean kpf = features.kpageflags().available() && features.pfnsVisible().available();
            for (int entries : new int[] {1, 7, 100, 1024, PagemapReader.DEFAULT_ENTRIES}) {
                try (PagemapReader rd = new PagemapReader(ProcFs.system(), PID, features, entries);
                     KPages k1 = kpf ? new KPages(ProcFs.system()) : null;
                     KPages k2 = kpf ? new KPages(ProcFs.system()) : null) {
                    HeatMap foldedHeat = new HeatMap(m.start(), m.end(), 37, PAGE);
                    HeatMap plainHeat = new HeatMap(m.start(), m.end(), 37, PAGE);
                    MappingResidency folded = rd.residency(m, true, foldedHeat, k1);
                    MappingResidency plain = perPage(rd, m, plainHeat, k2);
                    String at = "buffer of " + entries + " entries";
                    assertEquals(plain.residency(), folded.residency(), at);
                    assertEquals(plain.runs(), folded.runs(), at);
                    assertEquals(plain.physicalRuns(), folded.physicalRuns(), at);
                    assertEquals(plain.knownFlags(), folded.knownFlags(), at);
                    for (int b = 0; b < foldedHeat.buckets(); b++) {
                        assertEquals(plainHeat.present(b), foldedHeat.present(b), at + ", bucket " + b);
                        assertEquals(plainHeat.zeroPage(b), foldedHeat.zeroPage(b), at + ", bucket " + b);
                        assertEquals(plainHeat.mapped(b), foldedHeat.mapped(b), at + ", bucket " + b);
                    }
                    if (kpf) {
                        assertEquals(plain.kpages().frames(), folded.kpages().frames(), at);
                        // LRU and reference bits move between the two reads; what a page is does not
                        for (KPageFlags.Flag f : new KPageFlags.Flag[] {KPageFlags.Flag.ANON, KPageFlags.Flag.ZERO_PAGE}) {
                            assertEquals(plain.kpages().count(f), folded.kpages().count(f), at + ", " + f);
                        }
                        assertEquals(plain.kpages().mappedOnce(), folded.kpages().mappedOnce(), at);
                    }
                    assertEquals(written + zeroRead, folded.residency().present(), at);
                    if (features.pfnsVisible().available() || features.noZeroPage()) {
                        assertEquals(ZeroPage.expected(zeroRead), folded.residency().zeroPage(), at);
                    }
                }
            }
        } finally {
            Lab.unmapFenced(start, n);
        }
    }

    /** The reference: one Tally call and one frame look-up per page, as the reader did before folding. */
    private static MappingResidency perPage(PagemapReader rd, Mapping m, HeatMap heat, KPages kpages) {
        Tally t = new Tally(m, 12, true, heat);
        long[] frames = new long[1];
        long[] counts = new long[1];
        KPageSummary.Builder summary = new KPageSummary.Builder();
        boolean frameVisible = rd.pfnState() == PfnState.KNOWN;
        rd.forEach(m.start(), m.end(), (page, raw) -> {
            int flags = rd.flagsOf(raw);
            long pfn = frameVisible && (flags & dev.inspector.core.model.PageRun.PRESENT) != 0
                    ? raw & dev.inspector.core.procfs.parse.PagemapEntry.PFN_MASK : -1;
            t.add(page, 1, flags, pfn);
            if (kpages != null && pfn >= 0) {
                kpages.read(pfn, 1, frames, counts);
                summary.add(frames[0], counts[0]);
            }
        });
        return t.finish(ScanPath.PAGEMAP, rd.knownFlags(), rd.pfnState(), kpages == null ? null : summary.build());
    }
}

package dev.inspector.core.residency;

import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.PageRun;
import dev.inspector.core.model.Residency;

import java.util.ArrayList;
import java.util.List;

/**
 * Streaming accumulator shared by both scanners, so counting, run building and heat maps are the same code whichever
 * path read the pages. Fed in ascending page order with pieces that tile the mapping exactly (untouched gaps included,
 * flags 0); allocates only when a run ends.
 */
final class Tally {

    private final Mapping mapping;
    private final long basePage;
    private final long pages;
    private final HeatMap heat;
    private final List<PageRun> runs;

    private long fed;
    private long present;
    private long swapped;
    private long untouched;
    private long zero;
    private long huge;
    private long file;
    private long exclusive;
    private long softDirty;

    // pending run for counting and the heat map: equal flags, consecutive pages
    private long fPage = -1;
    private long fCount;
    private int fFlags;

    // pending PageRun: equal flags, consecutive pages, consecutive frames when known
    private long rPage = -1;
    private long rCount;
    private int rFlags;
    private long rPfn;

    private long physicalRuns;
    private long lastPhysPage = Long.MIN_VALUE;
    private long lastPhysPfn = Long.MIN_VALUE;

    Tally(Mapping mapping, int pageShift, boolean keepRuns, HeatMap heat) {
        this.mapping = mapping;
        this.basePage = mapping.start() >>> pageShift;
        this.pages = (mapping.end() >>> pageShift) - basePage;
        this.heat = heat;
        this.runs = keepRuns ? new ArrayList<>() : null;
    }

    /**
     * {@code count} pages from absolute page number {@code page}, all with {@code flags}; {@code pfn} is the frame of
     * the first (the others follow consecutively, or all share it for the zero page), or -1 when unknown.
     */
    void add(long page, long count, int flags, long pfn) {
        if (page != basePage + fed) {
            throw new IllegalStateException("pages fed out of order at page 0x" + Long.toHexString(page) + " of "
                    + mapping.toMapsLine() + " (expected 0x" + Long.toHexString(basePage + fed) + ")");
        }
        fed += count;
        if (fCount > 0 && fFlags == flags) {
            fCount += count;
        } else {
            flushCounts();
            fPage = page;
            fCount = count;
            fFlags = flags;
        }
        if (runs != null) {
            boolean continues = rCount > 0 && rFlags == flags
                    && ((rPfn < 0 && pfn < 0)
                    || ((flags & PageRun.ZERO) != 0 && pfn == rPfn)
                    || (rPfn >= 0 && (flags & PageRun.ZERO) == 0 && pfn == rPfn + rCount));
            if (continues) {
                rCount += count;
            } else {
                flushRun();
                rPage = page;
                rCount = count;
                rFlags = flags;
                rPfn = pfn;
            }
        }
        if (pfn >= 0 && (flags & PageRun.PRESENT) != 0 && (flags & PageRun.ZERO) == 0) {
            if (!(page == lastPhysPage + 1 && pfn == lastPhysPfn + 1)) {
                physicalRuns++;
            }
            lastPhysPage = page + count - 1;
            lastPhysPfn = pfn + count - 1;
        }
    }

    private void flushCounts() {
        if (fCount == 0) {
            return;
        }
        long n = fCount;
        int f = fFlags;
        if ((f & PageRun.PRESENT) != 0) {
            present += n;
        }
        if ((f & PageRun.SWAPPED) != 0) {
            swapped += n;
        }
        if ((f & (PageRun.PRESENT | PageRun.SWAPPED)) == 0) {
            untouched += n;
        }
        if ((f & PageRun.ZERO) != 0) {
            zero += n;
        }
        if ((f & PageRun.HUGE) != 0) {
            huge += n;
        }
        if ((f & PageRun.FILE) != 0) {
            file += n;
        }
        if ((f & PageRun.EXCLUSIVE) != 0) {
            exclusive += n;
        }
        if ((f & PageRun.SOFT_DIRTY) != 0) {
            softDirty += n;
        }
        if (heat != null) {
            heat.add(fPage, n, f);
        }
        fCount = 0;
    }

    private void flushRun() {
        if (rCount > 0) {
            runs.add(new PageRun(rPage - basePage, rCount, rFlags, rPfn));
            rCount = 0;
        }
    }

    /** Ends the stream; {@code knownFlags} decides which counts are facts and which are -1 (not observable). */
    MappingResidency finish(ScanPath path, int knownFlags, PfnState pfns, KPageSummary kpages) {
        flushCounts();
        if (runs != null) {
            flushRun();
        }
        if (fed != pages) {
            throw new IllegalStateException("scanned " + fed + " of " + pages + " pages of " + mapping.toMapsLine());
        }
        if (heat != null) {
            heat.restrictKnownFlags(knownFlags);
        }
        Residency r = new Residency(pages, present, swapped, untouched,
                known(knownFlags, PageRun.ZERO, zero), known(knownFlags, PageRun.HUGE, huge),
                file, known(knownFlags, PageRun.EXCLUSIVE, exclusive), known(knownFlags, PageRun.SOFT_DIRTY, softDirty),
                path.source());
        return new MappingResidency(mapping, r, runs, knownFlags, pfns, pfns == PfnState.KNOWN ? physicalRuns : -1,
                kpages);
    }

    private static long known(int knownFlags, int flag, long value) {
        return (knownFlags & flag) != 0 ? value : -1;
    }
}

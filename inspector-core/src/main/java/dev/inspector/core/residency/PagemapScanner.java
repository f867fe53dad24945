package dev.inspector.core.residency;

import dev.inspector.core.NativeCallFailed;
import dev.inspector.core.UnsupportedFeature;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.PageRun;
import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.model.KernelFeatures;
import dev.inspector.core.sys.PagemapScan;
import dev.inspector.core.sys.PmScanArg;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The fast path: {@code ioctl(PAGEMAP_SCAN)} (Linux 6.7+) on an fd of {@code /proc/PID/pagemap}. The kernel returns
 * ranges of pages with equal categories (PRESENT, SWAPPED, FILE, PFNZERO, HUGE, SOFT_DIRTY); only pages with at least
 * one of them are reported, the gaps between are untouched pages. When the output vector fills, the scan continues
 * from {@code walk_end}.
 *
 * <p><b>Never count a page twice.</b> The kernel walks in batches and {@code walk_end} can point before pages it has
 * already reported, so a naive restart loop reports some pages again on large sparse mappings. Every returned region
 * is clipped against the highest address already accounted for, and the next call starts at {@code walk_end}.
 * (Measured on 6.18 with 4 GiB of alternating zero-page and written pages: a naive loop counted 131276 pages for
 * 131072 with a 4096-region vector; the kernel returned early with walk_end before its last reported region.)
 *
 * <p><b>No exclusive count.</b> PAGEMAP_SCAN has no category for pagemap bit 56 (exclusively mapped), and a second
 * per-page pass would cost what this path saves, so {@code exclusive} is -1 (unknown) here; ask for pagemap reads
 * ({@link ScanPath#PAGEMAP}) when it matters. WRITTEN is not requested: it is set for every page of a VMA not
 * registered for userfaultfd write-protection, so it says nothing to an outside observer.
 */
public final class PagemapScanner implements AutoCloseable {

    /** Regions per ioctl: 4096 × 24 bytes = 96 KiB of reused native memory. */
    public static final int DEFAULT_CAPACITY = 4096;
    private static final int PAGE_SHIFT = 12;

    /** Receives clipped, non-overlapping regions in ascending address order. */
    @FunctionalInterface
    public interface RegionVisitor {
        void region(long start, long end, long categories);
    }

    private final ProcFs procFs;
    private final int pid;
    private final Path path;
    private final PagemapScan scan;
    /** The vector's regions, copied in bulk after each ioctl: start, end, categories per region. */
    private final long[] regions;
    private final long categories;
    private final boolean softDirty;
    private long ioctls;
    private long clippedPages;

    public PagemapScanner(ProcFs procFs, int pid, KernelFeatures features) {
        this(procFs, pid, features, DEFAULT_CAPACITY);
    }

    public PagemapScanner(ProcFs procFs, int pid, KernelFeatures features, int capacity) {
        this.procFs = procFs;
        this.pid = pid;
        this.path = procFs.memDir(pid).resolve("pagemap");
        this.softDirty = features.softDirty().available();
        this.categories = PmScanArg.PAGE_IS_PRESENT | PmScanArg.PAGE_IS_SWAPPED | PmScanArg.PAGE_IS_FILE
                | PmScanArg.PAGE_IS_PFNZERO | PmScanArg.PAGE_IS_HUGE | (softDirty ? PmScanArg.PAGE_IS_SOFT_DIRTY : 0);
        PagemapScan s;
        try {
            s = PagemapScan.open(path.toString(), capacity);
        } catch (NativeCallFailed e) {
            throw translate(e);
        }
        this.scan = s;
        this.regions = new long[3 * capacity];
    }

    private RuntimeException translate(NativeCallFailed e) {
        return procFs.translate(e, path, pid);
    }

    /** PageRun flags this path observes. */
    public int knownFlags() {
        return PageRun.PRESENT | PageRun.SWAPPED | PageRun.FILE | PageRun.ZERO | PageRun.HUGE
                | (softDirty ? PageRun.SOFT_DIRTY : 0);
    }

    /** ioctl calls issued so far (restarts included). */
    public long ioctlCalls() {
        return ioctls;
    }

    /** Pages the kernel reported more than once and that were clipped away (the walk_end overlap). */
    public long clippedPages() {
        return clippedPages;
    }

    /** Scans [start, end) (page-aligned, unsigned) and hands each page range to {@code v} exactly once. */
    public void scan(long start, long end, RegionVisitor v) {
        long accounted = start;
        long cursor = start;
        while (Long.compareUnsigned(cursor, end) < 0) {
            int n;
            try {
                n = scan.scan(cursor, end, categories, categories);
            } catch (NativeCallFailed e) {
                throw translate(e);
            }
            ioctls++;
            scan.copyRegions(n, regions);
            long[] r = regions;
            for (int i = 0; i < n; i++) {
                long rs = r[3 * i];
                long re = r[3 * i + 1];
                if (Long.compareUnsigned(re, accounted) <= 0) {
                    clippedPages += (re - rs) >>> PAGE_SHIFT;
                    continue;
                }
                if (Long.compareUnsigned(rs, accounted) < 0) {
                    clippedPages += (accounted - rs) >>> PAGE_SHIFT;
                    rs = accounted;
                }
                v.region(rs, re, r[3 * i + 2]);
                accounted = re;
            }
            long walkEnd = scan.walkEnd();
            if (walkEnd == end) {
                return;
            }
            // Restart where the kernel says it stopped, even if that is before pages it reported (they are clipped
            // above); only when walk_end makes no progress fall back to the end of what was accounted.
            long next = Long.compareUnsigned(walkEnd, cursor) > 0 ? walkEnd : accounted;
            if (Long.compareUnsigned(next, cursor) <= 0) {
                throw new UnsupportedFeature("ioctl(PAGEMAP_SCAN) on " + path + " made no progress: walk_end 0x"
                        + Long.toHexString(walkEnd) + " did not advance past 0x" + Long.toHexString(cursor)
                        + "; use pagemap reads instead");
            }
            cursor = next;
        }
    }

    /** PageRun flags of PAGE_IS_* categories. */
    static int flagsOf(long c) {
        int f = 0;
        if ((c & PmScanArg.PAGE_IS_PRESENT) != 0) {
            f |= PageRun.PRESENT;
        }
        if ((c & PmScanArg.PAGE_IS_SWAPPED) != 0) {
            f |= PageRun.SWAPPED;
        }
        if ((c & PmScanArg.PAGE_IS_FILE) != 0) {
            f |= PageRun.FILE;
        }
        if ((c & PmScanArg.PAGE_IS_PFNZERO) != 0) {
            f |= PageRun.ZERO;
        }
        if ((c & PmScanArg.PAGE_IS_HUGE) != 0) {
            f |= PageRun.HUGE;
        }
        if ((c & PmScanArg.PAGE_IS_SOFT_DIRTY) != 0) {
            f |= PageRun.SOFT_DIRTY;
        }
        return f;
    }

    /** Residency of one mapping: reported ranges plus the untouched gaps between them. */
    public MappingResidency residency(Mapping m, boolean keepRuns, HeatMap heat) {
        Tally t = new Tally(m, PAGE_SHIFT, keepRuns, heat);
        long[] pos = {m.start()};
        scan(m.start(), m.end(), (rs, re, cat) -> {
            if (rs != pos[0]) {
                t.add(pos[0] >>> PAGE_SHIFT, (rs - pos[0]) >>> PAGE_SHIFT, 0, -1);
            }
            t.add(rs >>> PAGE_SHIFT, (re - rs) >>> PAGE_SHIFT, flagsOf(cat), -1);
            pos[0] = re;
        });
        if (pos[0] != m.end()) {
            t.add(pos[0] >>> PAGE_SHIFT, (m.end() - pos[0]) >>> PAGE_SHIFT, 0, -1);
        }
        return t.finish(ScanPath.PAGEMAP_SCAN, knownFlags(), PfnState.NOT_COLLECTED, null);
    }

    /**
     * Residency of many mappings (in address order, all in the user half) from one walk over [first start, last end):
     * the kernel skips the holes between mappings itself, so a process with 60,000 mappings costs a few ioctls instead
     * of 60,000. Each reported range is clipped to the mappings it overlaps (the kernel may merge a range across two
     * adjacent mappings with the same categories); pages of a mapping no range covers are untouched.
     */
    public List<MappingResidency> residencyAll(List<Mapping> ms, boolean keepRuns, HeatMap heat) {
        List<MappingResidency> out = new ArrayList<>(ms.size());
        if (ms.isEmpty()) {
            return out;
        }
        Tally[] tally = {new Tally(ms.get(0), PAGE_SHIFT, keepRuns, heat)};
        int[] j = {0};
        long[] pos = {ms.get(0).start()}; // first page of mapping j not yet accounted
        scan(ms.get(0).start(), ms.get(ms.size() - 1).end(), (rs, re, cat) -> {
            int flags = flagsOf(cat);
            while (j[0] < ms.size() && Long.compareUnsigned(rs, re) < 0) {
                Mapping m = ms.get(j[0]);
                if (Long.compareUnsigned(m.end(), rs) <= 0) {
                    finish(ms, out, tally, j, pos, keepRuns, heat);
                    continue;
                }
                if (Long.compareUnsigned(re, m.start()) <= 0) {
                    return; // a range in a hole before this mapping (not expected: the kernel skips holes)
                }
                long from = Long.compareUnsigned(rs, m.start()) < 0 ? m.start() : rs;
                long to = Long.compareUnsigned(re, m.end()) > 0 ? m.end() : re;
                if (from != pos[0]) {
                    tally[0].add(pos[0] >>> PAGE_SHIFT, (from - pos[0]) >>> PAGE_SHIFT, 0, -1);
                }
                tally[0].add(from >>> PAGE_SHIFT, (to - from) >>> PAGE_SHIFT, flags, -1);
                pos[0] = to;
                rs = to;
                if (to == m.end()) {
                    finish(ms, out, tally, j, pos, keepRuns, heat);
                }
            }
        });
        while (j[0] < ms.size()) {
            finish(ms, out, tally, j, pos, keepRuns, heat);
        }
        return out;
    }

    /** Closes mapping j (its remaining pages untouched) and starts the next one. */
    private void finish(List<Mapping> ms, List<MappingResidency> out, Tally[] tally, int[] j, long[] pos,
                        boolean keepRuns, HeatMap heat) {
        Mapping m = ms.get(j[0]);
        if (pos[0] != m.end()) {
            tally[0].add(pos[0] >>> PAGE_SHIFT, (m.end() - pos[0]) >>> PAGE_SHIFT, 0, -1);
        }
        out.add(tally[0].finish(ScanPath.PAGEMAP_SCAN, knownFlags(), PfnState.NOT_COLLECTED, null));
        j[0]++;
        if (j[0] < ms.size()) {
            Mapping next = ms.get(j[0]);
            tally[0] = new Tally(next, PAGE_SHIFT, keepRuns, heat);
            pos[0] = next.start();
        }
    }

    @Override
    public void close() {
        scan.close();
    }
}

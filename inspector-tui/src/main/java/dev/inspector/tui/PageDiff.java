package dev.inspector.tui;

import dev.inspector.core.model.PageRun;

import java.util.ArrayList;
import java.util.List;

/**
 * Which pages changed residency since a baseline: page runs of the whole address space at the baseline (absolute page
 * numbers), compared with the runs of a window now, counted per heat-map cell. A page's state is present, swapped or
 * neither (never touched, dropped, or not mapped at all then); a page that is mapped now but was not at the baseline
 * counts as changed only when it holds something now.
 */
public final class PageDiff {

    /** A run in absolute page numbers (address / page size). */
    public record Run(long firstPage, long count, int state) {
    }

    private static final int STATE = PageRun.PRESENT | PageRun.SWAPPED;

    private final List<Run> baseline;

    private PageDiff(List<Run> baseline) {
        this.baseline = baseline;
    }

    /** The baseline from per-mapping runs: {@code starts[i]} is the first page of the mapping {@code runs.get(i)} covers. */
    public static PageDiff of(long[] startPages, List<List<PageRun>> runs) {
        List<Run> out = new ArrayList<>();
        for (int i = 0; i < startPages.length; i++) {
            for (PageRun r : runs.get(i)) {
                int st = r.flags() & STATE;
                if (st != 0) {
                    out.add(new Run(startPages[i] + r.firstPage(), r.count(), st));
                }
            }
        }
        out.sort((a, b) -> Long.compareUnsigned(a.firstPage(), b.firstPage()));
        return new PageDiff(List.copyOf(out));
    }

    public int runs() {
        return baseline.size();
    }

    /**
     * Pages whose state differs, per cell, over a window starting at page {@code windowFirst} whose runs now are
     * {@code now} (relative to the window's start); cell {@code b} covers [bounds(b), bounds(b+1)) pages of the window,
     * split as core's heat map splits it.
     */
    public long[] changedPerCell(long windowFirst, long windowPages, int cells, List<PageRun> now) {
        long[] out = new long[cells];
        // Walk the window page range run by run: for each maximal piece with one baseline state and one current state,
        // add its pages to the cells it covers when the states differ.
        int bi = firstBaselineRun(windowFirst);
        List<long[]> cur = new ArrayList<>(); // [from, to, state] relative to window
        for (PageRun r : now) {
            cur.add(new long[] {r.firstPage(), r.firstPage() + r.count(), r.flags() & STATE});
        }
        int ci = 0;
        long p = 0;
        while (p < windowPages) {
            long abs = windowFirst + p;
            while (bi < baseline.size() && baseline.get(bi).firstPage() + baseline.get(bi).count() <= abs) {
                bi++;
            }
            while (ci < cur.size() && cur.get(ci)[1] <= p) {
                ci++;
            }
            long next = windowPages;
            int bState = 0;
            if (bi < baseline.size()) {
                Run b = baseline.get(bi);
                if (b.firstPage() <= abs) {
                    bState = b.state();
                    next = Math.min(next, b.firstPage() + b.count() - windowFirst);
                } else {
                    next = Math.min(next, b.firstPage() - windowFirst);
                }
            }
            int cState = 0;
            if (ci < cur.size()) {
                long[] c = cur.get(ci);
                if (c[0] <= p) {
                    cState = (int) c[2];
                    next = Math.min(next, c[1]);
                } else {
                    next = Math.min(next, c[0]);
                }
            }
            if (next <= p) {
                next = p + 1;
            }
            if (bState != cState) {
                addToCells(out, p, next, windowPages, cells);
            }
            p = next;
        }
        return out;
    }

    private int firstBaselineRun(long page) {
        int lo = 0;
        int hi = baseline.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            Run r = baseline.get(mid);
            if (r.firstPage() + r.count() <= page) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static void addToCells(long[] out, long from, long to, long pages, int cells) {
        long p = from;
        while (p < to) {
            int b = (int) (p * cells / pages);
            while (b + 1 < cells && bound(b + 1, pages, cells) <= p) {
                b++;
            }
            long end = Math.min(to, bound(b + 1, pages, cells));
            out[b] += end - p;
            p = end;
        }
    }

    /** Core's heat-map boundary: bucket b starts at ceil(b·P/N). */
    static long bound(int b, long pages, int cells) {
        return ((long) b * pages + cells - 1) / cells;
    }
}

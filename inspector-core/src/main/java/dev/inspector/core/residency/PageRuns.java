package dev.inspector.core.residency;

import dev.inspector.core.model.PageRun;

import java.util.ArrayList;
import java.util.List;

/** Operations on run lists. */
public final class PageRuns {

    private PageRuns() {
    }

    /**
     * The runs with flags reduced to {@code mask} and frames dropped, adjacent runs with equal reduced flags merged:
     * the common ground on which two scan paths (one with frames and an exclusive bit, one without) must be identical.
     */
    public static List<PageRun> normalize(List<PageRun> runs, int mask) {
        List<PageRun> out = new ArrayList<>();
        long first = -1;
        long count = 0;
        int flags = 0;
        for (PageRun r : runs) {
            int f = r.flags() & mask;
            if (count > 0 && f == flags && first + count == r.firstPage()) {
                count += r.count();
            } else {
                if (count > 0) {
                    out.add(new PageRun(first, count, flags, -1));
                }
                first = r.firstPage();
                count = r.count();
                flags = f;
            }
        }
        if (count > 0) {
            out.add(new PageRun(first, count, flags, -1));
        }
        return out;
    }

    /** Pages of the runs having every flag of {@code flags}. */
    public static long count(List<PageRun> runs, int flags) {
        long n = 0;
        for (PageRun r : runs) {
            if ((r.flags() & flags) == flags) {
                n += r.count();
            }
        }
        return n;
    }
}

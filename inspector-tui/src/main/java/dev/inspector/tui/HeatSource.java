package dev.inspector.tui;

import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.PageRun;
import dev.inspector.core.residency.HeatMap;

import java.util.List;

/**
 * Page counts per heat-map cell, from core's {@link HeatMap} (a live scan) or from the page runs a recorded snapshot
 * holds (a replay of {@code watch --pages}); {@link HeatCells} turns a cell's counts into what is drawn.
 */
public interface HeatSource {

    int cells();

    /** First page of cell {@code b}, counted from the window's start. */
    long firstPage(int b);

    long pages(int b);

    long mapped(int b);

    long present(int b);

    long swapped(int b);

    long zeroPage(int b);

    long file(int b);

    long huge(int b);

    /** The PageRun flags the scan could observe. */
    int knownFlags();

    static HeatSource of(HeatMap h) {
        return new HeatSource() {
            @Override
            public int cells() {
                return h.buckets();
            }

            @Override
            public long firstPage(int b) {
                return h.firstPage(b);
            }

            @Override
            public long pages(int b) {
                return h.pages(b);
            }

            @Override
            public long mapped(int b) {
                return h.mapped(b);
            }

            @Override
            public long present(int b) {
                return h.present(b);
            }

            @Override
            public long swapped(int b) {
                return h.swapped(b);
            }

            @Override
            public long zeroPage(int b) {
                return h.zeroPage(b);
            }

            @Override
            public long file(int b) {
                return h.file(b);
            }

            @Override
            public long huge(int b) {
                return h.huge(b);
            }

            @Override
            public int knownFlags() {
                return h.knownFlags();
            }
        };
    }

    /**
     * Cells over the window [{@code windowFirstPage}, +{@code windowPages}) of a mapping (pages counted from the
     * mapping's start) from its recorded runs. {@code known}: the flags the recording could observe.
     */
    static HeatSource ofRuns(List<PageRun> runs, long windowFirstPage, long windowPages, int cells, int known) {
        int n = (int) Math.max(1, Math.min(cells, windowPages));
        long[] mapped = new long[n];
        long[] present = new long[n];
        long[] swapped = new long[n];
        long[] zero = new long[n];
        long[] file = new long[n];
        long[] huge = new long[n];
        long[] bounds = new long[n + 1];
        for (int b = 0; b <= n; b++) {
            bounds[b] = ((long) b * windowPages + n - 1) / n;
        }
        // Runs cover the whole mapping (untouched pages are runs without flags), so every page of the window is mapped.
        for (PageRun r : runs) {
            long a = Math.max(r.firstPage(), windowFirstPage) - windowFirstPage;
            long e = Math.min(r.firstPage() + r.count(), windowFirstPage + windowPages) - windowFirstPage;
            while (a < e) {
                int b = (int) (a * n / windowPages);
                while (b + 1 <= n && bounds[b + 1] <= a) {
                    b++;
                }
                long end = Math.min(e, bounds[b + 1]);
                long c = end - a;
                mapped[b] += c;
                int f = r.flags();
                if ((f & PageRun.PRESENT) != 0) {
                    present[b] += c;
                }
                if ((f & PageRun.SWAPPED) != 0) {
                    swapped[b] += c;
                }
                if ((f & PageRun.ZERO) != 0) {
                    zero[b] += c;
                }
                if ((f & PageRun.FILE) != 0) {
                    file[b] += c;
                }
                if ((f & PageRun.HUGE) != 0) {
                    huge[b] += c;
                }
                a = end;
            }
        }
        return new HeatSource() {
            @Override
            public int cells() {
                return n;
            }

            @Override
            public long firstPage(int b) {
                return bounds[b];
            }

            @Override
            public long pages(int b) {
                return bounds[b + 1] - bounds[b];
            }

            @Override
            public long mapped(int b) {
                return mapped[b];
            }

            @Override
            public long present(int b) {
                return present[b];
            }

            @Override
            public long swapped(int b) {
                return swapped[b];
            }

            @Override
            public long zeroPage(int b) {
                return zero[b];
            }

            @Override
            public long file(int b) {
                return file[b];
            }

            @Override
            public long huge(int b) {
                return huge[b];
            }

            @Override
            public int knownFlags() {
                return known;
            }
        };
    }

    /** A window of {@code m}: [start, end) inside it, same file offset arithmetic as the kernel's. */
    static Mapping window(Mapping m, long start, long end) {
        return new Mapping(start, end, m.perms(), m.offset() + (start - m.start()), m.devMajor(), m.devMinor(),
                m.inode(), m.path());
    }
}

package dev.inspector.core.residency;

import dev.inspector.core.BadInput;
import dev.inspector.core.model.PageRun;

/**
 * Residency of a virtual range at a chosen resolution: {@code buckets} buckets over [start, end), each counting its
 * mapped pages and how many of them are present, swapped, zero-page, file, huge and exclusive. Filled by streaming
 * runs, so its memory is proportional to the number of buckets, whatever the size of the range. Bucket {@code b}
 * covers pages [ceil(b·P/N), ceil((b+1)·P/N)) of the range's P pages. Pages outside any mapping count as unmapped.
 * {@link #knownFlags()} says which categories the scan path could see (e.g. no exclusive bit from PAGEMAP_SCAN).
 */
public final class HeatMap {

    private final long start;
    private final long end;
    private final int buckets;
    private final long startPage;
    private final long totalPages;
    private final long[] mapped;
    private final long[] present;
    private final long[] swapped;
    private final long[] zero;
    private final long[] file;
    private final long[] huge;
    private final long[] exclusive;
    private int knownFlags = -1;

    /** {@code start} and {@code end} are page-aligned unsigned addresses, end exclusive. */
    public HeatMap(long start, long end, int buckets, int pageSize) {
        if (buckets < 1) {
            throw new BadInput("heat map needs at least one bucket, got " + buckets);
        }
        if (Long.compareUnsigned(end, start) <= 0 || start % pageSize != 0 || end % pageSize != 0) {
            throw new BadInput("heat map range [0x" + Long.toHexString(start) + ", 0x" + Long.toHexString(end)
                    + ") must be non-empty and page-aligned");
        }
        int shift = Integer.numberOfTrailingZeros(pageSize);
        this.start = start;
        this.end = end;
        this.startPage = start >>> shift;
        this.totalPages = (end >>> shift) - startPage;
        if (Math.multiplyHigh(totalPages, buckets) != 0 || totalPages * buckets < 0) {
            throw new BadInput("heat map range of " + totalPages + " pages is too large for " + buckets + " buckets");
        }
        this.buckets = buckets;
        this.mapped = new long[buckets];
        this.present = new long[buckets];
        this.swapped = new long[buckets];
        this.zero = new long[buckets];
        this.file = new long[buckets];
        this.huge = new long[buckets];
        this.exclusive = new long[buckets];
    }

    public long start() {
        return start;
    }

    public long end() {
        return end;
    }

    public int buckets() {
        return buckets;
    }

    /** Pages of the range (mapped or not) that fall in bucket {@code b}. */
    public long pages(int b) {
        return boundary(b + 1) - boundary(b);
    }

    /** First page index (from {@link #start()}) of bucket {@code b}. */
    public long firstPage(int b) {
        return boundary(b);
    }

    private long boundary(int b) {
        long num = (long) b * totalPages;
        return (num + buckets - 1) / buckets;
    }

    /** Adds {@code count} pages from absolute page number {@code page} with PageRun flags; clips to the range. */
    void add(long page, long count, int flags) {
        long p = Math.max(page, startPage);
        long e = Math.min(page + count, startPage + totalPages);
        while (p < e) {
            long rel = p - startPage;
            int b = (int) (rel * buckets / totalPages);
            long bEnd = startPage + boundary(b + 1);
            long n = Math.min(e, bEnd) - p;
            mapped[b] += n;
            if ((flags & PageRun.PRESENT) != 0) {
                present[b] += n;
            }
            if ((flags & PageRun.SWAPPED) != 0) {
                swapped[b] += n;
            }
            if ((flags & PageRun.ZERO) != 0) {
                zero[b] += n;
            }
            if ((flags & PageRun.FILE) != 0) {
                file[b] += n;
            }
            if ((flags & PageRun.HUGE) != 0) {
                huge[b] += n;
            }
            if ((flags & PageRun.EXCLUSIVE) != 0) {
                exclusive[b] += n;
            }
            p += n;
        }
    }

    void restrictKnownFlags(int flags) {
        knownFlags &= flags;
    }

    /** PageRun flags every contributing scan could observe; counts of other flags are 0 for lack of data. */
    public int knownFlags() {
        return knownFlags;
    }

    public long mapped(int b) {
        return mapped[b];
    }

    public long present(int b) {
        return present[b];
    }

    public long swapped(int b) {
        return swapped[b];
    }

    public long zeroPage(int b) {
        return zero[b];
    }

    public long file(int b) {
        return file[b];
    }

    public long huge(int b) {
        return huge[b];
    }

    public long exclusive(int b) {
        return exclusive[b];
    }

    /** Share of the bucket's mapped pages having the PageRun flag {@code flag}; 0 for a bucket with nothing mapped. */
    public double fraction(int b, int flag) {
        long m = mapped[b];
        if (m == 0) {
            return 0;
        }
        long c;
        switch (flag) {
            case PageRun.PRESENT:
                c = present[b];
                break;
            case PageRun.SWAPPED:
                c = swapped[b];
                break;
            case PageRun.ZERO:
                c = zero[b];
                break;
            case PageRun.FILE:
                c = file[b];
                break;
            case PageRun.HUGE:
                c = huge[b];
                break;
            case PageRun.EXCLUSIVE:
                c = exclusive[b];
                break;
            default:
                throw new IllegalArgumentException("not a single PageRun flag: " + flag);
        }
        return (double) c / m;
    }

    /** Share of the bucket's pages that lie in some mapping. */
    public double mappedFraction(int b) {
        long n = pages(b);
        return n == 0 ? 0 : (double) mapped[b] / n;
    }
}

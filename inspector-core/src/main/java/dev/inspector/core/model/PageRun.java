package dev.inspector.core.model;

/**
 * A run of consecutive pages of one mapping with the same residency flags (and, when frames are known, physically
 * consecutive frames). {@code firstPage} is the page index from the start of the mapping; {@code pfn} the frame of
 * the first page, or -1 when not known (no privilege, or not present). Run-length encoding keeps a 64 GiB mapping small.
 */
public record PageRun(long firstPage, long count, int flags, long pfn) {
    public static final int PRESENT = 1;
    public static final int SWAPPED = 2;
    /** pagemap bit 61: a file page or a shared anonymous page. */
    public static final int FILE = 4;
    /** pagemap bit 56: mapped exclusively (by this process only). */
    public static final int EXCLUSIVE = 8;
    /** Backed by the shared zero page. */
    public static final int ZERO = 16;
    /** Part of a transparent or hugetlb huge page. */
    public static final int HUGE = 32;
    public static final int SOFT_DIRTY = 64;
}

package dev.inspector.core.sys;

import com.sun.jna.Structure;

/**
 * {@code struct pm_scan_arg} from include/uapi/linux/fs.h (Linux 6.7+), field by field: twelve {@code __u64}, no
 * padding, 96 bytes. The argument of {@link Ioc#PAGEMAP_SCAN}.
 */
@Structure.FieldOrder({"size", "flags", "start", "end", "walk_end", "vec", "vec_len", "max_pages",
        "category_inverted", "category_mask", "category_anyof_mask", "return_mask"})
public final class PmScanArg extends Structure {
    /** sizeof(struct pm_scan_arg) in the uapi header. */
    public static final int SIZE = 96;

    /** Categories (PAGE_IS_* in include/uapi/linux/fs.h), requested in the masks and reported per region. */
    public static final long PAGE_IS_WPALLOWED = 1L << 0;
    /** Written since write-protected through userfaultfd; set for every page of a VMA not registered for uffd-wp. */
    public static final long PAGE_IS_WRITTEN = 1L << 1;
    public static final long PAGE_IS_FILE = 1L << 2;
    public static final long PAGE_IS_PRESENT = 1L << 3;
    public static final long PAGE_IS_SWAPPED = 1L << 4;
    public static final long PAGE_IS_PFNZERO = 1L << 5;
    /** PMD-mapped THP or hugetlb. */
    public static final long PAGE_IS_HUGE = 1L << 6;
    public static final long PAGE_IS_SOFT_DIRTY = 1L << 7;

    public long size;
    public long flags;
    public long start;
    public long end;
    public long walk_end;
    public long vec;
    public long vec_len;
    public long max_pages;
    public long category_inverted;
    public long category_mask;
    public long category_anyof_mask;
    public long return_mask;

    public PmScanArg() {
        super(ALIGN_NONE);
    }

    /** The offset of a field as JNA lays it out (for the layout test). */
    public int offsetOf(String field) {
        return fieldOffset(field);
    }
}

package dev.inspector.core.sys;

import com.sun.jna.Structure;

/**
 * {@code struct page_region} from include/uapi/linux/fs.h: one output element of PAGEMAP_SCAN, three {@code __u64}
 * (start, exclusive end, PAGE_IS_* categories), 24 bytes. The scanner reads the output vector directly from native
 * memory at these offsets; this class documents and tests the layout.
 */
@Structure.FieldOrder({"start", "end", "categories"})
public final class PageRegion extends Structure {
    public static final int SIZE = 24;
    public static final int OFFSET_START = 0;
    public static final int OFFSET_END = 8;
    public static final int OFFSET_CATEGORIES = 16;

    public long start;
    public long end;
    public long categories;

    public PageRegion() {
        super(ALIGN_NONE);
    }

    /** The offset of a field as JNA lays it out (for the layout test). */
    public int offsetOf(String field) {
        return fieldOffset(field);
    }
}

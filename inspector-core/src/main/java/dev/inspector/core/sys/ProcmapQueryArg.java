package dev.inspector.core.sys;

import com.sun.jna.Structure;

/**
 * {@code struct procmap_query} from include/uapi/linux/fs.h (Linux 6.11+; build ID fields in the same release), field
 * by field: nine {@code __u64} (size … inode; note {@code vma_page_size} is a {@code __u64}), four {@code __u32}
 * (dev_major, dev_minor, vma_name_size, build_id_size) and two {@code __u64} buffer addresses, 104 bytes with no
 * padding. The argument of {@link Ioc#PROCMAP_QUERY} on an fd of {@code /proc/PID/maps}.
 */
@Structure.FieldOrder({"size", "query_flags", "query_addr", "vma_start", "vma_end", "vma_flags", "vma_page_size",
        "vma_offset", "inode", "dev_major", "dev_minor", "vma_name_size", "build_id_size", "vma_name_addr",
        "build_id_addr"})
public final class ProcmapQueryArg extends Structure {
    /** sizeof(struct procmap_query) in the uapi header. */
    public static final int SIZE = 104;

    /** enum procmap_query_flags: permission filters (also returned in vma_flags) and query modifiers. */
    public static final long VMA_READABLE = 0x01;
    public static final long VMA_WRITABLE = 0x02;
    public static final long VMA_EXECUTABLE = 0x04;
    public static final long VMA_SHARED = 0x08;
    /** Return the closest VMA above the address when none covers it. */
    public static final long COVERING_OR_NEXT_VMA = 0x10;
    public static final long FILE_BACKED_VMA = 0x20;

    public long size;
    public long query_flags;
    public long query_addr;
    public long vma_start;
    public long vma_end;
    public long vma_flags;
    public long vma_page_size;
    public long vma_offset;
    public long inode;
    public int dev_major;
    public int dev_minor;
    public int vma_name_size;
    public int build_id_size;
    public long vma_name_addr;
    public long build_id_addr;

    public ProcmapQueryArg() {
        super(ALIGN_DEFAULT);
    }

    /** The offset of a field as JNA lays it out (for the layout test). */
    public int offsetOf(String field) {
        return fieldOffset(field);
    }
}

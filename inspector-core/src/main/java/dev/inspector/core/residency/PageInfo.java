package dev.inspector.core.residency;

import dev.inspector.core.procfs.parse.KPageFlags;
import dev.inspector.core.procfs.parse.PagemapEntry;

/**
 * Everything known about one virtual page: its pagemap entry (raw and decoded) and, when its frame is known and
 * kpageflags was readable, the frame's flags and map count. {@code kpageflags} is null and {@code mapCount} -1 when
 * not looked up (frame hidden, not present, or no access).
 */
public record PageInfo(long address, PagemapEntry entry, KPageFlags kpageflags, long mapCount) {
}

package dev.inspector.core.analysis;

import dev.inspector.core.model.Mapping;

import java.util.ArrayList;
import java.util.List;

/**
 * The unmapped ranges of a user address space: below the first mapping (from 0), between consecutive mappings, and
 * above the last user mapping up to the end of user space. Mappings at or above that end ({@code [vsyscall]}) are not
 * user mappings and are ignored. All comparisons are unsigned.
 */
public final class Gaps {

    /**
     * TASK_SIZE_MAX with 4-level paging, {@code (1 << 47) - PAGE_SIZE}: the kernel keeps the last user page unmapped,
     * so this is the end (exclusive) of what user space can map on this host.
     */
    public static final long USER_END_4_LEVEL = (1L << 47) - 4096;
    /** TASK_SIZE_MAX with 5-level paging (la57): {@code (1 << 56) - PAGE_SIZE}. */
    public static final long USER_END_5_LEVEL = (1L << 56) - 4096;

    /** One unmapped range [start, end), end exclusive. */
    public record Gap(long start, long end) {
        public long size() {
            return end - start;
        }
    }

    private Gaps() {
    }

    /** Gaps of a 4-level (47-bit) address space: {@link #of(List, long)} with {@link #USER_END_4_LEVEL}. */
    public static List<Gap> of(List<Mapping> mappings) {
        return of(mappings, USER_END_4_LEVEL);
    }

    /**
     * Gaps of {@code mappings} (sorted by start, as maps lists them) up to {@code userEnd} (exclusive), e.g.
     * {@code HostInfo.highestUserAddress()}.
     */
    public static List<Gap> of(List<Mapping> mappings, long userEnd) {
        List<Gap> out = new ArrayList<>();
        long cursor = 0;
        for (Mapping m : mappings) {
            if (Long.compareUnsigned(m.start(), userEnd) >= 0) {
                break;
            }
            if (Long.compareUnsigned(m.start(), cursor) < 0) {
                throw new IllegalArgumentException("mappings are not sorted or overlap at 0x"
                        + Long.toHexString(m.start()));
            }
            if (Long.compareUnsigned(m.start(), cursor) > 0) {
                out.add(new Gap(cursor, m.start()));
            }
            cursor = m.end();
        }
        if (Long.compareUnsigned(cursor, userEnd) < 0) {
            out.add(new Gap(cursor, userEnd));
        }
        return out;
    }
}

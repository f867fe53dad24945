package dev.inspector.core.procfs.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * One 64-bit word of {@code /proc/kpageflags} (indexed by PFN, root only: mode 0400), raw value kept. Bits 0-26 are
 * the stable ABI of include/uapi/linux/kernel-page-flags.h, described in Documentation/admin-guide/mm/pagemap.rst;
 * bits 32-42 are the "kernel hacking assistances" of include/linux/kernel-page-flags.h, which the kernel also exports
 * but warns may change.
 */
public record KPageFlags(long raw) {

    public enum Flag {
        /** Page is locked for exclusive access, e.g. under read/write I/O. */
        LOCKED(0, "locked for exclusive access (I/O in progress)"),
        ERROR(1, "I/O error occurred"),
        REFERENCED(2, "referenced since last LRU list enqueue/requeue"),
        UPTODATE(3, "has up-to-date data"),
        DIRTY(4, "written to; holds data newer than on disk"),
        LRU(5, "on one of the LRU lists"),
        ACTIVE(6, "on the active LRU list"),
        SLAB(7, "managed by the slab allocator"),
        WRITEBACK(8, "being written back to disk"),
        RECLAIM(9, "will be reclaimed soon after its pageout I/O"),
        BUDDY(10, "free block head in the buddy allocator"),
        MMAP(11, "memory-mapped page"),
        ANON(12, "anonymous memory (not part of a file)"),
        SWAPCACHE(13, "has an associated swap entry"),
        SWAPBACKED(14, "backed by swap/RAM"),
        COMPOUND_HEAD(15, "head page of a compound (huge) page"),
        COMPOUND_TAIL(16, "tail page of a compound (huge) page"),
        HUGE(17, "part of a HugeTLB page"),
        UNEVICTABLE(18, "on the unevictable list (mlocked, ramfs, SHM_LOCK)"),
        HWPOISON(19, "hardware-detected memory corruption"),
        NOPAGE(20, "no page frame exists at this PFN"),
        KSM(21, "shared by KSM (identical-page merging)"),
        THP(22, "part of a transparent huge page"),
        /** Was BALLOON until Linux 5.0. */
        OFFLINE(23, "logically offline (balloon, memory hot-unplug)"),
        ZERO_PAGE(24, "the shared zero page (pfn_zero or huge zero page)"),
        IDLE(25, "not accessed since marked idle (idle page tracking)"),
        /** Linux 4.18+. */
        PGTABLE(26, "in use as a page table"),
        RESERVED(32, "kernel-internal: PG_reserved"),
        MLOCKED(33, "kernel-internal: PG_mlocked"),
        /** MAPPEDTODISK in older kernels. */
        OWNER_2(34, "kernel-internal: PG_owner_2 (was mappedtodisk)"),
        PRIVATE(35, "kernel-internal: PG_private (buffer heads or fs data)"),
        PRIVATE_2(36, "kernel-internal: PG_private_2"),
        OWNER_PRIVATE(37, "kernel-internal: PG_owner_priv_1"),
        ARCH(38, "kernel-internal: PG_arch_1"),
        UNCACHED(39, "kernel-internal: PG_uncached"),
        SOFTDIRTY(40, "kernel-internal: soft-dirty"),
        ARCH_2(41, "kernel-internal: PG_arch_2"),
        ARCH_3(42, "kernel-internal: PG_arch_3");

        public final int bit;
        public final String description;

        Flag(int bit, String description) {
            this.bit = bit;
            this.description = description;
        }

        public long mask() {
            return 1L << bit;
        }
    }

    private static final Flag[] BY_BIT = new Flag[64];

    static {
        for (Flag f : Flag.values()) {
            BY_BIT[f.bit] = f;
        }
    }

    /** The flag defined for a bit, or null for an undocumented bit. */
    public static Flag flagOf(int bit) {
        return bit >= 0 && bit < 64 ? BY_BIT[bit] : null;
    }

    /** The name of a bit: the flag name, or {@code BIT_n} for an undocumented one. */
    public static String nameOf(int bit) {
        Flag f = flagOf(bit);
        return f != null ? f.name() : "BIT_" + bit;
    }

    public boolean has(Flag f) {
        return (raw & f.mask()) != 0;
    }

    public List<Flag> flags() {
        List<Flag> out = new ArrayList<>();
        for (long v = raw; v != 0; v &= v - 1) {
            Flag f = BY_BIT[Long.numberOfTrailingZeros(v)];
            if (f != null) {
                out.add(f);
            }
        }
        return out;
    }

    /** Names of every set bit in bit order; undocumented bits appear as {@code BIT_n}, never dropped. */
    public List<String> names() {
        List<String> out = new ArrayList<>();
        for (long v = raw; v != 0; v &= v - 1) {
            out.add(nameOf(Long.numberOfTrailingZeros(v)));
        }
        return out;
    }

    /** Set bits that no documented flag names. */
    public long unknownBits() {
        long known = 0;
        for (Flag f : Flag.values()) {
            known |= f.mask();
        }
        return raw & ~known;
    }

    @Override
    public String toString() {
        return "0x" + Long.toHexString(raw) + " " + names();
    }
}

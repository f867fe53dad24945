package dev.inspector.core.procfs.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * One 64-bit entry of {@code /proc/PID/pagemap} decoded per Documentation/admin-guide/mm/pagemap.rst, raw value kept.
 *
 * <pre>
 *  bits 0-54  PFN if present          bits 0-4 swap type, 5-54 swap offset if swapped
 *  bit  55    pte is soft-dirty        bit 56  page exclusively mapped (since 4.2)
 *  bit  57    pte is uffd-wp write-protected (since 5.13)
 *  bit  58    pte is a guard region (since 6.15, MADV_GUARD_INSTALL)
 *  bits 59-60 zero                     bit 61  file page or shared anonymous (since 3.5)
 *  bit  62    swapped                  bit 63  present
 * </pre>
 *
 * Since Linux 4.2 the PFN field (and the swap type/offset) is zero for readers without CAP_SYS_ADMIN. That zero is
 * not a frame number: {@link #frame()} says {@link Frame#HIDDEN} and {@link #pfn()} is -1, never 0.
 */
public record PagemapEntry(long raw, boolean pfnsVisible) {

    public static final long PFN_MASK = (1L << 55) - 1;
    public static final int BIT_SOFT_DIRTY = 55;
    public static final int BIT_EXCLUSIVE = 56;
    public static final int BIT_UFFD_WP = 57;
    public static final int BIT_GUARD = 58;
    public static final int BIT_FILE = 61;
    public static final int BIT_SWAPPED = 62;
    public static final int BIT_PRESENT = 63;

    /** What the frame field holds. */
    public enum Frame {
        /** A PFN (present) or swap type/offset (swapped), readable because we have CAP_SYS_ADMIN. */
        KNOWN,
        /** Present or swapped, but the kernel zeroed the field: the reader lacks CAP_SYS_ADMIN (Linux 4.2+). */
        HIDDEN,
        /** Neither present nor swapped: there is no frame. */
        NONE
    }

    /** Decodes an entry; {@code pfnsVisible} is whether the reader may see frames (see KernelFeatures). */
    public static PagemapEntry of(long raw, boolean pfnsVisible) {
        return new PagemapEntry(raw, pfnsVisible);
    }

    /** Decodes eight little-endian bytes at {@code off}, as read from the file. */
    public static long rawFromBytes(byte[] b, int off) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xffL);
        }
        return v;
    }

    public static boolean isPresent(long raw) {
        return raw < 0; // bit 63
    }

    public static boolean isSwapped(long raw) {
        return (raw & (1L << BIT_SWAPPED)) != 0;
    }

    public boolean present() {
        return isPresent(raw);
    }

    public boolean swapped() {
        return isSwapped(raw);
    }

    /** Bit 61: a page-cache page or a shared anonymous (shmem) page, not private anonymous memory. */
    public boolean fileOrSharedAnon() {
        return bit(BIT_FILE);
    }

    /** Bit 56: mapped by exactly one page table entry, i.e. by this process only. */
    public boolean exclusive() {
        return bit(BIT_EXCLUSIVE);
    }

    /** Bit 55: written since the last {@code echo 4 > clear_refs} (needs CONFIG_MEM_SOFT_DIRTY; else always 0). */
    public boolean softDirty() {
        return bit(BIT_SOFT_DIRTY);
    }

    /** Bit 57: write-protected through userfaultfd. */
    public boolean uffdWp() {
        return bit(BIT_UFFD_WP);
    }

    /** Bit 58: a guard region installed by MADV_GUARD_INSTALL (access faults). */
    public boolean guard() {
        return bit(BIT_GUARD);
    }

    /** Neither present nor swapped: never touched, dropped, or a guard marker. */
    public boolean untouched() {
        return !present() && !swapped();
    }

    public Frame frame() {
        if (!present() && !swapped()) {
            return Frame.NONE;
        }
        return pfnsVisible ? Frame.KNOWN : Frame.HIDDEN;
    }

    /** The page frame number when present and visible; -1 otherwise (hidden or not present). */
    public long pfn() {
        return present() && pfnsVisible ? raw & PFN_MASK : -1;
    }

    /** Swap type (bits 0-4) when swapped and visible; -1 otherwise. */
    public int swapType() {
        return swapped() && !present() && pfnsVisible ? (int) (raw & 0x1f) : -1;
    }

    /** Swap offset (bits 5-54) when swapped and visible; -1 otherwise. */
    public long swapOffset() {
        return swapped() && !present() && pfnsVisible ? (raw & PFN_MASK) >>> 5 : -1;
    }

    /** Bits 59-60 are documented as zero; a set bit means a newer kernel defined them. */
    public boolean reservedBitsSet() {
        return (raw & (3L << 59)) != 0;
    }

    private boolean bit(int n) {
        return (raw & (1L << n)) != 0;
    }

    /** Names of the set flag bits, e.g. {@code [present, exclusive]}. */
    public List<String> flagNames() {
        List<String> out = new ArrayList<>(6);
        if (present()) {
            out.add("present");
        }
        if (swapped()) {
            out.add("swapped");
        }
        if (fileOrSharedAnon()) {
            out.add("file-or-shared-anon");
        }
        if (exclusive()) {
            out.add("exclusive");
        }
        if (softDirty()) {
            out.add("soft-dirty");
        }
        if (uffdWp()) {
            out.add("uffd-wp");
        }
        if (guard()) {
            out.add("guard");
        }
        return out;
    }

    @Override
    public String toString() {
        String f;
        switch (frame()) {
            case KNOWN:
                f = present() ? "pfn 0x" + Long.toHexString(pfn()) : "swap " + swapType() + ":0x" + Long.toHexString(swapOffset());
                break;
            case HIDDEN:
                f = "frame hidden (no CAP_SYS_ADMIN)";
                break;
            default:
                f = "no frame";
        }
        return "0x" + Long.toHexString(raw) + " " + flagNames() + " " + f;
    }
}

package dev.inspector.core.model;

/**
 * One line of {@code /proc/PID/maps}: a virtual memory area. Addresses are unsigned 64-bit values held in longs
 * ({@code [vsyscall]} lies above {@link Long#MAX_VALUE}): compare with {@link Long#compareUnsigned}.
 * {@code end} is exclusive.
 */
public record Mapping(long start, long end, Perms perms, long offset, int devMajor, int devMinor, long inode,
                      MappingPath path) {

    public long size() {
        return end - start;
    }

    /** True when {@code addr} lies in [start, end), comparing unsigned. */
    public boolean contains(long addr) {
        return Long.compareUnsigned(addr, start) >= 0 && Long.compareUnsigned(addr, end) < 0;
    }

    /**
     * The index of the mapping holding {@code addr} in a list sorted by address as maps lists them (unsigned binary
     * search), or -1.
     */
    public static int indexContaining(java.util.List<Mapping> sorted, long addr) {
        int lo = 0;
        int hi = sorted.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Mapping m = sorted.get(mid);
            if (Long.compareUnsigned(addr, m.start()) < 0) {
                hi = mid - 1;
            } else if (Long.compareUnsigned(addr, m.end()) >= 0) {
                lo = mid + 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /** The device column as the kernel prints it, e.g. {@code fd:01}. */
    public String device() {
        return String.format("%02x:%02x", devMajor, devMinor);
    }

    /** The maps line this record came from (modulo the column padding the kernel uses). */
    public String toMapsLine() {
        String p = path.kernelText();
        return Long.toHexString(start) + "-" + Long.toHexString(end) + " " + perms + " "
                + String.format("%08x", offset) + " " + device() + " " + inode + (p.isEmpty() ? "" : " " + p);
    }
}

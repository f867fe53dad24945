package dev.inspector.core.procfs.parse;

import java.util.List;

/**
 * The auxiliary vector the kernel gave the process at exec ({@code /proc/PID/auxv}), in order, without the closing
 * AT_NULL. Values are unsigned 64-bit (addresses for AT_PHDR, AT_BASE, AT_ENTRY, AT_RANDOM, AT_EXECFN,
 * AT_SYSINFO_EHDR).
 */
public record Auxv(List<Entry> entries) {

    public static final long AT_NULL = 0;
    public static final long AT_PHDR = 3;
    public static final long AT_PAGESZ = 6;
    public static final long AT_BASE = 7;
    public static final long AT_ENTRY = 9;
    public static final long AT_HWCAP = 16;
    public static final long AT_RANDOM = 25;
    public static final long AT_HWCAP2 = 26;
    public static final long AT_EXECFN = 31;
    public static final long AT_SYSINFO_EHDR = 33;
    public static final long AT_MINSIGSTKSZ = 51;

    /** One (type, value) pair; {@code name} is the AT_* name, or null for a type this inspector does not know. */
    public record Entry(long type, long value, String name) {
    }

    public Auxv {
        entries = List.copyOf(entries);
    }

    /** The value of the first entry of this type, or null when absent. */
    public Long get(long type) {
        for (Entry e : entries) {
            if (e.type() == type) {
                return e.value();
            }
        }
        return null;
    }

    /** AT_PAGESZ, or null when absent. */
    public Long pageSize() {
        return get(AT_PAGESZ);
    }

    /** AT_SYSINFO_EHDR: the address of the vDSO's ELF header, or null when there is no vDSO. */
    public Long vdso() {
        return get(AT_SYSINFO_EHDR);
    }
}

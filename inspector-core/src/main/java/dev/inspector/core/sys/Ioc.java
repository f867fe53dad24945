package dev.inspector.core.sys;

/**
 * The kernel's ioctl number encoding (include/uapi/asm-generic/ioctl.h, used by x86-64): 8 bits number, 8 bits type,
 * 14 bits argument size, 2 bits direction.
 */
public final class Ioc {
    public static final int NONE = 0;
    public static final int WRITE = 1;
    public static final int READ = 2;

    private static final int NRSHIFT = 0;
    private static final int TYPESHIFT = 8;
    private static final int SIZESHIFT = 16;
    private static final int DIRSHIFT = 30;

    private Ioc() {
    }

    /** {@code _IOC(dir, type, nr, size)}. */
    public static long ioc(int dir, int type, int nr, int size) {
        if (size < 0 || size >= (1 << 14)) {
            throw new IllegalArgumentException("ioctl argument size out of range: " + size);
        }
        return ((long) dir << DIRSHIFT) | ((long) type << TYPESHIFT) | ((long) nr << NRSHIFT) | ((long) size << SIZESHIFT);
    }

    /** {@code _IOWR(type, nr, size)}: the argument is copied in and out. */
    public static long iowr(char type, int nr, int size) {
        return ioc(READ | WRITE, type, nr, size);
    }

    /** {@code PROCFS_IOCTL_MAGIC} ('f') in include/uapi/linux/fs.h. */
    public static final char PROCFS_IOCTL_MAGIC = 'f';

    /** {@code PAGEMAP_SCAN = _IOWR('f', 16, struct pm_scan_arg)}, Linux 6.7+. */
    public static final long PAGEMAP_SCAN = iowr(PROCFS_IOCTL_MAGIC, 16, PmScanArg.SIZE);

    /** {@code PROCMAP_QUERY = _IOWR('f', 17, struct procmap_query)}, Linux 6.11+. */
    public static final long PROCMAP_QUERY = iowr(PROCFS_IOCTL_MAGIC, 17, ProcmapQueryArg.SIZE);
}

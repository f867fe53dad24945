package dev.inspector.core.sys;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * One open {@code /proc/PID/pagemap} fd and the reused native memory for {@code ioctl(PAGEMAP_SCAN)} (Linux 6.7+):
 * the argument structure and an output vector of {@code page_region}s. One instance per scanner; not thread-safe.
 * Each {@link #scan} fills the vector and returns how many regions it holds; read them with {@link #regionStart},
 * {@link #regionEnd} and {@link #regionCategories}, and {@link #walkEnd()} for where the kernel stopped.
 */
public final class PagemapScan implements AutoCloseable {

    private final int fd;
    private final String path;
    private final int capacity;
    private final Memory vec;
    private final PmScanArg arg = new PmScanArg();
    private long walkEnd;
    private boolean closed;

    private PagemapScan(int fd, String path, int capacity) {
        this.fd = fd;
        this.path = path;
        this.capacity = capacity;
        this.vec = new Memory((long) capacity * PageRegion.SIZE);
    }

    /** Opens the pagemap file; errors are {@code NativeCallFailed} from open(2) (the caller maps ENOENT/EACCES). */
    public static PagemapScan open(String pagemapPath, int regionCapacity) {
        if (regionCapacity < 1) {
            throw new IllegalArgumentException("region capacity must be at least 1");
        }
        int fd = Sys.openReadOnly(pagemapPath);
        return new PagemapScan(fd, pagemapPath, regionCapacity);
    }

    public int capacity() {
        return capacity;
    }

    public String path() {
        return path;
    }

    /**
     * Scans [start, end) (page-aligned) and reports pages having any of {@code anyOfMask}'s categories, with the
     * categories of {@code returnMask}. Returns the number of regions written to the vector.
     */
    public int scan(long start, long end, long anyOfMask, long returnMask) {
        arg.size = PmScanArg.SIZE;
        arg.flags = 0;
        arg.start = start;
        arg.end = end;
        arg.walk_end = 0;
        arg.vec = Pointer.nativeValue(vec);
        arg.vec_len = capacity;
        arg.max_pages = 0;
        arg.category_inverted = 0;
        arg.category_mask = 0;
        arg.category_anyof_mask = anyOfMask;
        arg.return_mask = returnMask;
        arg.write();
        int n = Sys.ioctl(fd, Ioc.PAGEMAP_SCAN, arg.getPointer(), "PAGEMAP_SCAN on " + path
                + " [" + Sys.hex(start) + ", " + Sys.hex(end) + ")");
        walkEnd = (Long) arg.readField("walk_end");
        return n;
    }

    /** Where the last scan stopped; equal to its {@code end} when it covered the whole range. */
    public long walkEnd() {
        return walkEnd;
    }

    /**
     * Copies the first {@code n} regions of the vector into {@code dst} as {@code start, end, categories} triples
     * (region {@code i} at {@code dst[3 * i]}): one bulk copy instead of a native call per field, which is what a
     * scanner of hundreds of thousands of regions wants.
     */
    public void copyRegions(int n, long[] dst) {
        if (n < 0 || n > capacity || dst.length < 3 * n) {
            throw new IllegalArgumentException("cannot copy " + n + " regions into " + dst.length + " longs");
        }
        vec.read(0, dst, 0, 3 * n);
    }

    public long regionStart(int i) {
        return vec.getLong((long) i * PageRegion.SIZE + PageRegion.OFFSET_START);
    }

    public long regionEnd(int i) {
        return vec.getLong((long) i * PageRegion.SIZE + PageRegion.OFFSET_END);
    }

    public long regionCategories(int i) {
        return vec.getLong((long) i * PageRegion.SIZE + PageRegion.OFFSET_CATEGORIES);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            vec.close();
            arg.clear();
            Sys.close(fd);
        }
    }
}

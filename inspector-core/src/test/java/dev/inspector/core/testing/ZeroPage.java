package dev.inspector.core.testing;

import dev.inspector.core.sys.Sys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;

/**
 * A test oracle, independent of the inspector's feature probe: does a read of untouched private anonymous memory map
 * the kernel's shared zero page here? Most kernels do; a guest booted with {@code pvm_no_zero_page=1} gives every read
 * page a frame of its own. Measured once by reading two fresh pages and looking at their raw pagemap entries: the same
 * frame (with PFNs visible), or neither mapped exclusively (bit 56, without them).
 */
public final class ZeroPage {

    private static volatile Boolean shared;

    private ZeroPage() {
    }

    /** True when reads map the shared zero page on this kernel. */
    public static boolean shared() {
        Boolean s = shared;
        if (s == null) {
            s = measure();
            shared = s;
        }
        return s;
    }

    /** The number of {@code readPages} only-read pages expected on the zero page here: all of them, or none. */
    public static long expected(long readPages) {
        return shared() ? readPages : 0;
    }

    private static boolean measure() {
        int ps = Sys.pageSize();
        long base = Sys.mmap(2L * ps, Sys.PROT_READ | Sys.PROT_WRITE, Sys.MAP_PRIVATE);
        try {
            Sys.peek(base);
            Sys.peek(base + ps);
            long a;
            long b;
            try (FileChannel ch = FileChannel.open(Paths.get("/proc/self/pagemap"), StandardOpenOption.READ)) {
                ByteBuffer buf = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
                ch.read(buf, (base / ps) * 8);
                a = buf.getLong(0);
                b = buf.getLong(8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            long mask = (1L << 55) - 1;
            if ((a & mask) != 0) {
                return (a & mask) == (b & mask);
            }
            return ((a | b) & (1L << 56)) == 0;
        } finally {
            Sys.munmap(base, 2L * ps);
        }
    }
}

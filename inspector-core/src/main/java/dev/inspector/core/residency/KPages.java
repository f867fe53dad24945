package dev.inspector.core.residency;

import dev.inspector.core.MalformedProcFile;
import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.procfs.parse.KPageFlags;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Positional reads of {@code /proc/kpageflags} and {@code /proc/kpagecount} (8 bytes per PFN, root only), with one
 * reused direct buffer per file. {@link #read} fetches a physically contiguous run of frames in one read per file.
 */
public final class KPages implements AutoCloseable {

    /** Entries per read: 64 KiB. */
    public static final int BATCH = 8192;

    private final ProcFs procFs;
    private final Path flagsPath;
    private final Path countPath;
    private final FileChannel flags;
    private final FileChannel count;
    private final ByteBuffer flagsBuf = ByteBuffer.allocateDirect(BATCH * 8).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer countBuf = ByteBuffer.allocateDirect(BATCH * 8).order(ByteOrder.LITTLE_ENDIAN);

    /** Opens both files under the ProcFs root; AccessDenied (needs root) when they are not readable. */
    public KPages(ProcFs procFs) {
        this.procFs = procFs;
        this.flagsPath = procFs.root().resolve("kpageflags");
        this.countPath = procFs.root().resolve("kpagecount");
        this.flags = open(flagsPath);
        FileChannel c;
        try {
            c = open(countPath);
        } catch (RuntimeException e) {
            closeQuietly(flags);
            throw e;
        }
        this.count = c;
    }

    private FileChannel open(Path p) {
        try {
            return FileChannel.open(p, StandardOpenOption.READ);
        } catch (IOException e) {
            throw procFs.translate(e, p, 0);
        }
    }

    /** The flags word of one frame. */
    public KPageFlags flags(long pfn) {
        long[] f = new long[1];
        long[] c = new long[1];
        read(pfn, 1, f, c);
        return new KPageFlags(f[0]);
    }

    /** How many times one frame is mapped (kpagecount). */
    public long mapCount(long pfn) {
        long[] f = new long[1];
        long[] c = new long[1];
        read(pfn, 1, f, c);
        return c[0];
    }

    /** Reads {@code n} (at most {@link #BATCH}) consecutive frames from {@code pfn} into the arrays. */
    public void read(long pfn, int n, long[] flagsOut, long[] countOut) {
        if (n < 1 || n > BATCH) {
            throw new IllegalArgumentException("batch of " + n + " frames (1.." + BATCH + ")");
        }
        fill(flags, flagsPath, flagsBuf, pfn, n);
        fill(count, countPath, countBuf, pfn, n);
        for (int i = 0; i < n; i++) {
            flagsOut[i] = flagsBuf.getLong(i * 8);
            countOut[i] = countBuf.getLong(i * 8);
        }
    }

    private void fill(FileChannel ch, Path p, ByteBuffer buf, long pfn, int n) {
        buf.clear().limit(n * 8);
        long pos = pfn * 8;
        try {
            while (buf.hasRemaining()) {
                int r = ch.read(buf, pos + buf.position());
                if (r <= 0) {
                    throw new MalformedProcFile(p.toString(), 0, null, "ended at PFN 0x"
                            + Long.toHexString(pfn + buf.position() / 8) + " (beyond the highest frame)");
                }
            }
        } catch (IOException e) {
            throw procFs.translate(e, p, 0);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing a read-only proc file cannot lose data
        }
    }

    @Override
    public void close() {
        closeQuietly(flags);
        closeQuietly(count);
    }
}

package dev.inspector.core.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.platform.linux.ErrNo;
import com.sun.jna.platform.linux.Fcntl;
import dev.inspector.core.NativeCallFailed;

/**
 * A file opened so that nothing a hostile target put at a path can block or trick the reader.
 *
 * <p>{@link #locate} opens with {@code O_PATH}: no driver or filesystem {@code open} runs, so a FIFO cannot block, a
 * device (a watchdog, a tape, a tty) is not touched, and a {@code /proc/PID/map_files} link is followed to the very
 * file that is mapped. The caller then checks {@link #stat()} (regular file? the identity it expects?) and only then
 * calls {@link #openForReading()}, which reopens <em>that same inode</em> through {@code /proc/self/fd/N} with
 * {@code O_RDONLY|O_NONBLOCK|O_NOCTTY|O_CLOEXEC}: there is no window in which the path could be swapped for another
 * file. Failures are {@link NativeCallFailed} with the errno's name ({@link NativeCallFailed#errno()} to branch on).
 */
public final class OpenFile implements AutoCloseable {

    public static final int O_PATH = Fcntl.O_PATH;
    public static final int O_NONBLOCK = Fcntl.O_NONBLOCK;
    public static final int O_NOCTTY = 0400;
    /** AT_EMPTY_PATH (include/uapi/linux/fcntl.h): statx of the fd itself. */
    private static final int AT_EMPTY_PATH = 0x1000;
    /** STATX_TYPE|MODE|INO|SIZE|MTIME: what the identity check and the cache key need. */
    private static final int STATX_WANTED = 0x1 | 0x2 | 0x100 | 0x200 | 0x40;
    private static final int STATX_SIZE = 256;
    /** struct statfs is 120 bytes on x86-64 and aarch64; f_type is its first (long) field on both. */
    private static final int STATFS_SIZE = 128;
    private static final int READ_CHUNK = 64 * 1024;

    private final String path;
    private int fd;
    private Memory buffer;

    private OpenFile(String path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /** {@code open(path, O_PATH|O_CLOEXEC)}: resolves the path (and magic links) without opening the file's contents. */
    public static OpenFile locate(String path) {
        try {
            return new OpenFile(path, LibC.open(path, O_PATH | Sys.O_CLOEXEC));
        } catch (LastErrorException e) {
            throw Sys.fail("open", e, path + ", O_PATH");
        }
    }

    /** The path this was located by (for messages). */
    public String path() {
        return path;
    }

    /** statx of the open file ({@link FileStat#fsType()} is 0: ask {@link #fsType()} where it matters). */
    public FileStat stat() {
        try (Memory b = new Memory(STATX_SIZE)) {
            b.clear();
            try {
                LibC.statx(fd, "", AT_EMPTY_PATH, STATX_WANTED, b);
            } catch (LastErrorException e) {
                throw Sys.fail("statx", e, path);
            }
            int mode = b.getShort(28) & 0xffff;
            return new FileStat(FileStat.Type.of(mode), mode, b.getInt(136), b.getInt(140), b.getLong(32),
                    b.getLong(40), b.getLong(112), b.getInt(120), 0);
        }
    }

    /**
     * The filesystem's magic number (fstatfs f_type), e.g. {@link FileStat#OVERLAYFS_MAGIC}; 0 when it cannot be
     * had (it only serves to recognise overlayfs).
     */
    public long fsType() {
        try (Memory fs = new Memory(STATFS_SIZE)) {
            fs.clear();
            LibC.fstatfs(fd, fs);
            return fs.getLong(0);
        } catch (LastErrorException e) {
            return 0;
        }
    }

    /**
     * Reopens the located inode for reading ({@code O_RDONLY|O_NONBLOCK|O_NOCTTY|O_CLOEXEC} through
     * {@code /proc/self/fd/N}); this object then reads from the new descriptor.
     */
    public void openForReading() {
        String self = "/proc/self/fd/" + fd;
        int rfd;
        try {
            rfd = LibC.open(self, Sys.O_RDONLY | O_NONBLOCK | O_NOCTTY | Sys.O_CLOEXEC);
        } catch (LastErrorException e) {
            throw Sys.fail("open", e, path + " (reopened as " + self + ")");
        }
        closeQuietly(fd);
        fd = rfd;
    }

    /**
     * pread(2) of up to {@code len} bytes at {@code pos} into {@code dst[off..]}; returns the count read, 0 at end of
     * file. EAGAIN (a non-blocking read that would wait) and EINTR are returned as errors, never retried forever.
     */
    public int pread(byte[] dst, int off, int len, long pos) {
        if (buffer == null) {
            buffer = new Memory(READ_CHUNK);
        }
        int n = Math.min(len, READ_CHUNK);
        long got;
        try {
            got = LibC.pread(fd, buffer, n, pos);
        } catch (LastErrorException e) {
            throw Sys.fail("pread", e, path + ", offset " + pos + ", length " + n);
        }
        buffer.read(0, dst, off, (int) got);
        return (int) got;
    }

    @Override
    public void close() {
        if (fd >= 0) {
            closeQuietly(fd);
            fd = -1;
        }
        if (buffer != null) {
            buffer.close();
            buffer = null;
        }
    }

    private static void closeQuietly(int fd) {
        try {
            LibC.close(fd);
        } catch (LastErrorException e) {
            // EINTR/EIO on close of a read-only descriptor loses nothing; the descriptor is released either way.
        }
    }

    /** errno values a caller branches on, re-exported so code outside this package never imports JNA. */
    public static final int ENOENT = ErrNo.ENOENT;
    public static final int EACCES = ErrNo.EACCES;
    public static final int EPERM = ErrNo.EPERM;
    public static final int ESRCH = ErrNo.ESRCH;

    /** True when the failure means "not permitted" (EACCES/EPERM) rather than "gone" or broken. */
    public static boolean denied(NativeCallFailed e) {
        return e.errno() == ErrNo.EACCES || e.errno() == ErrNo.EPERM;
    }
}

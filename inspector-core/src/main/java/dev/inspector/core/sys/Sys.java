package dev.inspector.core.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.platform.linux.Fcntl;
import com.sun.jna.platform.linux.Mman;
import dev.inspector.core.NativeCallFailed;

import java.nio.charset.StandardCharsets;

/**
 * Friendly Java face of the system calls the inspector makes on its own process (the lab, feature probes) and on the
 * files of others (ioctl). Every failure becomes {@link NativeCallFailed} naming the call, its arguments and the errno
 * by name. The constants re-export jna-platform's values so code outside this package never imports JNA.
 */
public final class Sys {

    public static final int PROT_NONE = Mman.PROT_NONE;
    public static final int PROT_READ = Mman.PROT_READ;
    public static final int PROT_WRITE = Mman.PROT_WRITE;
    public static final int PROT_EXEC = Mman.PROT_EXEC;

    public static final int MAP_SHARED = Mman.MAP_SHARED;
    public static final int MAP_PRIVATE = Mman.MAP_PRIVATE;
    public static final int MAP_FIXED = Mman.MAP_FIXED;
    public static final int MAP_ANONYMOUS = Mman.MAP_ANONYMOUS;
    public static final int MAP_NORESERVE = Mman.MAP_NORESERVE;
    public static final int MAP_POPULATE = Mman.MAP_POPULATE;
    public static final int MAP_HUGETLB = Mman.MAP_HUGETLB;
    public static final int MAP_FIXED_NOREPLACE = Mman.MAP_FIXED_NOREPLACE;
    public static final int MAP_STACK = Mman.MAP_STACK;

    // madvise advice (include/uapi/asm-generic/mman-common.h); jna-platform's Mman has none of them.
    public static final int MADV_NORMAL = 0;
    public static final int MADV_RANDOM = 1;
    public static final int MADV_SEQUENTIAL = 2;
    public static final int MADV_WILLNEED = 3;
    public static final int MADV_DONTNEED = 4;
    public static final int MADV_FREE = 8;
    public static final int MADV_REMOVE = 9;
    public static final int MADV_DONTFORK = 10;
    public static final int MADV_DOFORK = 11;
    public static final int MADV_MERGEABLE = 12;
    public static final int MADV_UNMERGEABLE = 13;
    public static final int MADV_HUGEPAGE = 14;
    public static final int MADV_NOHUGEPAGE = 15;
    public static final int MADV_DONTDUMP = 16;
    public static final int MADV_DODUMP = 17;
    public static final int MADV_WIPEONFORK = 18;
    public static final int MADV_KEEPONFORK = 19;
    /** Linux 5.4+. */
    public static final int MADV_COLD = 20;
    /** Linux 5.4+. */
    public static final int MADV_PAGEOUT = 21;
    /** Linux 5.14+. */
    public static final int MADV_POPULATE_READ = 22;
    /** Linux 5.14+. */
    public static final int MADV_POPULATE_WRITE = 23;
    /** Linux 6.1+. */
    public static final int MADV_COLLAPSE = 25;
    /** Linux 6.13+: install guard-region markers (pagemap bit 58). */
    public static final int MADV_GUARD_INSTALL = 102;
    public static final int MADV_GUARD_REMOVE = 103;

    /** prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, ...) (Linux 5.17+, needs CONFIG_ANON_VMA_NAME). */
    public static final int PR_SET_VMA = 0x53564d41;
    public static final int PR_SET_VMA_ANON_NAME = 0;

    /** personality(2): disable ASLR for children exec'd afterwards. */
    public static final int ADDR_NO_RANDOMIZE = 0x0040000;
    /** personality(0xffffffff) queries without changing. */
    public static final int PERSONALITY_QUERY = 0xffffffff;

    public static final int O_RDONLY = Fcntl.O_RDONLY;
    public static final int O_CLOEXEC = Fcntl.O_CLOEXEC;

    /** SYS_brk on x86-64 (arch/x86/entry/syscalls/syscall_64.tbl). */
    static final long SYS_BRK = 12;

    private Sys() {
    }

    static NativeCallFailed fail(String call, LastErrorException e, String detail) {
        int errno = e.getErrorCode();
        return new NativeCallFailed(call, errno, Errno.name(errno),
                Errno.describe(errno) + (detail == null || detail.isEmpty() ? "" : "; " + detail));
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    /** getpagesize(): the base page size (4096 on x86-64). */
    public static int pageSize() {
        return LibC.getpagesize();
    }

    /** An anonymous mapping anywhere: {@code mmap(NULL, len, prot, flags | MAP_ANONYMOUS, -1, 0)}. */
    public static long mmap(long len, int prot, int flags) {
        return mmap(0, len, prot, flags | MAP_ANONYMOUS, -1, 0);
    }

    public static long mmap(long addr, long len, int prot, int flags, int fd, long offset) {
        try {
            return LibC.mmap(addr, len, prot, flags, fd, offset);
        } catch (LastErrorException e) {
            throw fail("mmap", e, "addr " + hex(addr) + ", length " + len + ", prot " + prot + ", flags " + hex(flags));
        }
    }

    public static void munmap(long addr, long len) {
        try {
            LibC.munmap(addr, len);
        } catch (LastErrorException e) {
            throw fail("munmap", e, "addr " + hex(addr) + ", length " + len);
        }
    }

    public static void mprotect(long addr, long len, int prot) {
        try {
            LibC.mprotect(addr, len, prot);
        } catch (LastErrorException e) {
            throw fail("mprotect", e, "addr " + hex(addr) + ", length " + len + ", prot " + prot);
        }
    }

    public static void madvise(long addr, long len, int advice) {
        try {
            LibC.madvise(addr, len, advice);
        } catch (LastErrorException e) {
            throw fail("madvise", e, "addr " + hex(addr) + ", length " + len + ", advice " + advice);
        }
    }

    /**
     * mincore(2): one byte per page of [addr, addr+len), bit 0 set when the page is resident in the page cache or
     * RAM. Note that, unlike pagemap, it reports file pages cached but not mapped by this process as resident.
     */
    public static byte[] mincore(long addr, long len) {
        int ps = pageSize();
        long pages = (len + ps - 1) / ps;
        if (pages > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("mincore range too large: " + len + " bytes");
        }
        Memory vec = new Memory(Math.max(1, pages));
        try {
            LibC.mincore(addr, len, vec);
        } catch (LastErrorException e) {
            throw fail("mincore", e, "addr " + hex(addr) + ", length " + len);
        }
        return vec.getByteArray(0, (int) pages);
    }

    /**
     * The raw brk system call: asks for a break at {@code addr} and returns the break the kernel set. {@code brk(0)}
     * only queries. The kernel signals failure by returning the unchanged break, never by errno, so a request that
     * was not granted becomes ENOMEM here. Moving the break under a running malloc is the caller's responsibility:
     * glibc caches the break it last set.
     */
    public static long brk(long addr) {
        long result;
        try {
            result = LibC.syscall(SYS_BRK, addr);
        } catch (LastErrorException e) {
            throw fail("brk", e, "addr " + hex(addr));
        }
        if (addr != 0 && result != addr) {
            throw new NativeCallFailed("brk", com.sun.jna.platform.linux.ErrNo.ENOMEM, "ENOMEM",
                    "break stays at " + hex(result) + ", requested " + hex(addr)
                            + " (RLIMIT_DATA, a mapping in the way, or below start_brk)");
        }
        return result;
    }

    /** The current program break: {@code brk(0)}. */
    public static long currentBreak() {
        return brk(0);
    }

    /** sbrk-like: moves the break by {@code increment} bytes and returns the previous break. */
    public static long sbrk(long increment) {
        long old = currentBreak();
        if (increment != 0) {
            brk(old + increment);
        }
        return old;
    }

    /**
     * Names an anonymous range (shows as {@code [anon:name]} in maps): prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME). EINVAL
     * when the kernel lacks CONFIG_ANON_VMA_NAME, the range is not anonymous, or the name has forbidden characters.
     */
    public static void nameAnon(long addr, long len, String name) {
        Memory str = null;
        long ptr = 0;
        if (name != null) {
            byte[] b = name.getBytes(StandardCharsets.UTF_8);
            str = new Memory(b.length + 1);
            str.write(0, b, 0, b.length);
            str.setByte(b.length, (byte) 0);
            ptr = Pointer.nativeValue(str);
        }
        try {
            LibC.prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, addr, len, ptr);
        } catch (LastErrorException e) {
            throw fail("prctl(PR_SET_VMA_ANON_NAME)", e, "addr " + hex(addr) + ", length " + len + ", name '" + name
                    + "'" + (e.getErrorCode() == com.sun.jna.platform.linux.ErrNo.EINVAL
                    ? " (CONFIG_ANON_VMA_NAME off, or not an anonymous range)" : ""));
        } finally {
            if (str != null) {
                str.close();
            }
        }
    }

    public static final int SIGCONT = 18;

    /** kill(2): sends {@code sig} to {@code pid}. False when the process is gone (ESRCH); other errors are thrown. */
    public static boolean kill(int pid, int sig) {
        try {
            LibC.kill(pid, sig);
            return true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.ESRCH) {
                return false;
            }
            throw fail("kill", e, pid + ", " + sig);
        }
    }

    /** personality(2): sets the execution domain and returns the previous one. */
    public static int personality(int persona) {
        try {
            return LibC.personality(persona & 0xffffffffL);
        } catch (LastErrorException e) {
            throw fail("personality", e, hex(persona & 0xffffffffL));
        }
    }

    /** The current personality, without changing it. */
    public static int currentPersonality() {
        return personality(PERSONALITY_QUERY);
    }

    /**
     * Runs {@code action} (which starts a child process) with {@code flags} added to the persona of the CALLING
     * THREAD, and restores it afterwards, also when the action fails. Linux keeps the persona per task
     * ({@code current->personality}), fork copies the calling thread's, and exec keeps it (only a set-uid exec clears
     * ADDR_NO_RANDOMIZE), so a child started by {@code action} on this thread runs with {@code flags}, while the
     * inspector's other threads and its own, already laid out address space are unaffected. This is how
     * {@code inspector aslr --no-randomize} gives a child {@link #ADDR_NO_RANDOMIZE} without a wrapper program.
     * Java's process launch (posix_spawn of jspawnhelper, which execs the command) happens on the calling thread.
     */
    public static <T> T withPersonality(int flags, java.util.function.Supplier<T> action) {
        int old = currentPersonality();
        personality(old | flags);
        try {
            return action.get();
        } finally {
            personality(old);
        }
    }

    /**
     * process_vm_readv(2): copies up to {@code dst.length} bytes from {@code remoteAddr} in process {@code pid}.
     * Returns the number of bytes read (short when the range crosses into an unmapped page). NOT read-only for a
     * target: it pins the pages, and since Linux 5.19 pinning a copy-on-write shared anonymous page makes the kernel
     * copy it for that process first (measured: a forked child got a frame of its own). Read targets through
     * /proc/PID/mem (ProcessFiles.readMemory) instead.
     */
    public static int processVmRead(int pid, long remoteAddr, byte[] dst) {
        try (Memory local = new Memory(Math.max(1, dst.length)); Memory iov = new Memory(32)) {
            iov.setLong(0, Pointer.nativeValue(local));
            iov.setLong(8, dst.length);
            iov.setLong(16, remoteAddr);
            iov.setLong(24, dst.length);
            long n;
            try {
                n = LibC.process_vm_readv(pid, iov, 1, iov.share(16), 1, 0);
            } catch (LastErrorException e) {
                throw fail("process_vm_readv", e, "pid " + pid + ", addr " + hex(remoteAddr) + ", length " + dst.length);
            }
            local.read(0, dst, 0, (int) n);
            return (int) n;
        }
    }

    /** Reads one byte of this process's memory (faults the page in as a read: private anonymous → zero page). */
    public static byte peek(long addr) {
        return new Pointer(addr).getByte(0);
    }

    /** Writes one byte of this process's memory. */
    public static void poke(long addr, byte value) {
        new Pointer(addr).setByte(0, value);
    }

    /**
     * Touches every {@code stride}-th page of [addr, addr+len) of this process: writes a byte when {@code write},
     * otherwise reads one. Returns the number of pages touched.
     */
    public static long touch(long addr, long len, long strideBytes, boolean write) {
        Pointer base = new Pointer(addr);
        long n = 0;
        for (long off = 0; off < len; off += strideBytes) {
            if (write) {
                base.setByte(off, (byte) 1);
            } else {
                base.getByte(off);
            }
            n++;
        }
        return n;
    }

    /** open(2) read-only with O_CLOEXEC; the raw fd is needed for ioctls on proc files. */
    public static int openReadOnly(String path) {
        try {
            return LibC.open(path, O_RDONLY | O_CLOEXEC);
        } catch (LastErrorException e) {
            throw fail("open", e, path);
        }
    }

    public static void close(int fd) {
        try {
            LibC.close(fd);
        } catch (LastErrorException e) {
            throw fail("close", e, "fd " + fd);
        }
    }

    /** pread(2) into a byte array; returns bytes read (0 at end of file). */
    public static int pread(int fd, byte[] dst, int len, long offset) {
        try (Memory buf = new Memory(Math.max(1, len))) {
            long n;
            try {
                n = LibC.pread(fd, buf, len, offset);
            } catch (LastErrorException e) {
                throw fail("pread", e, "fd " + fd + ", offset " + offset + ", length " + len);
            }
            buf.read(0, dst, 0, (int) n);
            return (int) n;
        }
    }

    /** TIOCGWINSZ (asm-generic/ioctls.h): fills a struct winsize {ws_row, ws_col, ws_xpixel, ws_ypixel}, 4 shorts. */
    static final long TIOCGWINSZ = 0x5413;

    /**
     * The width in columns of the terminal on file descriptor {@code fd} (ioctl TIOCGWINSZ), 0 when the terminal does
     * not know its size (a serial line, some emulators), or -1 when {@code fd} is not a terminal at all (ENOTTY: a
     * pipe or a file; EBADF: closed). Never throws for those: "not a terminal" is an answer, not a failure.
     */
    public static int terminalColumns(int fd) {
        try (Memory ws = new Memory(8)) {
            ws.clear();
            try {
                LibC.ioctl(fd, TIOCGWINSZ, ws);
            } catch (LastErrorException e) {
                return -1;
            }
            return ws.getShort(2) & 0xffff;
        }
    }

    /** ioctl on a raw fd with a native argument; package-private: only the typed wrappers here issue ioctls. */
    static int ioctl(int fd, long request, Pointer arg, String name) {
        try {
            return LibC.ioctl(fd, request, arg);
        } catch (LastErrorException e) {
            throw fail("ioctl(" + name + ")", e, "fd " + fd);
        }
    }
}

package dev.inspector.core.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * Direct-mapped libc (JNA {@code Native.register}): each call is a plain JNI call, about ten times cheaper than
 * interface mapping, which matters for per-page reads. Addresses are passed as {@code long} (a pointer on x86-64 is a
 * 64-bit integer in the same register). Functions that report failure through errno declare
 * {@link LastErrorException}; JNA clears errno before the call and throws when it is set afterwards. Use {@link Sys},
 * which turns those into {@code NativeCallFailed} with the errno's name.
 *
 * <p>{@code ioctl}, {@code prctl}, {@code open} and {@code syscall} are variadic in C. Called with integer and pointer
 * arguments only, the x86-64 SysV convention for them is the same as for a fixed-argument call, so direct mapping is
 * safe here.
 */
final class LibC {

    static {
        // Without a platform path of its own, JNA's NativeLibrary runs `ldconfig -p` to make one (a process, ~10 ms of
        // a start-up). libc is loaded by its soname, which the dynamic loader finds by itself (the short name "c"
        // would make JNA look for libc.so, a -dev package's file).
        if (System.getProperty("jna.platform.library.path") == null) {
            System.setProperty("jna.platform.library.path", "/lib64:/usr/lib64:/lib:/usr/lib");
        }
        Native.register(NativeLibrary.getInstance("libc.so.6"));
    }

    private LibC() {
    }

    static native long mmap(long addr, long length, int prot, int flags, int fd, long offset) throws LastErrorException;

    static native int munmap(long addr, long length) throws LastErrorException;

    static native int mprotect(long addr, long length, int prot) throws LastErrorException;

    static native int madvise(long addr, long length, int advice) throws LastErrorException;

    static native int mincore(long addr, long length, Pointer vec) throws LastErrorException;

    /** Raw syscall: used for brk, whose libc wrapper hides the kernel's "return the current break" contract. */
    static native long syscall(long number, long arg) throws LastErrorException;

    static native int ioctl(int fd, long request, Pointer arg) throws LastErrorException;

    static native int prctl(int option, long arg2, long arg3, long arg4, long arg5) throws LastErrorException;

    static native int personality(long persona) throws LastErrorException;

    static native long process_vm_readv(int pid, Pointer localIov, long liovcnt, Pointer remoteIov, long riovcnt,
                                        long flags) throws LastErrorException;

    static native int kill(int pid, int sig) throws LastErrorException;

    static native int getpagesize();

    static native long pread(int fd, Pointer buf, long count, long offset) throws LastErrorException;

    static native int open(String path, int flags) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    /** statx(2) (glibc 2.28+, Linux 4.11+): one layout on every architecture, unlike struct stat. */
    static native int statx(int dirfd, String path, int flags, int mask, Pointer buf) throws LastErrorException;

    static native int fstatfs(int fd, Pointer buf) throws LastErrorException;
}

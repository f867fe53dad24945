package dev.inspector.core.sys;

import com.sun.jna.platform.linux.ErrNo;

/**
 * Symbolic names and descriptions of Linux errno values (x86-64 numbering, from jna-platform's {@link ErrNo}), so a
 * user reads EACCES, not 13. Unknown numbers are rendered as {@code errno N}.
 */
public final class Errno {

    private static final String[] NAMES = new String[134];
    private static final String[] TEXT = new String[134];

    static {
        e(ErrNo.EPERM, "EPERM", "Operation not permitted");
        e(ErrNo.ENOENT, "ENOENT", "No such file or directory");
        e(ErrNo.ESRCH, "ESRCH", "No such process");
        e(ErrNo.EINTR, "EINTR", "Interrupted system call");
        e(ErrNo.EIO, "EIO", "Input/output error");
        e(ErrNo.ENXIO, "ENXIO", "No such device or address");
        e(ErrNo.E2BIG, "E2BIG", "Argument list too long");
        e(ErrNo.ENOEXEC, "ENOEXEC", "Exec format error");
        e(ErrNo.EBADF, "EBADF", "Bad file descriptor");
        e(ErrNo.ECHILD, "ECHILD", "No child processes");
        e(ErrNo.EAGAIN, "EAGAIN", "Resource temporarily unavailable");
        e(ErrNo.ENOMEM, "ENOMEM", "Cannot allocate memory");
        e(ErrNo.EACCES, "EACCES", "Permission denied");
        e(ErrNo.EFAULT, "EFAULT", "Bad address");
        e(ErrNo.ENOTBLK, "ENOTBLK", "Block device required");
        e(ErrNo.EBUSY, "EBUSY", "Device or resource busy");
        e(ErrNo.EEXIST, "EEXIST", "File exists");
        e(ErrNo.EXDEV, "EXDEV", "Invalid cross-device link");
        e(ErrNo.ENODEV, "ENODEV", "No such device");
        e(ErrNo.ENOTDIR, "ENOTDIR", "Not a directory");
        e(ErrNo.EISDIR, "EISDIR", "Is a directory");
        e(ErrNo.EINVAL, "EINVAL", "Invalid argument");
        e(ErrNo.ENFILE, "ENFILE", "Too many open files in system");
        e(ErrNo.EMFILE, "EMFILE", "Too many open files");
        e(ErrNo.ENOTTY, "ENOTTY", "Inappropriate ioctl for device");
        e(ErrNo.ETXTBSY, "ETXTBSY", "Text file busy");
        e(ErrNo.EFBIG, "EFBIG", "File too large");
        e(ErrNo.ENOSPC, "ENOSPC", "No space left on device");
        e(ErrNo.ESPIPE, "ESPIPE", "Illegal seek");
        e(ErrNo.EROFS, "EROFS", "Read-only file system");
        e(ErrNo.EMLINK, "EMLINK", "Too many links");
        e(ErrNo.EPIPE, "EPIPE", "Broken pipe");
        e(ErrNo.EDOM, "EDOM", "Numerical argument out of domain");
        e(ErrNo.ERANGE, "ERANGE", "Numerical result out of range");
        e(ErrNo.EDEADLK, "EDEADLK", "Resource deadlock avoided");
        e(ErrNo.ENAMETOOLONG, "ENAMETOOLONG", "File name too long");
        e(ErrNo.ENOLCK, "ENOLCK", "No locks available");
        e(ErrNo.ENOSYS, "ENOSYS", "Function not implemented");
        e(ErrNo.ENOTEMPTY, "ENOTEMPTY", "Directory not empty");
        e(ErrNo.ELOOP, "ELOOP", "Too many levels of symbolic links");
        e(ErrNo.ENOMSG, "ENOMSG", "No message of desired type");
        e(ErrNo.EIDRM, "EIDRM", "Identifier removed");
        e(ErrNo.ENODATA, "ENODATA", "No data available");
        e(ErrNo.ETIME, "ETIME", "Timer expired");
        e(ErrNo.EPROTO, "EPROTO", "Protocol error");
        e(ErrNo.EBADMSG, "EBADMSG", "Bad message");
        e(ErrNo.EOVERFLOW, "EOVERFLOW", "Value too large for defined data type");
        e(ErrNo.EBADFD, "EBADFD", "File descriptor in bad state");
        e(ErrNo.EILSEQ, "EILSEQ", "Invalid or incomplete multibyte or wide character");
        e(ErrNo.EUSERS, "EUSERS", "Too many users");
        e(ErrNo.ENOTSOCK, "ENOTSOCK", "Socket operation on non-socket");
        e(ErrNo.EMSGSIZE, "EMSGSIZE", "Message too long");
        e(ErrNo.EOPNOTSUPP, "EOPNOTSUPP", "Operation not supported");
        e(ErrNo.EADDRINUSE, "EADDRINUSE", "Address already in use");
        e(ErrNo.ECONNREFUSED, "ECONNREFUSED", "Connection refused");
        e(ErrNo.ETIMEDOUT, "ETIMEDOUT", "Connection timed out");
        e(ErrNo.ESTALE, "ESTALE", "Stale file handle");
        e(ErrNo.EDQUOT, "EDQUOT", "Disk quota exceeded");
        e(ErrNo.ECANCELED, "ECANCELED", "Operation canceled");
        e(ErrNo.EOWNERDEAD, "EOWNERDEAD", "Owner died");
        e(ErrNo.ENOTRECOVERABLE, "ENOTRECOVERABLE", "State not recoverable");
        // Not in jna-platform's table: ERFKILL 132, EHWPOISON 133 (asm-generic/errno.h).
        e(132, "ERFKILL", "Operation not possible due to RF-kill");
        e(133, "EHWPOISON", "Memory page has hardware error");
    }

    private Errno() {
    }

    private static void e(int number, String name, String text) {
        NAMES[number] = name;
        TEXT[number] = text;
    }

    /** The symbolic name, e.g. {@code EACCES}; {@code errno N} when the number is not in the table. */
    public static String name(int errno) {
        return errno > 0 && errno < NAMES.length && NAMES[errno] != null ? NAMES[errno] : "errno " + errno;
    }

    /** The C library's description, e.g. "Permission denied"; {@code unknown error} when not in the table. */
    public static String describe(int errno) {
        return errno > 0 && errno < TEXT.length && TEXT[errno] != null ? TEXT[errno] : "unknown error";
    }

    public static final int EPERM = ErrNo.EPERM;
    public static final int ENOENT = ErrNo.ENOENT;
    public static final int ESRCH = ErrNo.ESRCH;
    public static final int EACCES = ErrNo.EACCES;
    public static final int EEXIST = ErrNo.EEXIST;
    public static final int EINVAL = ErrNo.EINVAL;
    public static final int ENOTTY = ErrNo.ENOTTY;
    public static final int ENOMEM = ErrNo.ENOMEM;

    /**
     * The errno behind a Java I/O error on a file, or 0 when it cannot be told. The JDK turns errno into exception
     * types for a few values and into the C library's text ({@link #describe}) for the rest, e.g. a read of an exited
     * process's file fails with "No such process" (ESRCH).
     */
    public static int of(java.io.IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return EACCES;
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return ENOENT;
        }
        String text = e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
                : e.getMessage();
        if (text == null) {
            return 0;
        }
        for (int i = 1; i < TEXT.length; i++) {
            if (TEXT[i] != null && (text.equals(TEXT[i]) || text.endsWith(": " + TEXT[i]) || text.endsWith(
                    "(" + TEXT[i] + ")"))) {
                return i;
            }
        }
        return 0;
    }

    /** The number for a symbolic name, or -1. */
    public static int number(String name) {
        for (int i = 0; i < NAMES.length; i++) {
            if (name.equals(NAMES[i])) {
                return i;
            }
        }
        return -1;
    }
}

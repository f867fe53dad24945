package dev.inspector.core.procfs;

import dev.inspector.core.AccessDenied;
import dev.inspector.core.InspectorException;
import dev.inspector.core.NoSuchProcess;
import dev.inspector.core.ProcessGone;
import dev.inspector.core.MalformedProcFile;
import dev.inspector.core.NativeCallFailed;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.sys.Errno;
import dev.inspector.core.procfs.parse.MapsParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

/**
 * The proc filesystem, rooted at an injected path: {@link #system()} for the real {@code /proc}, a fixture directory in
 * tests. Every reader goes through here, so errors are translated in one place: a missing pid directory is
 * {@link NoSuchProcess} before anything was read and {@link ProcessGone} after, EACCES/EPERM is {@link AccessDenied}
 * naming the file and what would grant access.
 */
public final class ProcFs {

    private static final ProcFs SYSTEM = new ProcFs(Paths.get("/proc"));

    private final Path root;

    public ProcFs(Path root) {
        this.root = root;
    }

    public static ProcFs system() {
        return SYSTEM;
    }

    public Path root() {
        return root;
    }

    /** True when this is the live /proc of the running kernel (and not a fixture tree). */
    public boolean isLive() {
        return root.equals(SYSTEM.root);
    }

    /** The directory of a process. */
    public Path pidDir(int pid) {
        return root.resolve(Integer.toString(pid));
    }

    /**
     * This JVM's pid, read from the {@code /proc/self} link: {@code ProcessHandle.current()} would start a thread pool
     * on first use, several milliseconds of a short command's start-up.
     */
    public static int selfPid() {
        try {
            return Integer.parseInt(Files.readSymbolicLink(SYSTEM.root.resolve("self")).toString());
        } catch (IOException | NumberFormatException | UnsupportedOperationException e) {
            return (int) ProcessHandle.current().pid(); // /proc not mounted here: ask the JDK
        }
    }

    /**
     * Where this JVM's file descriptor {@code fd} points, from the {@code /proc/self/fd/FD} link of the live /proc:
     * {@code /dev/pts/3} for a terminal, {@code pipe:[1234]}, {@code socket:[..]} or a file's path otherwise; null when
     * the link cannot be read (fd closed, /proc not mounted). One readlink, no native code: it tells a pipe from a
     * possible terminal before anything costlier is asked.
     */
    public static String fdTarget(int fd) {
        try {
            return Files.readSymbolicLink(SYSTEM.root.resolve("self/fd/" + fd)).toString();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    /** Resolves "self" to this JVM's pid (for the live /proc) or parses a decimal pid. */
    public static int parsePid(String text) {
        if ("self".equals(text)) {
            return selfPid();
        }
        try {
            int pid = Integer.parseInt(text);
            if (pid <= 0) {
                throw new NumberFormatException();
            }
            return pid;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a process id: '" + text + "' (expected a positive number or 'self')");
        }
    }

    /** The directory of the process reading: {@code self} (the inspector on the live /proc). */
    public Path selfDir() {
        return root.resolve("self");
    }

    /**
     * Reads {@code len} bytes at {@code offset} of a binary proc file (pagemap, kpageflags, kpagecount): positional
     * reads until the count is met; fewer bytes at the end of the file. Errors are translated like every read.
     */
    public byte[] pread(Path file, long offset, int len, int pid) {
        byte[] out = new byte[len];
        ByteBuffer b = ByteBuffer.wrap(out);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (b.hasRemaining()) {
                int n = ch.read(b, offset + b.position());
                if (n <= 0) {
                    return Arrays.copyOf(out, b.position());
                }
            }
        } catch (IOException e) {
            throw translate(e, file, pid);
        }
        return out;
    }

    /** The raw 64-bit entries of {@code count} pages from {@code firstPage} in a process's pagemap. */
    public long[] pagemapEntries(int pid, long firstPage, int count) {
        Path p = pid == 0 ? selfDir().resolve("pagemap") : pidDir(pid).resolve("pagemap");
        byte[] b = pread(p, firstPage * 8, count * 8, pid);
        if (b.length != count * 8) {
            throw new MalformedProcFile(p.toString(), 0, null, "no entry for page 0x" + Long.toHexString(firstPage)
                    + " (beyond the task's address space?)");
        }
        long[] out = new long[count];
        ByteBuffer.wrap(b).order(java.nio.ByteOrder.nativeOrder()).asLongBuffer().get(out);
        return out;
    }

    /**
     * Writes a value to a proc control file (clear_refs). CHANGES KERNEL STATE: callers say so. No CREATE: such a file
     * always exists for a live process; a missing one means the process is gone.
     */
    public void write(Path file, String value, int pid) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(value.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            throw translate(e, file, pid);
        }
    }

    /** Parsed /proc/PID/maps. */
    public List<Mapping> maps(int pid) {
        Path p = pidDir(pid).resolve("maps");
        byte[][] holder = new byte[1][];
        int len = readInto(p, pid, holder);
        return MapsParser.parse(holder[0], len, p.toString());
    }

    /** Reads a whole small proc file (status, stat, cmdline ...) as bytes. */
    public byte[] readBytes(Path file, int pid) {
        byte[][] holder = new byte[1][];
        int len = readInto(file, pid, holder);
        return Arrays.copyOf(holder[0], len);
    }

    public String readString(Path file, int pid) {
        return new String(readBytes(file, pid), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Reads a proc file to its end (proc files report size 0, so we read until EOF) into {@code holder[0]}, growing it
     * as needed, and returns the number of bytes. {@code pid} is used to tell "no such process" from "exited".
     */
    public int readInto(Path file, int pid, byte[][] holder) {
        byte[] buf = holder[0] == null ? new byte[64 * 1024] : holder[0];
        int len = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (true) {
                if (len == buf.length) {
                    buf = Arrays.copyOf(buf, buf.length * 2);
                }
                int n = ch.read(ByteBuffer.wrap(buf, len, buf.length - len));
                if (n < 0) {
                    break;
                }
                len += n;
            }
        } catch (IOException e) {
            throw translate(e, file, pid);
        }
        holder[0] = buf;
        return len;
    }

    /**
     * Turns an I/O error on a proc file into the typed error a user can act on ({@link #translate(int, String, Path,
     * int)}); an error without a known errno stays an I/O error (exit 1: unexpected).
     */
    public InspectorException translate(IOException e, Path file, int pid) {
        InspectorException t = translate(Errno.of(e), null, file, pid);
        if (t == null) {
            throw new UncheckedIOException("reading " + file + ": " + e.getMessage(), e);
        }
        return t;
    }

    /** The same for a failed system call on a proc file (open, ioctl, pread through JNA); others stay as they are. */
    public InspectorException translate(NativeCallFailed e, Path file, int pid) {
        InspectorException t = translate(e.errno(), e.call(), file, pid);
        return t == null ? e : t;
    }

    /**
     * The one place where an errno on a proc file becomes a typed error: EACCES/EPERM is {@link AccessDenied} naming
     * the file and what would grant access; for a process's file, ENOENT is {@link NoSuchProcess} when its directory
     * is gone too (it was never there) and {@link ProcessGone} when only the file vanished, and ESRCH ("No such
     * process" while reading) means it exited under us. Null when the errno has no such meaning.
     */
    public InspectorException translate(int errno, String call, Path file, int pid) {
        if (errno == Errno.EACCES || errno == Errno.EPERM) {
            return new AccessDenied(file, remedyFor(file));
        }
        if (pid > 0 && errno == Errno.ESRCH) {
            return new ProcessGone(pid, file.getFileName() + " of an exited process (ESRCH"
                    + (call == null ? "" : " from " + call) + ")");
        }
        if (pid > 0 && errno == Errno.ENOENT) {
            if (Files.isDirectory(pidDir(pid))) {
                return new ProcessGone(pid, file.getFileName() + " vanished");
            }
            return Files.exists(root) ? new NoSuchProcess(pid) : new ProcessGone(pid, "no " + root);
        }
        return null;
    }

    /** What would grant access to a proc file, in the kernel's own terms. */
    static String remedyFor(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        switch (name) {
            case "kpageflags":
            case "kpagecount":
            case "kpagecgroup":
                return "needs root (the file is mode 0400)";
            case "pagemap":
            case "smaps":
            case "smaps_rollup":
            case "maps":
            case "mem":
            case "environ":
            case "auxv":
            case "syscall":
            case "exe":
                return "needs the same user as the target or root (ptrace access mode PTRACE_MODE_READ)";
            case "kallsyms":
            case "iomem":
                return "addresses are shown only to root";
            default:
                return "run as the process owner or root";
        }
    }
}

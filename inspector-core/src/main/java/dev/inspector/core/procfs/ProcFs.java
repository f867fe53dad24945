package dev.inspector.core.procfs;

import dev.inspector.core.AccessDenied;
import dev.inspector.core.InspectorException;
import dev.inspector.core.KernelThread;
import dev.inspector.core.NoSuchProcess;
import dev.inspector.core.ProcessGone;
import dev.inspector.core.MalformedProcFile;
import dev.inspector.core.NativeCallFailed;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.sys.Errno;
import dev.inspector.core.procfs.parse.MapsParser;
import dev.inspector.core.procfs.parse.Stat;
import dev.inspector.core.procfs.parse.StatParser;

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
     * The directory whose files show {@code pid}'s address space (maps, pagemap, clear_refs ...): the pid's own, or,
     * when its main thread has exited while other threads run on (pthread_exit), a live thread's
     * ({@code PID/task/TID}), since the process's own files then follow the exited main thread and show nothing.
     * Errors are left to the read that follows.
     */
    public Path memDir(int pid) {
        Path dir = pidDir(pid);
        Stat s = statOrNull(dir);
        if (s == null || !s.exitingOrDead()) {
            return dir;
        }
        ProcessFiles f = new ProcessFiles(this, pid);
        int tid = f.liveThread();
        return tid == 0 ? dir : f.through(tid).memoryDir();
    }

    /** The stat of a process or task directory, or null when it cannot be read or parsed. Never translated. */
    private static Stat statOrNull(Path dir) {
        try {
            byte[] b = Files.readAllBytes(dir.resolve("stat"));
            return StatParser.parse(b, b.length, dir.resolve("stat").toString());
        } catch (IOException | InspectorException | SecurityException e) {
            return null;
        }
    }

    /**
     * A proc file of a process ended early (pagemap shows no entries once the memory is released): {@link ProcessGone}
     * when the process (or the thread it was read through) has exited or is exiting, else {@link MalformedProcFile}
     * with {@code reason}.
     */
    public InspectorException shortRead(Path file, int pid, String reason) {
        if (pid > 0) {
            InspectorException gone = goneInstead(file, pid, "its " + file.getFileName() + " ended early");
            if (gone != null) {
                return gone;
            }
        }
        return new MalformedProcFile(file.toString(), 0, null, reason);
    }

    /**
     * What an error on a file of {@code pid} really means when its task has exited or is exiting (the kernel shows
     * such a task's files empty, ends them early, or hands them to root so that even the owner is refused), or is a
     * kernel thread: {@link ProcessGone}, {@link KernelThread}, or a torn read when only the thread it was read
     * through is gone and another lives on; null when the task is alive and an ordinary one.
     */
    private InspectorException goneInstead(Path file, int pid, String detail) {
        Path dir = file.getParent();
        if (dir == null || dir.getFileName() == null || !ProcessFiles.isDecimal(dir.getFileName().toString())) {
            dir = pidDir(pid);
        }
        Stat s = statOrNull(dir);
        if (s == null) {
            return Files.isDirectory(pidDir(pid)) ? null : new ProcessGone(pid, detail + "; its directory vanished");
        }
        if (s.isKernelThread()) {
            return new KernelThread(pid, s.comm());
        }
        if (s.exitingOrDead()) {
            int live = new ProcessFiles(this, pid).liveThread();
            if (live == 0) {
                return new ProcessGone(pid, detail + " as it " + (s.state() == 'Z' || s.state() == 'X' ? "exited"
                        : "was exiting"));
            }
            if (!dir.equals(pidDir(pid))) {
                // One thread's own file (its syscall, its stat): that thread is gone, the process is not. A reader of
                // threads skips it; a read of the address space through it is found torn by the identity check.
                return new ProcessGone(pid, "thread " + dir.getFileName() + " exited; thread " + live + " lives on");
            }
            // The main thread is gone (pthread_exit) while others run: reading again through a live one works.
            return MalformedProcFile.torn(file.toString(), "its main thread exited; thread " + live + " lives on");
        }
        return null;
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
        Path p = pid == 0 ? selfDir().resolve("pagemap") : memDir(pid).resolve("pagemap");
        byte[] b = pread(p, firstPage * 8, count * 8, pid);
        if (b.length != count * 8) {
            throw shortRead(p, pid, "no entry for page 0x" + Long.toHexString(firstPage)
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
        Path p = memDir(pid).resolve("maps");
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
     * the file and what would grant access, unless the process is exiting or gone (the kernel hands an exiting
     * process's files to root, so even its owner is refused: that is {@link ProcessGone}) or a kernel thread; for a
     * process's file, ENOENT is {@link NoSuchProcess} when its directory is gone too (it was never there) and
     * {@link ProcessGone} when only the file vanished, and ESRCH ("No such process" while reading) means it exited
     * under us. Null when the errno has no such meaning.
     */
    public InspectorException translate(int errno, String call, Path file, int pid) {
        if (errno == Errno.EACCES || errno == Errno.EPERM) {
            InspectorException gone = pid > 0 ? goneInstead(file, pid, file.getFileName() + " was refused") : null;
            return gone != null ? gone : new AccessDenied(file, remedyFor(file));
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

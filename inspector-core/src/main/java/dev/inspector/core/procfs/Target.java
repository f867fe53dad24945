package dev.inspector.core.procfs;

import dev.inspector.core.AccessDenied;
import dev.inspector.core.InspectorException;
import dev.inspector.core.KernelThread;
import dev.inspector.core.MalformedProcFile;
import dev.inspector.core.NoSuchProcess;
import dev.inspector.core.ProcessGone;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;
import dev.inspector.core.model.Smaps;
import dev.inspector.core.procfs.parse.Auxv;
import dev.inspector.core.procfs.parse.Limits;
import dev.inspector.core.procfs.parse.SmapsRecord;
import dev.inspector.core.procfs.parse.Stat;
import dev.inspector.core.procfs.parse.Status;
import dev.inspector.core.procfs.parse.Syscall;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A process being inspected, identified by pid AND start time (stat field 22), so that a PID reused by another
 * process is noticed. Every read is followed by {@link #checkSame()}: data returned by a method belongs to the
 * process that was opened, or the method throws {@link ProcessGone}.
 *
 * <p>maps is checked for tearing (the kernel drops mmap_lock between read() calls, so a concurrent mmap/munmap can
 * produce an inconsistent listing): mappings must be sorted and non-overlapping (unsigned compare); the file is
 * re-read once, and a second torn result is {@link MalformedProcFile}. On the live /proc, " (deleted)" suffixes are
 * verified against the disk (see {@link #fixDeletedSuffix}). Not for concurrent use (one read buffer).
 */
public final class Target {

    private final ProcessFiles files;
    private final int pid;
    private final long startTime;
    private final Map<String, Boolean> literalDeletedNames = new HashMap<>();

    private Target(ProcessFiles files, long startTime) {
        this.files = files;
        this.pid = files.pid();
        this.startTime = startTime;
    }

    /**
     * Opens a pid: {@link NoSuchProcess} when it does not exist, AccessDenied when stat cannot be read. Any process
     * (a kernel thread, a zombie too: {@link #openAddressSpace} refuses those). A process whose main thread exited
     * while other threads run on (pthread_exit; ps shows it {@code Zl}) is alive: its address space is read through
     * one of the live threads ({@link ProcessFiles#through}).
     */
    public static Target open(ProcFs fs, int pid) {
        ProcessFiles f = new ProcessFiles(fs, pid);
        Stat s = f.stat();
        return new Target(through(f, s), s.startTime());
    }

    /**
     * Opens a pid whose address space is to be read: as {@link #open}, and {@link KernelThread} for a kernel thread,
     * {@link ProcessGone} for a zombie or a process whose every thread is exiting (its memory is being released).
     */
    public static Target openAddressSpace(ProcFs fs, int pid) {
        ProcessFiles f = new ProcessFiles(fs, pid);
        Stat s = f.stat();
        if (s.isKernelThread()) {
            throw new KernelThread(pid, s.comm());
        }
        ProcessFiles through = through(f, s);
        if (s.exitingOrDead() && through.memoryThread() == 0) {
            throw s.state() == 'Z' || s.state() == 'X' ? ProcessGone.zombie(pid, s.ppid()) : ProcessGone.exiting(pid);
        }
        return new Target(through, s.startTime());
    }

    /** The files to read the address space through: a live thread's when the main thread has exited. */
    private static ProcessFiles through(ProcessFiles f, Stat s) {
        if (!s.exitingOrDead() || s.isKernelThread()) {
            return f;
        }
        int tid = f.liveThread();
        return tid == 0 ? f : f.through(tid);
    }

    /** The thread the address space is read through when the main thread has exited (pthread_exit), else 0. */
    public int memoryThread() {
        return files.memoryThread();
    }

    public int pid() {
        return pid;
    }

    /** Start time in clock ticks after boot (stat field 22), the process's identity beside its pid. */
    public long startTime() {
        return startTime;
    }

    /** The raw per-file readers (no identity checks). */
    public ProcessFiles files() {
        return files;
    }

    /**
     * Re-reads stat: {@link ProcessGone} when the process has exited (every thread is gone or exiting) or its pid now
     * belongs to a process with a different start time. A main thread that exited while others run on does not end
     * the process: when it happened during the read (the files of the address space were read through it) the read
     * is reported torn ({@link MalformedProcFile#isTorn()}), so that a caller reads again, through a live thread.
     */
    public void checkSame() {
        Stat now;
        try {
            now = files.stat();
        } catch (NoSuchProcess e) {
            throw new ProcessGone(pid, "no longer in " + files.fs().root());
        }
        if (now.startTime() != startTime) {
            throw new ProcessGone(pid, "pid reused: start time " + now.startTime() + " != " + startTime);
        }
        if (!now.exitingOrDead()) {
            return;
        }
        int through = files.memoryThread();
        if (through != 0 && stillLive(through)) {
            return; // the main thread had exited before we opened; the thread we read through lives on
        }
        int live = files.liveThread();
        if (live == 0) {
            throw new ProcessGone(pid, now.state() == 'Z' || now.state() == 'X' ? "it is now a zombie"
                    : "it is exiting");
        }
        throw MalformedProcFile.torn(files.memFile("maps").toString(), through == 0
                ? "its main thread exited during the read; thread " + live + " lives on"
                : "thread " + through + ", which it was read through, exited; thread " + live + " lives on");
    }

    private boolean stillLive(int tid) {
        try {
            return !files.taskStat(tid).exitingOrDead();
        } catch (InspectorException e) {
            return false;
        }
    }

    /**
     * One read, then the identity check. A read that failed because the process went away, or was refused because it
     * is exiting (the kernel hands an exiting task's files to root), is reported as what happened to the process.
     */
    private <T> T read(Supplier<T> reader) {
        T value;
        try {
            value = reader.get();
        } catch (NoSuchProcess e) {
            throw new ProcessGone(pid, "its directory vanished");
        } catch (ProcessGone | AccessDenied e) {
            checkSame();
            throw e;
        }
        checkSame();
        return value;
    }

    /** maps, verified sorted and non-overlapping (one re-read when torn) and with " (deleted)" verified. */
    public List<Mapping> maps() {
        List<Mapping> m = read(files::maps);
        String torn = tornAt(m);
        if (torn != null) {
            m = read(files::maps);
            torn = tornAt(m);
            if (torn != null) {
                throw MalformedProcFile.torn(files.memFile("maps").toString(), "twice: " + torn);
            }
        }
        List<Mapping> out = new ArrayList<>(m.size());
        for (Mapping x : m) {
            out.add(fixAmbiguousName(x));
        }
        return out;
    }

    /** The first place where mappings are not sorted and disjoint, or null. */
    static String tornAt(List<Mapping> m) {
        for (int i = 1; i < m.size(); i++) {
            Mapping a = m.get(i - 1);
            Mapping b = m.get(i);
            if (Long.compareUnsigned(a.end(), b.start()) > 0) {
                return "mapping " + (i + 1) + " starts at " + Long.toHexString(b.start()) + " before the previous end "
                        + Long.toHexString(a.end());
            }
        }
        return null;
    }

    /**
     * Streams smaps with the same " (deleted)" verification. Records already delivered cannot be taken back, so a
     * torn smaps (out of order) is {@link MalformedProcFile} without a retry; the caller may retry the whole read.
     */
    public void smaps(Consumer<SmapsRecord> sink) {
        smaps(sink, null);
    }

    /** The same through a {@link SmapsCache} (null: none). */
    public void smaps(Consumer<SmapsRecord> sink, SmapsCache cache) {
        long[] lastEnd = {0};
        boolean[] first = {true};
        read(() -> {
            files.smaps(r -> {
                if (!first[0] && Long.compareUnsigned(lastEnd[0], r.mapping().start()) > 0) {
                    throw MalformedProcFile.torn(files.memFile("smaps").toString(), "at "
                            + Long.toHexString(r.mapping().start()));
                }
                first[0] = false;
                lastEnd[0] = r.mapping().end();
                Mapping fixed = fixAmbiguousName(r.mapping());
                sink.accept(fixed == r.mapping() ? r : new SmapsRecord(fixed, r.smaps()));
            }, cache);
            return null;
        });
    }

    /** smaps_rollup, or null when the process has no address space (kernel thread). */
    public Smaps smapsRollup() {
        return read(files::smapsRollup);
    }

    public Status status() {
        return read(files::status);
    }

    public Stat stat() {
        return read(files::stat);
    }

    public Limits limits() {
        return read(files::limits);
    }

    public Auxv auxv() {
        return read(files::auxv);
    }

    public List<Integer> taskIds() {
        return read(files::taskIds);
    }

    /** A thread's stat, or null when that thread exited (the process itself is still the same). */
    public Stat taskStat(int tid) {
        return readTask(() -> files.taskStat(tid));
    }

    /** A thread's syscall line, or null when that thread exited (the process itself is still the same). */
    public Syscall taskSyscall(int tid) {
        return readTask(() -> files.taskSyscall(tid));
    }

    /** A thread's comm, or null when that thread exited. */
    public String taskComm(int tid) {
        return readTask(() -> files.taskComm(tid));
    }

    private <T> T readTask(Supplier<T> reader) {
        T value;
        try {
            value = reader.get();
        } catch (ProcessGone | NoSuchProcess e) {
            checkSame(); // throws when the whole process went away
            return null;
        }
        checkSame();
        return value;
    }

    public List<String> cmdline() {
        return read(files::cmdline);
    }

    /** The persona word, or null when hidden from this reader (see {@link ProcessFiles#personality()}). */
    public Long personality() {
        return read(files::personality);
    }

    public String comm() {
        return read(files::comm);
    }

    /** The executable, or null for a kernel thread. */
    public MappingPath exe() {
        return read(files::exe);
    }

    /** Both ambiguities of a maps path, resolved where the disk can tell: " (deleted)" and {@code \012}. */
    Mapping fixAmbiguousName(Mapping m) {
        return fixLiteralEscape(fixDeletedSuffix(m));
    }

    /**
     * The kernel writes a newline in a path as {@code \012} and nothing else, so a file whose name really holds a
     * backslash and "012" reads the same; the parser takes the escape for a newline. On the live /proc, when the name
     * with the four characters instead exists (seen from the target's root) with the mapping's inode and device, it
     * is that file. Fixture trees and paths we may not look at keep the parser's reading (said in the docs).
     */
    Mapping fixLiteralEscape(Mapping m) {
        MappingPath p = m.path();
        if (!p.isFile() || p.deleted() || p.name().indexOf('\n') < 0 || !files.fs().isLive() || m.inode() == 0) {
            return m;
        }
        String literal = p.name().replace("\n", "\\012");
        String cacheKey = literal + '\0' + m.inode() + '\0' + m.devMajor() + ':' + m.devMinor();
        Boolean exists = literalDeletedNames.get(cacheKey);
        if (exists == null) {
            exists = sameInode(literal, m);
            literalDeletedNames.put(cacheKey, exists);
        }
        if (!exists) {
            return m;
        }
        String hex = null;
        if (p.nameHex() != null) {
            StringBuilder h = new StringBuilder(p.nameHex().length() + 16);
            for (int i = 0; i < p.nameHex().length(); i += 2) {
                String x = p.nameHex().substring(i, i + 2);
                h.append(x.equals("0a") ? "5c303132" : x);
            }
            hex = h.toString();
        }
        return new Mapping(m.start(), m.end(), m.perms(), m.offset(), m.devMajor(), m.devMinor(), m.inode(),
                p.withName(literal, hex));
    }

    /**
     * The kernel appends " (deleted)" to the path of an unlinked file, so a file really named "x (deleted)" looks
     * deleted. On the live /proc, when the literal path exists (seen from the target's root) with the mapping's inode
     * and device, it is that file: the suffix goes back into the name and {@code deleted} becomes false. Fixture
     * trees and paths we may not look at keep the kernel's reading. (On overlayfs the device in maps is the
     * underlying filesystem's, so such a file keeps the kernel's reading too.)
     */
    Mapping fixDeletedSuffix(Mapping m) {
        MappingPath p = m.path();
        if (!p.isFile() || !p.deleted() || !files.fs().isLive() || m.inode() == 0) {
            return m;
        }
        String literal = p.name() + " (deleted)";
        String cacheKey = literal + '\0' + m.inode() + '\0' + m.devMajor() + ':' + m.devMinor();
        Boolean exists = literalDeletedNames.get(cacheKey);
        if (exists == null) {
            exists = sameInode(literal, m);
            literalDeletedNames.put(cacheKey, exists);
        }
        if (!exists) {
            return m;
        }
        return new Mapping(m.start(), m.end(), m.perms(), m.offset(), m.devMajor(), m.devMinor(), m.inode(),
                new MappingPath(MappingPath.Type.FILE, literal, false, p.nameHex() == null ? null
                        : p.nameHex() + "202864656c6574656429")); // " (deleted)"
    }

    private boolean sameInode(String literal, Mapping m) {
        try {
            String rel = literal.startsWith("/") ? literal.substring(1) : literal;
            Path p = files.memFile("root").resolve(rel);
            Map<String, Object> a = Files.readAttributes(p, "unix:ino,dev", LinkOption.NOFOLLOW_LINKS);
            long ino = ((Number) a.get("ino")).longValue();
            long dev = ((Number) a.get("dev")).longValue();
            return ino == m.inode() && devMajor(dev) == m.devMajor() && devMinor(dev) == m.devMinor();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            return false; // absent, or not allowed to look: keep the kernel's " (deleted)"
        }
    }

    /** glibc's gnu_dev_major: the 64-bit dev_t encoding of major. */
    static int devMajor(long dev) {
        return (int) (((dev >>> 8) & 0xfff) | ((dev >>> 32) & 0xfffff000L));
    }

    static int devMinor(long dev) {
        return (int) ((dev & 0xff) | ((dev >>> 12) & 0xffffff00L));
    }
}

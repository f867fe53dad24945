package dev.inspector.core.procfs;

import dev.inspector.core.AccessDenied;
import dev.inspector.core.InspectorException;
import dev.inspector.core.ProcessGone;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;
import dev.inspector.core.model.Smaps;
import dev.inspector.core.procfs.parse.Auxv;
import dev.inspector.core.procfs.parse.AuxvParser;
import dev.inspector.core.procfs.parse.CmdlineParser;
import dev.inspector.core.procfs.parse.PersonalityParser;
import dev.inspector.core.procfs.parse.Limits;
import dev.inspector.core.procfs.parse.LimitsParser;
import dev.inspector.core.procfs.parse.MapsParser;
import dev.inspector.core.procfs.parse.SmapsParser;
import dev.inspector.core.procfs.parse.SmapsRecord;
import dev.inspector.core.procfs.parse.SmapsRollupParser;
import dev.inspector.core.procfs.parse.Stat;
import dev.inspector.core.procfs.parse.StatParser;
import dev.inspector.core.procfs.parse.Status;
import dev.inspector.core.procfs.parse.StatusParser;
import dev.inspector.core.procfs.parse.Syscall;
import dev.inspector.core.procfs.parse.SyscallParser;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * The files of one pid under a {@link ProcFs}: each method reads one kernel file and hands the bytes to its pure
 * parser. Stateless about identity (see {@link Target} for PID-reuse detection and torn-maps handling); keeps one
 * reusable read buffer, so an instance is not for concurrent use.
 *
 * <p>Errors: a missing pid directory is {@code NoSuchProcess}, a file vanishing under an existing directory is
 * {@link ProcessGone}, EACCES/EPERM is {@code AccessDenied} naming the file and the remedy, text the parser does not
 * know is {@code MalformedProcFile}.
 */
public final class ProcessFiles {

    private final ProcFs fs;
    private final int pid;
    private final Path dir;
    /** Where the files of the address space are read: {@link #dir}, or a live thread's (see {@link #through}). */
    private final Path mem;
    private final int memTid;
    private final byte[][] buffer = new byte[1][];

    public ProcessFiles(ProcFs fs, int pid) {
        this(fs, pid, 0);
    }

    private ProcessFiles(ProcFs fs, int pid, int memTid) {
        this.fs = fs;
        this.pid = pid;
        this.dir = fs.pidDir(pid);
        this.memTid = memTid;
        this.mem = memTid == 0 ? dir : dir.resolve("task").resolve(Integer.toString(memTid));
    }

    /**
     * The same process with its address space (maps, smaps, smaps_rollup, auxv, cmdline, exe, root) read through
     * thread {@code tid}'s directory. Needed when the main thread has exited while others run on (pthread_exit): the
     * kernel then shows the process's own files of the address space empty or refuses them (they follow the main
     * thread, which has released its reference to the memory), while every live thread's task directory still shows
     * the one address space the threads share.
     */
    public ProcessFiles through(int tid) {
        return new ProcessFiles(fs, pid, tid);
    }

    /** The thread whose directory the address space is read through, or 0 for the process's own directory. */
    public int memoryThread() {
        return memTid;
    }

    /** The directory the files of the address space are read from (the pid's, or a live thread's). */
    public Path memoryDir() {
        return mem;
    }

    /**
     * A thread of this process that has not exited (state other than Z and X, not exiting), or 0 when none is left:
     * listing and reading errors count as none.
     */
    public int liveThread() {
        List<Integer> tids;
        try {
            tids = taskIds();
        } catch (InspectorException e) {
            return 0;
        }
        for (int tid : tids) {
            try {
                if (!taskStat(tid).exitingOrDead()) {
                    return tid;
                }
            } catch (InspectorException e) {
                // that thread is gone: try the next
            }
        }
        return 0;
    }

    public ProcFs fs() {
        return fs;
    }

    public int pid() {
        return pid;
    }

    /** A file of this process, e.g. {@code file("stat")}. */
    public Path file(String name) {
        return dir.resolve(name);
    }

    /** A file of the address space ({@code maps}, {@code pagemap}, {@code root} ...), in {@link #memoryDir()}. */
    public Path memFile(String name) {
        return mem.resolve(name);
    }

    private int read(Path p) {
        return fs.readInto(p, pid, buffer);
    }

    /** /proc/PID/maps as the kernel wrote it (no consistency check: see {@link Target#maps()}). */
    public List<Mapping> maps() {
        Path p = memFile("maps");
        int len = read(p);
        return MapsParser.parse(buffer[0], len, p.toString());
    }

    /**
     * The number of lines of maps (one per mapping), counted without parsing; 0 for a kernel thread.
     */
    public int countMappings() {
        Path p = memFile("maps");
        int len = read(p);
        byte[] b = buffer[0];
        int n = 0;
        for (int i = 0; i < len; i++) {
            if (b[i] == '\n') {
                n++;
            }
        }
        return len > 0 && b[len - 1] != '\n' ? n + 1 : n;
    }

    /** Streams /proc/PID/smaps record by record into {@code sink}, never holding the whole text. */
    public void smaps(Consumer<SmapsRecord> sink) {
        smaps(sink, null);
    }

    /**
     * The same through {@code cache} (null: none), which hands on the previous read's record for each record whose
     * text did not change.
     */
    public void smaps(Consumer<SmapsRecord> sink, SmapsCache cache) {
        Path p = memFile("smaps");
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            if (cache != null) {
                cache.read(ch, p.toString(), sink);
                return;
            }
            SmapsParser parser = new SmapsParser(p.toString(), sink);
            ChunkPipe.pump(ch, (chunk, n) -> parser.feed(chunk, 0, n));
            parser.finish();
        } catch (IOException e) {
            throw fs.translate(e, p, pid);
        }
    }

    /**
     * /proc/PID/smaps_rollup, or null when the process has no user address space: the kernel answers ESRCH for a
     * kernel thread or a zombie (get_task_mm fails) while the pid directory is still there. Null too for a captured
     * tree without the file (a kernel before 4.14).
     */
    public Smaps smapsRollup() {
        Path p = memFile("smaps_rollup");
        if (absentFromTree(p)) {
            return null;
        }
        int len;
        try {
            len = read(p);
        } catch (ProcessGone gone) {
            if (hasNoAddressSpace()) {
                return null;
            }
            throw gone;
        }
        if (len == 0 && hasNoAddressSpace()) {
            return null;
        }
        return SmapsRollupParser.parse(buffer[0], len, p.toString());
    }

    private boolean hasNoAddressSpace() {
        try {
            Stat s = memTid == 0 ? stat() : taskStat(memTid);
            return s.isKernelThread() || s.exitingOrDead();
        } catch (InspectorException e) {
            return false;
        }
    }

    public Status status() {
        Path p = file("status");
        int len = read(p);
        return StatusParser.parse(buffer[0], len, p.toString());
    }

    public Stat stat() {
        Path p = file("stat");
        int len = read(p);
        return StatParser.parse(buffer[0], len, p.toString());
    }

    /** The resource limits, or null for a captured tree without the file (a kernel before 2.6.24). */
    public Limits limits() {
        Path p = file("limits");
        if (absentFromTree(p)) {
            return null;
        }
        int len = read(p);
        return LimitsParser.parse(new String(buffer[0], 0, len, StandardCharsets.UTF_8), p.toString());
    }

    public Auxv auxv() {
        Path p = memFile("auxv");
        int len = read(p);
        return AuxvParser.parse(buffer[0], len, p.toString());
    }

    /** The thread ids in task/, ascending. */
    public List<Integer> taskIds() {
        Path p = file("task");
        List<Integer> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
            for (Path t : ds) {
                String n = t.getFileName().toString();
                if (isDecimal(n)) {
                    out.add(Integer.parseInt(n));
                }
            }
        } catch (IOException e) {
            throw fs.translate(e, p, pid);
        }
        Collections.sort(out);
        return out;
    }

    public Stat taskStat(int tid) {
        Path p = file("task/" + tid + "/stat");
        int len = read(p);
        return StatParser.parse(buffer[0], len, p.toString());
    }

    public Syscall taskSyscall(int tid) {
        Path p = file("task/" + tid + "/syscall");
        int len = read(p);
        return SyscallParser.parse(new String(buffer[0], 0, len, StandardCharsets.US_ASCII), p.toString());
    }

    public String taskComm(int tid) {
        Path p = file("task/" + tid + "/comm");
        int len = read(p);
        return CmdlineParser.parseComm(buffer[0], len);
    }

    /** The argument strings; empty for a kernel thread or a zombie. */
    public List<String> cmdline() {
        Path p = memFile("cmdline");
        int len = read(p);
        return CmdlineParser.parseCmdline(buffer[0], len);
    }

    public String comm() {
        Path p = file("comm");
        int len = read(p);
        return CmdlineParser.parseComm(buffer[0], len);
    }

    /**
     * The executable (readlink of /proc/PID/exe) as a file path with its " (deleted)" state, or null when the process
     * has none (a kernel thread or a zombie: the link then fails with ENOENT while the pid directory remains).
     *
     * <p>The kernel appends " (deleted)" to an unlinked file, which cannot be told from a file really named so by
     * the text alone. On the live /proc the literal path is checked: when it exists and is the same file as the
     * process's executable, the suffix is part of the name.
     */
    public MappingPath exe() {
        Path p = memFile("exe");
        String target;
        try {
            target = Files.readSymbolicLink(p).toString();
        } catch (NoSuchFileException e) {
            if (Files.isDirectory(mem)) {
                return null;
            }
            throw fs.translate(e, p, pid);
        } catch (IOException e) {
            throw fs.translate(e, p, pid);
        }
        String suffix = " (deleted)";
        if (!target.endsWith(suffix)) {
            return MappingPath.file(target, false);
        }
        if (fs.isLive()) {
            try {
                Path literal = memFile("root").resolve(target.startsWith("/") ? target.substring(1) : target);
                if (Files.exists(literal) && Files.isSameFile(literal, p)) {
                    return MappingPath.file(target, false);
                }
            } catch (IOException | SecurityException e) {
                // Not allowed to look into the target's root: trust the kernel's suffix.
            }
        }
        return MappingPath.file(target.substring(0, target.length() - suffix.length()), true);
    }

    /**
     * The persona word (personality(2)) of the process; null when this reader may not see it (the file needs ptrace
     * access) or the tree has no such file (a kernel before 2.6.28).
     */
    public Long personality() {
        Path p = memFile("personality"); // owned by root once the main thread's memory is released: read via a live one
        if (absentFromTree(p)) {
            return null;
        }
        int len;
        try {
            len = read(p);
        } catch (AccessDenied e) {
            return null;
        }
        return PersonalityParser.parse(new String(buffer[0], 0, len, java.nio.charset.StandardCharsets.US_ASCII),
                p.toString());
    }

    /**
     * The kernel call chain of one thread ({@code task/TID/stack}: one "[<0>] function+0x../0x.." line per frame), or
     * null when this reader may not see it: the file is mode 0400 and needs root (CAP_SYS_ADMIN) since Linux 4.2.
     */
    public String taskKernelStack(int tid) {
        Path p = file("task/" + tid + "/stack");
        int len;
        try {
            len = read(p);
        } catch (AccessDenied e) {
            return null;
        }
        return new String(buffer[0], 0, len, StandardCharsets.UTF_8);
    }

    /**
     * Up to {@code len} bytes of the process's executable file at {@code offset}, read through {@code exe} (the very
     * file the process runs, even when its path was replaced or unlinked); fewer at the end of the file.
     */
    public byte[] readExe(long offset, int len) {
        return fs.pread(memFile("exe"), offset, len, pid);
    }

    /**
     * Up to {@code len} bytes of the process's memory at {@code address}, read through {@code mem} (fewer when the
     * range runs into an unmapped page: the kernel answers EIO there, which ends the read). Read-only in every way:
     * /proc/PID/mem takes plain page references, while process_vm_readv PINS the pages, and since Linux 5.19 a read
     * pin of a copy-on-write shared anonymous page makes the kernel copy it first (FAULT_FLAG_UNSHARE), so that call
     * would give a forked child its own frame just by being read. Needs ptrace read access (the same user, or root).
     */
    public byte[] readMemory(long address, int len) {
        Path p = memFile("mem");
        byte[] out = new byte[len];
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(out);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(p,
                java.nio.file.StandardOpenOption.READ)) {
            while (b.hasRemaining()) {
                int n;
                try {
                    n = ch.read(b, address + b.position());
                } catch (IOException e) {
                    if ("Input/output error".equals(e.getMessage())) {
                        break; // EIO: an unmapped page; what came before it stands
                    }
                    throw e;
                }
                if (n <= 0) {
                    break;
                }
            }
        } catch (IOException e) {
            throw fs.translate(e, p, pid);
        }
        return java.util.Arrays.copyOf(out, b.position());
    }

    /**
     * True for a file a captured tree does not hold while the process's directory is there: the captured kernel had
     * no such file, so the fact is not known (on the live /proc a missing file means the process is gone).
     */
    private boolean absentFromTree(Path p) {
        return !fs.isLive() && !Files.exists(p) && Files.isDirectory(dir);
    }

    static boolean isDecimal(String n) {
        if (n.isEmpty() || n.length() > 10) {
            return false;
        }
        for (int i = 0; i < n.length(); i++) {
            if (n.charAt(i) < '0' || n.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}

package dev.inspector.core.procfs;

import dev.inspector.core.MalformedProcFile;
import dev.inspector.core.model.HostInfo;
import dev.inspector.core.procfs.parse.Auxv;
import dev.inspector.core.procfs.parse.AuxvParser;
import dev.inspector.core.procfs.parse.Status;
import dev.inspector.core.procfs.parse.StatusParser;
import dev.inspector.core.procfs.parse.Words;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Facts about the host read from /proc and /sys, rooted like {@link ProcFs} so fixtures can stand in for the
 * machine. {@code sysRoot} defaults to the sibling "sys" of the proc root (/proc → /sys; fixtures/x/proc →
 * fixtures/x/sys). "self" means the process reading: the inspector on the live system, the captured process in a
 * fixture (whose capture copies its auxv and status to proc/self/).
 *
 * <p>Features that need an ioctl (PAGEMAP_SCAN, PROCMAP_QUERY), a write (soft-dirty) or a prctl (anon VMA names) are
 * decided by the JNA layer and passed in to {@link #read(boolean, boolean, boolean, boolean)}.
 */
public final class HostFacts {

    /** x86-64: with 4-level paging the user half ends at 2^47 - PAGE_SIZE (TASK_SIZE_MAX), 0x7ffffffff000. */
    static final int USER_BITS_4_LEVEL = 47;
    /** x86-64 with LA57: 2^56 - PAGE_SIZE (mmap returns addresses above 2^47 only when asked by a hint). */
    static final int USER_BITS_5_LEVEL = 56;
    /** CAP_SYS_ADMIN: pagemap shows frame numbers only to it (since Linux 4.2). */
    static final int CAP_SYS_ADMIN = 21;

    private final ProcFs proc;
    private final Path sysRoot;

    public HostFacts(ProcFs proc) {
        this(proc, proc.root().resolveSibling("sys"));
    }

    public HostFacts(ProcFs proc, Path sysRoot) {
        this.proc = proc;
        this.sysRoot = sysRoot;
    }

    public static HostFacts system() {
        return new HostFacts(ProcFs.system());
    }

    /** /proc/sys/kernel/osrelease, e.g. "6.18.44". */
    public String kernelRelease() {
        return readLine(proc.root().resolve("sys/kernel/osrelease"));
    }

    /** AT_PAGESZ from /proc/self/auxv: the page size the kernel told the reading process at exec. */
    public int pageSize() {
        Path p = proc.root().resolve("self/auxv");
        byte[] b = readBytes(p);
        Auxv a = AuxvParser.parse(b, b.length, p.toString());
        Long ps = a.pageSize();
        if (ps == null || ps <= 0 || Long.bitCount(ps) != 1) {
            throw new MalformedProcFile(p.toString(), 0, null, "no valid AT_PAGESZ entry");
        }
        return (int) (long) ps;
    }

    /**
     * 5 when /proc/cpuinfo lists the la57 flag, else 4. The kernel clears la57 from cpuinfo when it does not use
     * 5-level paging (CONFIG_X86_5LEVEL off or no5lvl), so the flag means "in use", not just "the CPU can".
     */
    public int pagingLevels() {
        Path p = proc.root().resolve("cpuinfo");
        String text = readString(p);
        boolean sawFlags = false;
        for (String line : text.split("\n")) {
            if (line.startsWith("flags")) {
                sawFlags = true;
                int colon = line.indexOf(':');
                for (String f : Words.of(line.substring(colon + 1))) {
                    if ("la57".equals(f)) {
                        return 5;
                    }
                }
            }
        }
        if (!sawFlags) {
            throw new MalformedProcFile(p.toString(), 0, null, "no \"flags\" line (not an x86 cpuinfo)");
        }
        return 4;
    }

    /** The first "model name" of /proc/cpuinfo, or "model unknown". */
    public String cpuModel() {
        Path p = proc.root().resolve("cpuinfo");
        if (!Files.exists(p)) {
            return "model unknown";
        }
        for (String line : readString(p).split("\n")) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "model unknown";
    }

    /** The three load averages of /proc/loadavg ("1.20 0.80 0.50"), or "? ? ?" when it cannot be read. */
    public String loadAverage() {
        Path p = proc.root().resolve("loadavg");
        if (!Files.exists(p)) {
            return "? ? ?";
        }
        String[] w = readLine(p).split(" ");
        return w.length >= 3 ? w[0] + " " + w[1] + " " + w[2] : "? ? ?";
    }

    /** The exclusive end of the user half: 2^47 - pageSize for 4-level paging, 2^56 - pageSize for 5-level. */
    public static long highestUserAddress(int pagingLevels, int pageSize) {
        int bits = pagingLevels == 5 ? USER_BITS_5_LEVEL : USER_BITS_4_LEVEL;
        return (1L << bits) - pageSize;
    }

    /** /proc/sys/kernel/randomize_va_space: 0 off, 1 stack/mmap/vdso, 2 also the brk heap. */
    public int randomizeVaSpace() {
        Path p = proc.root().resolve("sys/kernel/randomize_va_space");
        String v = readLine(p);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new MalformedProcFile(p.toString(), 1, v, "expected a number");
        }
    }

    /**
     * The selected word of /sys/kernel/mm/transparent_hugepage/enabled ("always [madvise] never" → "madvise"), or
     * null when the kernel has no THP support (the file does not exist).
     */
    public String thpMode() {
        Path p = sysRoot.resolve("kernel/mm/transparent_hugepage/enabled");
        if (!Files.exists(p)) {
            return null;
        }
        String v = readLine(p);
        int open = v.indexOf('[');
        int close = v.indexOf(']', open + 1);
        if (open < 0 || close < 0) {
            throw new MalformedProcFile(p.toString(), 1, v, "no [selected] word");
        }
        return v.substring(open + 1, close);
    }

    /** True when /proc/kpageflags can be opened for reading by this process (root: the file is mode 0400). */
    public boolean kpageflagsReadable() {
        return Files.isReadable(proc.root().resolve("kpageflags"));
    }

    /** True when the reading process holds CAP_SYS_ADMIN (CapEff of /proc/self/status): pagemap then shows PFNs. */
    public boolean pfnsVisible() {
        Path p = proc.root().resolve("self/status");
        byte[] b = readBytes(p);
        Status s = StatusParser.parse(b, b.length, p.toString());
        long cap = s.capEff();
        if (cap == -1 && !s.other().containsKey("CapEff")) {
            throw new MalformedProcFile(p.toString(), 0, null, "no CapEff line");
        }
        return (cap & (1L << CAP_SYS_ADMIN)) != 0;
    }

    /** Features with the file-based ones detected here and the ioctl/prctl-based ones supplied by the caller. */
    public HostInfo.Features features(boolean pagemapScan, boolean procmapQuery, boolean softDirty,
                                      boolean anonVmaName) {
        return new HostInfo.Features(pagemapScan, procmapQuery, softDirty, kpageflagsReadable(), pfnsVisible(),
                anonVmaName);
    }

    /** Everything at once. */
    public HostInfo read(boolean pagemapScan, boolean procmapQuery, boolean softDirty, boolean anonVmaName) {
        return withFeatures(features(pagemapScan, procmapQuery, softDirty, anonVmaName));
    }

    /** The file-based facts only, features not probed (null): for views that need no ioctl. */
    public HostInfo basic() {
        return withFeatures(null);
    }

    /** The file-based facts with features decided elsewhere (the probe), or null when not probed. */
    public HostInfo withFeatures(HostInfo.Features features) {
        int pageSize = pageSize();
        int levels = pagingLevels();
        return new HostInfo(kernelRelease(), pageSize, levels, highestUserAddress(levels, pageSize),
                randomizeVaSpace(), thpMode(), features);
    }

    private String readLine(Path p) {
        String s = readString(p);
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }

    private String readString(Path p) {
        return new String(readBytes(p), StandardCharsets.UTF_8);
    }

    /**
     * One large read, not Files.readAllBytes: that reads a size-0 file one byte first, and sysctl integer files
     * (proc_dointvec) answer any read at a non-zero offset with EOF, which would turn "32768" into "3".
     */
    private byte[] readBytes(Path p) {
        if (!Files.exists(p)) {
            throw new MalformedProcFile(p.toString(), 0, null, "missing (is " + p.getParent() + " a proc/sys tree?)");
        }
        return proc.readBytes(p, 0);
    }
}

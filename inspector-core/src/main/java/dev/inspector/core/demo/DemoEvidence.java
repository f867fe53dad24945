package dev.inspector.core.demo;

import dev.inspector.core.elf.ElfFile;
import dev.inspector.core.model.HostInfo;
import dev.inspector.core.model.KernelFeatures;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.procfs.KernelFiles;
import dev.inspector.core.procfs.KernelSettings;
import dev.inspector.core.procfs.parse.CpuinfoParser;
import dev.inspector.core.residency.PageInfo;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything measured at one stop of a demo, before any claim is judged: the announced step and the steps before it,
 * a snapshot of the process that announced it (maps, smaps, status, stat, threads) and the evidence of its previous
 * stop, the pagemap entry (and, as root, the frame's kpageflags and kpagecount) of every announced address, every page
 * of every announced range, the same addresses in the other process of a forked program, the bytes asked for by the
 * step's {@link DemoStep.Probes}, the executable's ELF headers, and the kernel's settings at that moment. Judges
 * decide from this alone: it is immutable and no judge reads anything else.
 */
public final class DemoEvidence {

    /** Why PFN-based claims cannot be checked for a user without CAP_SYS_ADMIN. */
    public static final String NO_PFNS = "not root: pagemap shows frame numbers only to CAP_SYS_ADMIN (Linux 4.2+),"
            + " so which physical frame backs a page cannot be seen";
    /** Why kpagecount-based claims cannot be checked without root. */
    public static final String NO_KPAGES = "not root: /proc/kpageflags and /proc/kpagecount are readable by root only";

    /**
     * An announced address: the region holding it now (null when no mapping does) and its page (null where pagemap has
     * no entry: unmapped, or the kernel half).
     */
    public record Located(String label, long address, Region region, PageInfo page) {
        public boolean mapped() {
            return region != null;
        }

        public Mapping mapping() {
            return region == null ? null : region.mapping();
        }
    }

    /** The executable's ELF headers and its load bias (where its first byte is mapped), or why they are unknown. */
    public record ExeImage(String path, ElfFile elf, long bias, String missing) {

        /** The allocated section holding {@code addr} of the process, or null. */
        public ElfFile.Section sectionAt(long addr) {
            long v = addr - bias;
            for (ElfFile.Section s : elf.sections()) {
                if (s.alloc() && s.size() > 0 && Long.compareUnsigned(v, s.addr()) >= 0
                        && Long.compareUnsigned(v, s.addr() + s.size()) < 0) {
                    return s;
                }
            }
            return null;
        }

        public ElfFile.Section section(String name) {
            for (ElfFile.Section s : elf.sections()) {
                if (s.name().equals(name)) {
                    return s;
                }
            }
            return null;
        }

        /** The writable PT_LOAD segment (.data and .bss), or null. */
        public ElfFile.ProgramHeader writableLoad() {
            for (ElfFile.ProgramHeader p : elf.programHeaders()) {
                if (p.isLoad() && p.writable()) {
                    return p;
                }
            }
            return null;
        }
    }

    /** The kernel's settings and facts read at this stop. */
    public record KernelState(Map<String, Long> meminfo, List<KernelSettings.HugePool> hugePools, String thp,
                              KernelSettings.Value maxMapCount, KernelSettings.Value randomizeVaSpace,
                              String meltdown, CpuinfoParser.Cpu cpu, boolean kcore, boolean devMem,
                              List<String> cmdline, KernelFiles.SystemRam ram, String hugePoolsDir,
                              KernelSettings.Value mmapRndBits, KernelSettings.Value mmapRndCompatBits) {
        public KernelState {
            meminfo = Map.copyOf(meminfo);
            hugePools = List.copyOf(hugePools);
            cmdline = cmdline == null ? null : List.copyOf(cmdline);
        }

        /** The pool with pages of {@code bytes}, or null when the kernel has none (the CPU lacks that page size). */
        public KernelSettings.HugePool pool(long bytes) {
            for (KernelSettings.HugePool p : hugePools) {
                if (p.pageBytes() == bytes) {
                    return p;
                }
            }
            return null;
        }

        /** The value of a boot parameter ({@code name=value}) on the kernel command line, or null. */
        public String bootParameter(String name) {
            if (cmdline == null) {
                return null;
            }
            for (String w : cmdline) {
                if (w.startsWith(name + "=")) {
                    return w.substring(name.length() + 1);
                }
            }
            return null;
        }
    }

    /** The pages of a range counted: present, exclusive, file-backed, distinct frames and physical runs (-1: unknown). */
    public record PageStats(long pages, long present, long exclusive, long file, long distinctFrames,
                            long physicalRuns) {
        @Override
        public String toString() {
            return present + " of " + pages + " present, " + exclusive + " exclusive"
                    + (distinctFrames >= 0 ? ", " + distinctFrames + " distinct frames in " + physicalRuns
                    + " physical run(s)" : "");
        }
    }

    private final SampleStep step;
    private final List<SampleStep> earlier;
    private final Snapshot now;
    private final DemoEvidence previous;
    private final Map<String, Located> addresses;
    private final Map<String, List<PageInfo>> ranges;
    private final int peerPid;
    private final Map<String, Located> peer;
    private final Map<String, byte[]> memory;
    private final Map<String, byte[]> peerMemory;
    private final Map<String, byte[]> exeBytes;
    private final ExeImage exe;
    private final HostInfo host;
    private final KernelFeatures features;
    private final KernelState kernel;
    private final Map<Integer, String> kernelStacks;
    private final SampleStep rerun;
    private final String rerunMissing;

    DemoEvidence(SampleStep step, List<SampleStep> earlier, Snapshot now, DemoEvidence previous,
                 Map<String, Located> addresses, Map<String, List<PageInfo>> ranges, int peerPid,
                 Map<String, Located> peer, Map<String, byte[]> memory, Map<String, byte[]> peerMemory,
                 Map<String, byte[]> exeBytes, ExeImage exe, HostInfo host, KernelFeatures features,
                 KernelState kernel, Map<Integer, String> kernelStacks, SampleStep rerun, String rerunMissing) {
        this.step = step;
        this.earlier = List.copyOf(earlier);
        this.now = now;
        this.previous = previous;
        this.addresses = Map.copyOf(addresses);
        this.ranges = Map.copyOf(ranges);
        this.peerPid = peerPid;
        this.peer = Map.copyOf(peer);
        this.memory = Map.copyOf(memory);
        this.peerMemory = Map.copyOf(peerMemory);
        this.exeBytes = Map.copyOf(exeBytes);
        this.exe = exe;
        this.host = host;
        this.features = features;
        this.kernel = kernel;
        this.kernelStacks = Map.copyOf(kernelStacks);
        this.rerun = rerun;
        this.rerunMissing = rerunMissing;
    }

    // ---- what was measured ------------------------------------------------------------------------------------

    public SampleStep step() {
        return step;
    }

    /** Every step announced before this one in the run (all processes), in order. */
    public List<SampleStep> earlier() {
        return earlier;
    }

    /** The latest earlier step of this name, or null. */
    public SampleStep earlier(String name) {
        for (int i = earlier.size() - 1; i >= 0; i--) {
            if (earlier.get(i).name().equals(name)) {
                return earlier.get(i);
            }
        }
        return null;
    }

    public Snapshot now() {
        return now;
    }

    /** The evidence of the previous stop of the same process, or null at its first stop. */
    public DemoEvidence previous() {
        return previous;
    }

    /** The latest earlier stop of the same process that measured {@code range.<label>}, or null. */
    public DemoEvidence earlierWithRange(String label) {
        for (DemoEvidence e = previous; e != null; e = e.previous) {
            if (e.ranges.containsKey(label)) {
                return e;
            }
        }
        return null;
    }

    /** The latest earlier stop of the same process that located {@code addr.<label>}, or null. */
    public DemoEvidence earlierWithAddress(String label) {
        for (DemoEvidence e = previous; e != null; e = e.previous) {
            if (e.addresses.containsKey(label)) {
                return e;
            }
        }
        return null;
    }

    /** The earlier stop of the same process at step {@code name} (the latest), or null. */
    public DemoEvidence earlierAt(String name) {
        for (DemoEvidence e = previous; e != null; e = e.previous) {
            if (e.step.name().equals(name)) {
                return e;
            }
        }
        return null;
    }

    /** The snapshot of the previous stop of the same process, or null. */
    public Snapshot before() {
        return previous == null ? null : previous.now;
    }

    public Map<String, Located> addresses() {
        return addresses;
    }

    /** The announced {@code addr.<label>}, located; IllegalStateException when the step did not announce it. */
    public Located at(String label) {
        Located l = addresses.get(label);
        if (l == null) {
            throw new IllegalStateException("step '" + step.name() + "' announced no addr." + label);
        }
        return l;
    }

    /** The pages of {@code range.<label>}, or IllegalStateException when it was not measured. */
    public List<PageInfo> range(String label) {
        List<PageInfo> r = ranges.get(label);
        if (r == null) {
            throw new IllegalStateException("range." + label + " was not measured at step '" + step.name() + "'");
        }
        return r;
    }

    public Map<String, List<PageInfo>> ranges() {
        return ranges;
    }

    /** The other process of a forked program (the announced child_pid or parent_pid), or 0. */
    public int peerPid() {
        return peerPid;
    }

    /** The announced address located in the other process, or null when there is none (or it has gone). */
    public Located peer(String label) {
        return peer.get(label);
    }

    public Map<String, Located> peer() {
        return peer;
    }

    /** The first bytes of memory at {@code addr.<label>}, or null when not read. */
    public byte[] memory(String label) {
        return memory.get(label);
    }

    public byte[] peerMemory(String label) {
        return peerMemory.get(label);
    }

    /** What the executable file holds behind {@code addr.<label>}, or null when not read. */
    public byte[] exeBytes(String label) {
        return exeBytes.get(label);
    }

    public ExeImage exe() {
        return exe;
    }

    public HostInfo host() {
        return host;
    }

    public KernelFeatures features() {
        return features;
    }

    public KernelState kernel() {
        return kernel;
    }

    /** Each thread's kernel call chain (null: not readable), when the step asked for them. */
    public Map<Integer, String> kernelStacks() {
        return kernelStacks;
    }

    /** The same step of a second run of the program, or null with {@link #rerunMissing()} saying why. */
    public SampleStep rerun() {
        return rerun;
    }

    public String rerunMissing() {
        return rerunMissing;
    }

    // ---- helpers for judges (pure) ------------------------------------------------------------------------------

    public int pageSize() {
        return host.pageSize();
    }

    /** True when pagemap shows frame numbers to us (root). */
    public boolean pfns() {
        return features.pfnsVisible().available();
    }

    /** True when kpageflags and kpagecount were readable (root). */
    public boolean kpages() {
        return features.kpageflags().available() && pfns();
    }

    /** The region of the current snapshot holding {@code addr}, or null. */
    public Region regionAt(long addr) {
        return regionAt(now, addr);
    }

    public static Region regionAt(Snapshot s, long addr) {
        if (s == null) {
            return null;
        }
        for (Region r : s.regions()) {
            if (r.mapping().contains(addr)) {
                return r;
            }
        }
        return null;
    }

    /** The first mapping of this type in a snapshot ([heap], [stack]...), or null. */
    public static Mapping first(Snapshot s, MappingPath.Type type) {
        if (s == null) {
            return null;
        }
        for (Region r : s.regions()) {
            if (r.mapping().path().type() == type) {
                return r.mapping();
            }
        }
        return null;
    }

    public Mapping heap() {
        return first(now, MappingPath.Type.HEAP);
    }

    public Mapping stack() {
        return first(now, MappingPath.Type.STACK);
    }

    /** A status field (VmStk, VmRSS, VmPTE ...) in bytes now, or -1 when absent. */
    public long status(String field) {
        return status(now, field);
    }

    public static long status(Snapshot s, String field) {
        if (s == null) {
            return -1;
        }
        Long v = s.process().statusMemory().get(field);
        return v == null ? -1 : v;
    }

    /** Minor faults of the process since its previous stop; IllegalStateException at its first stop. */
    public long minorFaultsSincePrevious() {
        requirePrevious();
        return now.process().minorFaults() - before().process().minorFaults();
    }

    public long majorFaultsSincePrevious() {
        requirePrevious();
        return now.process().majorFaults() - before().process().majorFaults();
    }

    private void requirePrevious() {
        if (previous == null) {
            throw new IllegalStateException("no earlier stop of pid " + step.pid() + " to compare with");
        }
    }

    /** Counts over pages; frames only when PFNs are visible. */
    public static PageStats stats(List<PageInfo> pages) {
        long present = 0;
        long excl = 0;
        long file = 0;
        Set<Long> frames = new HashSet<>();
        long runs = 0;
        long last = -2;
        boolean known = !pages.isEmpty();
        for (PageInfo p : pages) {
            if (!p.entry().present()) {
                last = -2;
                continue;
            }
            present++;
            if (p.entry().exclusive()) {
                excl++;
            }
            if (p.entry().fileOrSharedAnon()) {
                file++;
            }
            long pfn = p.entry().pfn();
            if (pfn < 0) {
                known = false;
                continue;
            }
            frames.add(pfn);
            if (pfn != last + 1) {
                runs++;
            }
            last = pfn;
        }
        boolean framesKnown = known && present > 0;
        return new PageStats(pages.size(), present, excl, file, framesKnown ? frames.size() : -1,
                framesKnown ? runs : -1);
    }

    /** The frames of the present pages of a range in address order (-1 for a page whose frame is hidden). */
    public static long[] frames(List<PageInfo> pages) {
        return pages.stream().filter(p -> p.entry().present()).mapToLong(p -> p.entry().pfn()).toArray();
    }

    /** A hex address. */
    public static String hex(long a) {
        return "0x" + Long.toHexString(a);
    }

    /** A NUL-terminated word from bytes of memory ("parent"), or null. */
    public static String word(byte[] b) {
        if (b == null) {
            return null;
        }
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** A little-endian 64-bit word from the first 8 bytes, or null when fewer were read. */
    public static Long longAt(byte[] b) {
        if (b == null || b.length < 8) {
            return null;
        }
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xffL);
        }
        return v;
    }

    /** A little-endian 32-bit signed int from the first 4 bytes, or null. */
    public static Integer intAt(byte[] b) {
        if (b == null || b.length < 4) {
            return null;
        }
        return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
    }
}

package dev.inspector.core.analysis;

import dev.inspector.core.AccessDenied;
import dev.inspector.core.MalformedProcFile;
import dev.inspector.core.elf.ElfCache;
import dev.inspector.core.elf.ElfLookup;
import dev.inspector.core.elf.MappedElf;
import dev.inspector.core.model.AslrBases;
import dev.inspector.core.model.HostInfo;
import dev.inspector.core.model.KernelLayout;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;
import dev.inspector.core.model.ProcessInfo;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.Smaps;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.model.ThreadInfo;
import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.procfs.SmapsCache;
import dev.inspector.core.procfs.Target;
import dev.inspector.core.residency.ResidencySource;
import dev.inspector.core.procfs.parse.Limits;
import dev.inspector.core.procfs.parse.PersonalityParser;
import dev.inspector.core.procfs.parse.SmapsRecord;
import dev.inspector.core.procfs.parse.Stat;
import dev.inspector.core.procfs.parse.Status;
import dev.inspector.core.procfs.parse.Syscall;

import java.time.Clock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Builds a {@link Snapshot} of one process: the single place where /proc is read for a view. Reads are ordered so the
 * picture is as consistent as the kernel allows (smaps carries its own maps lines, so mappings and figures come from
 * one pass), and the target's identity is re-checked at the end, so a process that exited or whose PID was reused
 * mid-read is reported as {@code ProcessGone} instead of a mixed picture.
 */
public final class SnapshotBuilder {

    private final ProcFs procFs;
    private final Supplier<HostInfo> host;
    private final ElfCache elfCache;
    private final ResidencySource residencySource;
    private final String toolVersion;
    private final Clock clock;

    public SnapshotBuilder(ProcFs procFs, HostInfo host, ResidencySource residencySource, String toolVersion) {
        this(procFs, () -> host, residencySource, toolVersion, new ElfCache());
    }

    /**
     * With host facts that may still be in the making (the kernel-feature probe loads the native layer, ~50 ms): each
     * snapshot asks for them only after reading smaps, so a caller can compute them on another thread meanwhile.
     */
    public SnapshotBuilder(ProcFs procFs, Supplier<HostInfo> host, ResidencySource residencySource, String toolVersion,
                           ElfCache elfCache) {
        this(procFs, host, residencySource, toolVersion, elfCache, Clock.systemUTC());
    }

    /** The same with the clock that stamps {@code takenAt} (a fixed one gives a captured tree a reproducible snapshot). */
    public SnapshotBuilder(ProcFs procFs, Supplier<HostInfo> host, ResidencySource residencySource, String toolVersion,
                           ElfCache elfCache, Clock clock) {
        this.procFs = procFs;
        this.host = host;
        this.elfCache = elfCache;
        this.residencySource = residencySource;
        this.toolVersion = toolVersion;
        this.clock = clock;
    }

    public HostInfo host() {
        return host.get();
    }

    public Snapshot snapshot(int pid, SnapshotOptions opts) {
        return snapshot(pid, opts, null, null);
    }

    /**
     * The same, allowed to take figures over from {@code previous} (an earlier snapshot of the same process with the
     * same options, or null) where the kernel shows they cannot have moved. A refresh loop reads the same process
     * every second, and smaps is the expensive file: the kernel formats a record per mapping (1.75 ms of CPU for 1,029
     * mappings, against 0.17 ms for maps and 0.07 ms for smaps_rollup) and the parser reads 700 KB. So maps, the fault
     * counters and smaps_rollup are read first; when maps is the same list, no thread of the process faulted (stat's
     * minflt and majflt count every thread's) and every rollup figure (RSS, PSS, dirty, referenced, swap, THP ...)
     * is unchanged, each mapping keeps its previous smaps figures and smaps is not read. What escapes this test is
     * a change in two mappings that cancels out exactly in every rollup figure without a fault (page reclaim of one
     * page while another process's exit raises PSS by exactly that much, say): a caller bounds how long such a
     * picture may live by passing null now and then ({@code Refresh} does every tenth point). When, in addition, the
     * threads' stack pointers did not move, the mappings' classification is taken over as well.
     *
     * <p>When smaps has to be read, {@code cache} (null: none) keeps the records whose text did not change from the
     * previous read (exact), so only the changed mappings are parsed; when every record was kept, the classification
     * is taken over under the same conditions.
     */
    public Snapshot snapshot(int pid, SnapshotOptions opts, Snapshot previous, SmapsCache cache) {
        Instant takenAt = clock.instant();
        dev.inspector.core.Trace.mark("snapshot: start");
        // The ELF files are opened through libc (O_PATH, statx): bind it while /proc is read.
        dev.inspector.core.sys.Sys.loadInBackground();
        Target t = Target.openAddressSpace(procFs, pid);
        Stat stat = t.stat();
        Status status = t.status();

        List<Mapping> maps = null;
        List<Smaps> smaps = null;
        Smaps rollup = null;
        boolean sameMaps = false;
        if (previous != null && opts.smaps() && previous.rollup() != null && previous.process().pid() == pid
                && previous.process().startTime() == t.startTime()
                && opts.residency() == SnapshotOptions.Residency.NONE) {
            maps = t.maps();
            sameMaps = sameMappings(maps, previous.regions());
            if (sameMaps && stat.minflt() == previous.process().minorFaults()
                    && stat.majflt() == previous.process().majorFaults()) {
                rollup = optional(t::smapsRollup);
                if (rollup != null && rollup.equals(previous.rollup())) {
                    smaps = new ArrayList<>(maps.size());
                    for (Region r : previous.regions()) {
                        smaps.add(r.smaps());
                    }
                    maps = new ArrayList<>(maps.size());
                    for (Region r : previous.regions()) {
                        maps.add(r.mapping()); // the same objects, so the diff with the previous point is cheap
                    }
                    dev.inspector.core.Trace.mark("snapshot: smaps unchanged, taken over");
                } else {
                    rollup = null; // read again after smaps, so the two stay close in time
                }
            }
            if (smaps == null) {
                maps = null;
            }
        }
        if (maps != null) {
            // taken over above
        } else if (opts.smaps()) {
            List<SmapsRecord> records = readSmaps(t, cache);
            maps = new ArrayList<>(records.size());
            smaps = new ArrayList<>(records.size());
            for (SmapsRecord r : records) {
                maps.add(r.mapping());
                smaps.add(r.smaps());
            }
        } else {
            maps = t.maps();
        }
        dev.inspector.core.Trace.mark("snapshot: " + maps.size() + " mappings read");
        HostInfo host = this.host.get();

        MappingPath exe = optional(t::exe);
        String exePath = exe == null || exe.name().isEmpty() ? null : exe.name();

        List<ThreadInfo> threads = new ArrayList<>();
        Map<Integer, Long> sps = new HashMap<>();
        if (opts.threads()) {
            for (int tid : t.taskIds()) {
                Stat ts = t.taskStat(tid);
                if (ts == null) {
                    continue; // that thread exited during the read
                }
                Syscall sc = optional(() -> t.taskSyscall(tid));
                Long sp = sc == null ? null : sc.stackPointer();
                Long pc = sc == null ? null : sc.programCounter();
                if (sp != null) {
                    sps.put(tid, sp);
                }
                threads.add(new ThreadInfo(tid, ts.comm(), String.valueOf(ts.state()), sp, pc,
                        containing(maps, sp), ts.minflt(), ts.majflt()));
            }
        }

        long startBrk = stat.startBrk() == null ? 0 : stat.startBrk();
        List<Region> regions;
        boolean kept = rollup != null || (previous != null && smaps != null && sameObjects(maps, smaps, previous));
        if (kept && Objects.equals(exePath, previous.process().exe())
                && Objects.equals(startBrk == 0 ? null : startBrk, previous.bases().heapStart())
                && stat.numThreads() == previous.process().threadCount()
                && sps.equals(stackPointers(previous.threads()))) {
            // smaps taken over and nothing the classifier reads moved: its regions (with their smaps) stand.
            regions = previous.regions();
            dev.inspector.core.Trace.mark("snapshot: classification taken over");
        } else {
            ClassifierInput input = new ClassifierInput(maps, exePath, elfResolver(t.files().memoryDir(), exePath),
                    sps, pid, startBrk, stat.startStack(), host.pageSize(), stat.numThreads());
            dev.inspector.core.Trace.mark("snapshot: threads read");
            regions = Classifier.classify(input);
            dev.inspector.core.Trace.mark("snapshot: classified");
        }
        if (smaps != null && regions != previous(previous)) {
            List<Region> withSmaps = new ArrayList<>(regions.size());
            for (int i = 0; i < regions.size(); i++) {
                withSmaps.add(regions.get(i).withSmaps(smaps.get(i)));
            }
            regions = withSmaps;
        }
        if (opts.residency() != SnapshotOptions.Residency.NONE) {
            if (residencySource == null) {
                throw new IllegalStateException("residency requested without a residency source");
            }
            regions = residencySource.apply(pid, regions, opts.residency() == SnapshotOptions.Residency.PAGES, opts.pfn());
        }

        dev.inspector.core.Trace.mark("snapshot: residency done");
        if (rollup == null && opts.smaps()) {
            rollup = optional(t::smapsRollup);
        }
        dev.inspector.core.Trace.mark("snapshot: rollup read");
        Limits limits = optional(t::limits);
        Limits.Limit stack = limits == null ? null : limits.stack();
        List<String> cmdline = t.cmdline();
        KernelLayout kernel = opts.kernel() ? new KernelLayoutBuilder(procFs).build(host.pagingLevels(), maps) : null;
        dev.inspector.core.Trace.mark("snapshot: limits, cmdline, kernel read");
        AslrBases bases = bases(maps, exePath, startBrk, host.randomizeVaSpace(), personalityNoRandomize(t));
        t.checkSame();
        dev.inspector.core.Trace.mark("snapshot: done");

        ProcessInfo process = new ProcessInfo(pid, t.startTime(), stat.comm(), cmdline, exePath, status.uid().real(),
                String.valueOf(stat.state()), stat.minflt(), stat.majflt(), status.threads(), status.memory(),
                stack == null ? -1 : stack.soft(), stack == null ? -1 : stack.hard());
        return new Snapshot(Snapshot.SCHEMA_VERSION, toolVersion, takenAt, host, process, regions, threads, bases,
                kernel, rollup);
    }

    private static List<Region> previous(Snapshot previous) {
        return previous == null ? null : previous.regions();
    }

    /** True when each mapping and its smaps are the very objects of {@code previous}'s regions (a cache kept them). */
    private static boolean sameObjects(List<Mapping> maps, List<Smaps> smaps, Snapshot previous) {
        List<Region> rs = previous.regions();
        if (maps.size() != rs.size()) {
            return false;
        }
        for (int i = 0; i < maps.size(); i++) {
            if (maps.get(i) != rs.get(i).mapping() || smaps.get(i) != rs.get(i).smaps()) {
                return false;
            }
        }
        return true;
    }

    /** True when {@code maps} are the mappings of {@code regions}, in order, field by field. */
    static boolean sameMappings(List<Mapping> maps, List<Region> regions) {
        if (maps.size() != regions.size()) {
            return false;
        }
        for (int i = 0; i < maps.size(); i++) {
            if (!maps.get(i).equals(regions.get(i).mapping())) {
                return false;
            }
        }
        return true;
    }

    private static Map<Integer, Long> stackPointers(List<ThreadInfo> threads) {
        Map<Integer, Long> out = new HashMap<>();
        for (ThreadInfo ti : threads) {
            if (ti.stackPointer() != null) {
                out.put(ti.tid(), ti.stackPointer());
            }
        }
        return out;
    }

    /** smaps, read again once when a concurrent mmap/munmap tore it (records cannot be taken back mid-stream). */
    private static List<SmapsRecord> readSmaps(Target t, SmapsCache cache) {
        for (int attempt = 1; ; attempt++) {
            List<SmapsRecord> records = new ArrayList<>();
            try {
                t.smaps(records::add, cache);
                return records;
            } catch (MalformedProcFile e) {
                if (attempt >= 2 || !e.isTorn()) {
                    throw e;
                }
            }
        }
    }

    /**
     * The ELF headers of the file each mapping maps, read from that very file (map_files, else the target's own root),
     * never blocking and bounded in time and memory: see {@link MappedElf}. All from the directory the address space is
     * read through ({@code pidDir}: the process's, or a live thread's when the main thread has exited: pthread_exit).
     */
    private Function<Mapping, ElfLookup> elfResolver(Path pidDir, String exePath) {
        if (!procFs.isLive()) {
            return m -> ElfLookup.missing("a captured /proc tree holds no binaries", null);
        }
        return new MappedElf(pidDir, exePath, elfCache);
    }

    private static Boolean personalityNoRandomize(Target t) {
        Long persona = t.personality();
        return persona == null ? null : (persona & PersonalityParser.ADDR_NO_RANDOMIZE) != 0;
    }

    static AslrBases bases(List<Mapping> maps, String exePath, long startBrk, int randomizeVaSpace,
                           Boolean noRandomize) {
        Long exeBase = null;
        Long heapEnd = null;
        Long stackTop = null;
        Long stackStart = null;
        Long vdso = null;
        for (Mapping m : maps) {
            MappingPath p = m.path();
            if (exeBase == null && exePath != null && p.isFile() && p.name().equals(exePath) && m.offset() == 0) {
                exeBase = m.start();
            }
            switch (p.type()) {
                case HEAP:
                    heapEnd = m.end();
                    break;
                case STACK:
                    stackTop = m.end();
                    stackStart = m.start();
                    break;
                case VDSO:
                    vdso = m.start();
                    break;
                default:
                    break;
            }
        }
        // mmap_base: the kernel places mmaps top-down below the stack gap; the highest mapping below the stack that
        // is neither vdso/vvar nor the stack itself is the top of that area.
        Long mmapTop = null;
        for (Mapping m : maps) {
            MappingPath.Type ty = m.path().type();
            if (stackStart != null && Long.compareUnsigned(m.end(), stackStart) <= 0
                    && ty != MappingPath.Type.VDSO && ty != MappingPath.Type.VVAR
                    && ty != MappingPath.Type.VVAR_VCLOCK && ty != MappingPath.Type.STACK
                    && ty != MappingPath.Type.HEAP && !(exePath != null && m.path().isFile()
                    && m.path().name().equals(exePath))) {
                if (mmapTop == null || Long.compareUnsigned(m.end(), mmapTop) > 0) {
                    mmapTop = m.end();
                }
            }
        }
        Long heapStart = startBrk == 0 ? null : startBrk;
        Long brk = heapEnd != null ? heapEnd : heapStart;
        return new AslrBases(exeBase, heapStart, brk, stackTop, mmapTop, vdso, randomizeVaSpace, noRandomize);
    }

    private static Long containing(List<Mapping> maps, Long addr) {
        if (addr == null) {
            return null;
        }
        int i = Mapping.indexContaining(maps, addr);
        return i < 0 ? null : maps.get(i).start();
    }

    /** Reads a fact that may be refused (exe, syscall, limits of another user's process): null when denied. */
    private static <T> T optional(java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (AccessDenied e) {
            return null;
        }
    }
}

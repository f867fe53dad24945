package dev.inspector.core.session;

import dev.inspector.core.InspectorException;
import dev.inspector.core.MalformedProcFile;
import dev.inspector.core.analysis.SnapshotBuilder;
import dev.inspector.core.analysis.SnapshotOptions;
import dev.inspector.core.procfs.SmapsCache;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.ProcessIdentity;
import dev.inspector.core.model.ProcessSummary;
import dev.inspector.core.model.Smaps;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.procfs.ProcessFiles;
import dev.inspector.core.procfs.Target;
import dev.inspector.core.procfs.parse.Stat;
import dev.inspector.core.procfs.parse.Status;
import dev.inspector.core.residency.AddressTranslation;
import dev.inspector.core.residency.ClearRefs;
import dev.inspector.core.residency.HeatMap;
import dev.inspector.core.residency.MappingResidency;
import dev.inspector.core.residency.PagemapResidencySource;
import dev.inspector.core.residency.ResidencyOptions;
import dev.inspector.core.residency.ResidencyReport;
import dev.inspector.core.residency.ResidencyService;

import dev.inspector.core.model.KernelFeatures;
import dev.inspector.core.procfs.parse.KPageFlags;
import dev.inspector.core.procfs.parse.PagemapEntry;
import dev.inspector.core.residency.KPages;
import dev.inspector.core.residency.PageInfo;
import dev.inspector.core.residency.PagemapReader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One process under inspection: the single way every front end (maps, snapshot, pages, translate, watch, diff --after,
 * the TUI, the demos, the exporter) reads a process. It gives one snapshot ({@link #snapshot}), a refresh loop with a
 * listener ({@link #refresh}), page residency of any mapping at any resolution on demand ({@link #residency},
 * {@link #heatMap}), address translation ({@link #translate}) and, once the process is gone, how it ended
 * ({@link #exit}). Reading never changes the target; the two methods that do say so in their names
 * ({@link #markAccessed}, {@link #markWritten}).
 *
 * <p>The first snapshot records the process's identity (pid and start time); later snapshots of a PID that now belongs
 * to another process are refused. Not for concurrent use: a front end reads on one thread (the refresh loop's).
 */
public final class InspectionSession {

    private final Host host;
    private final int pid;
    private long startTime = -1;
    private ResidencyReport lastResidency;
    private final SmapsCache smapsCache = new SmapsCache();

    InspectionSession(Host host, int pid) {
        this.host = host;
        this.pid = pid;
    }

    public Host host() {
        return host;
    }

    public int pid() {
        return pid;
    }

    /** The start time (stat field 22) of the process the first snapshot saw, or -1 before it. */
    public long startTime() {
        return startTime;
    }

    /**
     * Everything {@code options} asks for at one instant. Residency, frames and the kernel layout need the kernel
     * features, which are probed on a second thread while smaps is read. A process that exits during the read is
     * {@code ProcessGone}; one whose PID was reused since the first snapshot is {@code ProcessGone} too.
     */
    public Snapshot snapshot(SnapshotOptions options) {
        return snapshot(options, null, null);
    }

    /**
     * The same, taking smaps figures (and the classification) over from {@code previous}, an earlier snapshot of this
     * session with the same options, where the kernel shows they did not move: see
     * {@link SnapshotBuilder#snapshot(int, SnapshotOptions, Snapshot, SmapsCache)}. Null reads everything. Either way
     * the session keeps its last smaps text, so records that did not change are not parsed again (a refresh loop's
     * case: this session then holds up to two copies of a smaps of up to 4 MiB).
     */
    public Snapshot snapshot(SnapshotOptions options, Snapshot previous) {
        return snapshot(options, previous, smapsCache);
    }

    private Snapshot snapshot(SnapshotOptions options, Snapshot previous, SmapsCache cache) {
        for (int attempt = 0; ; attempt++) {
            try {
                Snapshot s = snapshotOnce(options, previous, cache);
                lastRetries = attempt;
                return s;
            } catch (MalformedProcFile e) {
                if (!e.isTorn() || attempt >= TORN_RETRIES) {
                    lastRetries = attempt;
                    throw e;
                }
                pauseBeforeRetry(attempt);
            }
        }
    }

    /**
     * How often a read torn by the target changing its mappings (or by the thread it was read through exiting) is
     * tried again before the torn error is given up to the caller.
     */
    static final int TORN_RETRIES = 5;

    /** How many torn reads the last {@link #snapshot} tried again. */
    public int lastRetries() {
        return lastRetries;
    }

    private int lastRetries;

    /**
     * A short, growing pause (0, 1, 2, 4, 8 ms) so that a retry does not meet the same burst of mmap/munmap again; an
     * interrupt ends the wait and keeps the flag, the retry still happens.
     */
    private static void pauseBeforeRetry(int attempt) {
        if (attempt == 0) {
            return;
        }
        try {
            Thread.sleep(1L << (attempt - 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Snapshot snapshotOnce(SnapshotOptions options, Snapshot previous, SmapsCache cache) {
        boolean wantFeatures = options.residency() != SnapshotOptions.Residency.NONE || options.kernel()
                || options.pfn();
        if (wantFeatures && host.isLive()) {
            host.prefetchFeatures();
        }
        PagemapResidencySource[] used = new PagemapResidencySource[1];
        SnapshotBuilder b = host.builder(options.residency() == SnapshotOptions.Residency.NONE ? null
                : (p, regions, perPage, pfn) -> {
                    // Made only now, after smaps was read, so the probe ran meanwhile.
                    used[0] = new PagemapResidencySource(host.residency());
                    return used[0].apply(p, regions, perPage, pfn);
                }, wantFeatures);
        Snapshot s;
        try {
            s = b.snapshot(pid, options, previous, cache);
        } catch (RuntimeException e) {
            if (wantFeatures && host.isLive()) {
                host.features(); // a failed probe is the error reported, whatever the read hit meanwhile
            }
            throw e;
        }
        if (used[0] != null) {
            lastResidency = used[0].lastReport();
        }
        if ("Z".equals(s.process().state())) {
            leaderExitedEarly = true; // a snapshot of a zombie is one whose main thread exited and others live on
        }
        remember(s.process().startTime());
        return s;
    }

    /**
     * Who the process is, from stat, status and cmdline only: no walk of its address space, so a front end choosing
     * among every process on a host pays little for the ones it leaves out. {@code NoSuchProcess} when the pid does
     * not exist, {@code ProcessGone} when it exits during the read or its PID was reused since this session's first
     * read, {@code AccessDenied} only where /proc is mounted with hidepid=.
     */
    public ProcessIdentity identity() {
        Target t = Target.open(host.procFs(), pid);
        Stat stat = t.stat();
        Status status = t.status();
        java.util.List<String> cmdline = t.cmdline();
        remember(t.startTime());
        return new ProcessIdentity(pid, t.startTime(), stat.comm(), cmdline, status.uid().real(),
                stat.isKernelThread());
    }

    /**
     * The process's totals without classification: smaps_rollup (one pass of the kernel over its page tables), the
     * number of mappings (maps lines counted, not parsed), faults and threads from stat and the memory lines of
     * status. Much cheaper than {@link #snapshot} on a process with many mappings: no smaps text, no ELF files, no
     * threads' stack pointers. {@code AccessDenied} when this user may not read the process's memory files (another
     * user's process: smaps_rollup and maps need ptrace-read access); other errors as {@link #identity}.
     */
    public ProcessSummary summary() {
        Target t = Target.open(host.procFs(), pid);
        Stat stat = t.stat();
        Status status = t.status();
        java.util.List<String> cmdline = t.cmdline();
        Smaps rollup = null;
        int mappings = 0;
        if (!stat.isKernelThread()) {
            rollup = t.smapsRollup();
            mappings = t.files().countMappings();
        }
        // Faults and threads read last, so they are no older than the memory figures; then the identity check.
        Stat after = t.stat();
        remember(t.startTime());
        ProcessIdentity id = new ProcessIdentity(pid, t.startTime(), stat.comm(), cmdline, status.uid().real(),
                stat.isKernelThread());
        return new ProcessSummary(id, after.state(), after.minflt(), after.majflt(), after.numThreads(),
                status.memory(), rollup, mappings);
    }

    /** Records the identity of the first read; refuses a PID that now belongs to another process. */
    private void remember(long seen) {
        if (startTime < 0) {
            startTime = seen;
        } else if (seen != startTime) {
            throw new dev.inspector.core.ProcessGone(pid, "pid reused: start time " + seen + " != " + startTime);
        }
    }

    /** The residency report of the last snapshot that read residency (its path and why), or null. */
    public ResidencyReport lastResidencyReport() {
        return lastResidency;
    }

    /** Residency of some mappings (clipped parts allowed), with a heat map over [heat.start, heat.end) when given. */
    public ResidencyReport residency(List<Mapping> mappings, ResidencyOptions options, HeatMap heat) {
        return host.residency().scan(pid, mappings, options, heat);
    }

    /** Residency of one mapping (or part of one). */
    public MappingResidency residency(Mapping mapping, ResidencyOptions options) {
        return host.residency().scan(pid, mapping, options);
    }

    /** The most pages {@link #pages} returns for one range (1 GiB of 4 KiB pages). */
    public static final int MAX_PAGES = 1 << 18;

    /**
     * Every page of [start, end) (page-aligned by the caller) in full: its pagemap entry and, when {@code frames} and
     * this host may read /proc/kpageflags, the frame's flags and map count. For a few hundred pages of a stopped
     * target (a demo step); a range of more than {@link #MAX_PAGES} pages is an IllegalArgumentException. Read-only.
     */
    public List<PageInfo> pages(long start, long end, boolean frames) {
        int ps = host.basicInfo().pageSize();
        long n = Long.divideUnsigned(end - start, ps);
        if (Long.compareUnsigned(end, start) < 0 || n > MAX_PAGES) {
            throw new IllegalArgumentException("page range 0x" + Long.toHexString(start) + "-0x" + Long.toHexString(end)
                    + " is empty or longer than " + MAX_PAGES + " pages");
        }
        KernelFeatures f = host.features();
        List<PageInfo> out = new ArrayList<>((int) n);
        long[] raw = new long[(int) n];
        try (PagemapReader r = new PagemapReader(host.procFs(), pid, f)) {
            int[] i = {0};
            r.forEach(start, start + n * ps, (page, word) -> raw[i[0]++] = word);
        }
        long[] flags = new long[1];
        long[] count = new long[1];
        KPages kp = frames && f.kpageflags().available() && f.pfnsVisible().available() ? new KPages(host.procFs())
                : null;
        try {
            for (int i = 0; i < n; i++) {
                PagemapEntry e = PagemapEntry.of(raw[i], f.pfnsVisible().available());
                if (kp != null && e.present() && e.frame() == PagemapEntry.Frame.KNOWN) {
                    kp.read(e.pfn(), 1, flags, count);
                    out.add(new PageInfo(start + (long) i * ps, e, new KPageFlags(flags[0]), count[0]));
                } else {
                    out.add(new PageInfo(start + (long) i * ps, e, null, -1));
                }
            }
        } finally {
            if (kp != null) {
                kp.close();
            }
        }
        return out;
    }

    /**
     * Up to {@code len} bytes of the target's memory at {@code address}, through /proc/PID/mem: it neither stops the
     * target nor changes its pages (process_vm_readv would: see {@link dev.inspector.core.procfs.ProcessFiles#readMemory}).
     * Fewer bytes when the range runs into an unmapped page. Needs the same access as /proc/PID/mem (the same user or
     * root).
     */
    public byte[] readMemory(long address, int len) {
        return new dev.inspector.core.procfs.ProcessFiles(host.procFs(), pid).readMemory(address, len);
    }

    /**
     * A heat map of one mapping with {@code cells} cells (each a run of pages: present, zero page, swapped, huge,
     * file...), or null where pagemap has no entries ([vsyscall]). {@code frames}: read PFNs and kpageflags too
     * (root), which forces pagemap reads.
     */
    public RegionDetail heatMap(Mapping mapping, int cells, boolean frames) {
        if (!ResidencyService.coveredByPagemap(mapping)) {
            return new RegionDetail(null, null);
        }
        int ps = host.basicInfo().pageSize();
        HeatMap h = new HeatMap(mapping.start(), mapping.end(), (int) Math.max(1, Math.min(cells,
                mapping.size() / ps)), ps);
        ResidencyOptions o = ResidencyOptions.summary().withPfns(frames)
                .withKpageflags(frames && host.features().kpageflags().available());
        ResidencyReport r = host.residency().scan(pid, List.of(mapping), o, h);
        return new RegionDetail(r.mappings().isEmpty() ? null : r.mappings().get(0), h);
    }

    /** The residency of a region and its heat map. */
    public record RegionDetail(MappingResidency residency, HeatMap heat) {
    }

    /** Follows one virtual address through the page tables to its frame, or says why there is none. */
    public AddressTranslation.Result translate(long address) {
        var info = host.basicInfo();
        return new AddressTranslation(host.procFs(), host.features(), info.pagingLevels(), info.pageSize())
                .translate(pid, address);
    }

    /**
     * How the process ended, or null while it is still the same live process (a read failed for another reason, or
     * only its main thread exited: pthread_exit). The exit status comes from stat's exit_code while the process is a
     * zombie not yet reaped (Linux 3.5+; shown to readers that may ptrace it, as this session's reads proved we may;
     * others read 0). Once it was reaped, only its parent knew: unknown.
     */
    public TargetExit exitIfGone() {
        Instant now = Instant.now();
        ProcessFiles f = new ProcessFiles(host.procFs(), pid);
        Stat st;
        try {
            st = f.stat();
        } catch (InspectorException e) {
            return TargetExit.unknown(pid, now); // gone (reaped), or not ours to read any more
        }
        if (startTime >= 0 && st.startTime() != startTime) {
            return TargetExit.reused(pid, now);
        }
        if (!st.exitingOrDead() || f.liveThread() != 0) {
            return null;
        }
        if (st.state() == 'Z' && st.exitCode() != null) {
            if (leaderExitedEarly) {
                // stat shows the main thread's own exit code (pthread_exit: 0); the process's status was set later by
                // the last thread, and only wait(2) tells it.
                return new TargetExit(pid, now, null, "exited (its main thread had exited earlier, so stat's exit code"
                        + " is not the process's)", false);
            }
            return TargetExit.fromWaitStatus(pid, now, st.exitCode());
        }
        return TargetExit.unknown(pid, now);
    }

    /**
     * How the process ended, once it is gone ({@link #exitIfGone}); a process still alive is reported as unknown, so
     * ask {@link #exitIfGone} when that can happen.
     */
    public TargetExit exit() {
        TargetExit e = exitIfGone();
        return e != null ? e : TargetExit.unknown(pid, Instant.now());
    }

    /** Set when a snapshot found the main thread already exited (pthread_exit) with the process alive. */
    private boolean leaderExitedEarly;

    /**
     * CHANGES KERNEL STATE OF THE TARGET: writes 1 to its clear_refs, clearing the referenced bits of every page (this
     * also steers page reclaim). Returns the file written.
     */
    public Path markAccessed() {
        return new ClearRefs(host.procFs(), host.features()).markAccessed(pid);
    }

    /**
     * CHANGES KERNEL STATE OF THE TARGET: writes 4 to its clear_refs, clearing the soft-dirty bits. Refused (nothing
     * written, {@code UnsupportedFeature}) where the kernel has no soft-dirty tracking.
     */
    public Path markWritten() {
        return new ClearRefs(host.procFs(), host.features()).markWritten(pid);
    }

    /** {@code UnsupportedFeature} naming the alternatives when this kernel cannot track writes. */
    public void requireSoftDirty() {
        new ClearRefs(host.procFs(), host.features()).requireSoftDirty();
    }

    /** A refresh loop over this session: see {@link Refresh}. */
    public Refresh refresh(SnapshotOptions options, Duration interval, Refresh.Listener listener) {
        return new Refresh(this, options, interval, listener);
    }
}

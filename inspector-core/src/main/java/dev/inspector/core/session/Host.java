package dev.inspector.core.session;

import dev.inspector.core.analysis.SnapshotBuilder;
import dev.inspector.core.elf.ElfCache;
import dev.inspector.core.model.HostInfo;
import dev.inspector.core.model.KernelFeatures;
import dev.inspector.core.model.ProcessList;
import dev.inspector.core.procfs.HostFacts;
import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.procfs.ProcessScanner;
import dev.inspector.core.residency.ResidencySource;
import dev.inspector.core.residency.ResidencyService;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The machine being inspected, once per inspector process: the proc root, the host facts, the kernel-feature probe
 * and the caches every inspection shares (ELF files). A front end makes one ({@link #system} for the live kernel,
 * {@link #fixture} for a captured tree) and opens {@link InspectionSession}s on it; nothing here is a JVM-wide static.
 *
 * <p>The kernel-feature probe loads the native layer (~50 ms on a cold JVM). It runs only when something needs it
 * (residency, frames, translation, a full snapshot) and then on a second thread, so a snapshot's smaps read overlaps
 * it ({@link #prefetchFeatures()}). Thread-safe.
 */
public final class Host {

    private final ProcFs procFs;
    private final HostFacts facts;
    private final String toolVersion;
    private final boolean live;
    private final Clock clock;
    private final ElfCache elfCache = new ElfCache();
    private final FutureTask<KernelFeatures> probe;
    private volatile HostInfo basic;
    private volatile HostInfo full;
    private volatile ResidencyService residency;

    private Host(ProcFs procFs, HostFacts facts, String toolVersion, boolean live, Clock clock,
                 FutureTask<KernelFeatures> probe) {
        this.procFs = procFs;
        this.facts = facts;
        this.toolVersion = toolVersion;
        this.live = live;
        this.clock = clock;
        this.probe = probe;
    }

    /** The running kernel, through /proc and /sys. */
    public static Host system(String toolVersion) {
        ProcFs fs = ProcFs.system();
        return new Host(fs, new HostFacts(fs), toolVersion, true, Clock.systemUTC(),
                new FutureTask<>(() -> new KernelProbe(fs).probe()));
    }

    /**
     * A captured tree ({@code root}/proc and {@code root}/sys, as the fixture script writes them): nothing can be probed
     * there, so every kernel feature is unavailable with that reason, and residency is not offered.
     */
    public static Host fixture(Path procRoot, String toolVersion) {
        return fixture(procRoot, toolVersion, Clock.systemUTC());
    }

    /** The same with the clock that stamps snapshots: a fixed one (the capture's time) makes them reproducible. */
    public static Host fixture(Path procRoot, String toolVersion, Clock clock) {
        ProcFs fs = new ProcFs(procRoot);
        KernelFeatures none = KernelFeatures.none("a captured /proc tree (" + procRoot + "): nothing to probe");
        FutureTask<KernelFeatures> done = new FutureTask<>(() -> none);
        done.run();
        return new Host(fs, new HostFacts(fs), toolVersion, false, clock, done);
    }

    public ProcFs procFs() {
        return procFs;
    }

    public String toolVersion() {
        return toolVersion;
    }

    /** True for the running kernel (ioctls, frames and residency are possible), false for a captured tree. */
    public boolean isLive() {
        return live;
    }

    /** A positive decimal PID, or {@code self} for the inspector's own; IllegalArgumentException naming the text. */
    public static int parsePid(String text) {
        return ProcFs.parsePid(text);
    }

    /** This process's own pid (the inspector's JVM), for {@code self}. */
    public int selfPid() {
        return ProcFs.selfPid();
    }

    /** The file-based host facts, without the probe (kernel features null). Read once. */
    public HostInfo basicInfo() {
        HostInfo h = basic;
        if (h == null) {
            h = facts.basic();
            basic = h;
        }
        return h;
    }

    /** The host facts with the probed kernel features. Read once; waits for the probe. */
    public HostInfo info() {
        HostInfo h = full;
        if (h == null) {
            KernelFeatures f = features();
            h = facts.withFeatures(live ? f.toModel() : null);
            full = h;
        }
        return h;
    }

    /** Starts the kernel-feature probe on a second thread if it has not run yet; returns at once. */
    public void prefetchFeatures() {
        if (!probe.isDone()) {
            synchronized (probe) {
                if (!started) {
                    started = true;
                    Thread t = new Thread(probe, "kernel-features");
                    t.setDaemon(true);
                    t.start();
                }
            }
        }
    }

    private boolean started;

    /** What this kernel and our privileges allow; probes on first use (a typed error of the probe is rethrown). */
    public KernelFeatures features() {
        if (!probe.isDone()) {
            synchronized (probe) {
                if (!started) {
                    started = true;
                    probe.run(); // nobody prefetched: probe on this thread
                }
            }
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return probe.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the probe is short and cannot hang: finish waiting, keep the flag
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof RuntimeException r) {
                        throw r;
                    }
                    if (c instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException("kernel-feature probe failed: " + c, c);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Page residency through PAGEMAP_SCAN or pagemap reads, with this host's features. */
    public ResidencyService residency() {
        ResidencyService r = residency;
        if (r == null) {
            r = new ResidencyService(procFs, features());
            residency = r;
        }
        return r;
    }

    /** Every process, for ps and the process picker; vanished and refused ones are counted, not fatal. */
    public ProcessList processes() {
        return ProcessScanner.scan(procFs);
    }

    /** The pids in the proc root now, ascending (a process may be gone by the time it is read). */
    public java.util.List<Integer> pids() {
        return ProcessScanner.pids(procFs);
    }

    /**
     * uid to user name from the passwd file beside the proc root ({@code /etc/passwd} for {@code /proc}), read at each
     * call (users are added while a long-running front end runs); empty when there is none.
     */
    public java.util.Map<Integer, String> users() {
        return ProcessScanner.users(procFs);
    }

    /** An inspection of one process. {@code pid} is looked up at the first read, not here. */
    public InspectionSession session(int pid) {
        return new InspectionSession(this, pid);
    }

    /** A snapshot builder with this host's caches; residency through {@code source} (null: none). */
    SnapshotBuilder builder(ResidencySource source, boolean wantFeatures) {
        return new SnapshotBuilder(procFs, wantFeatures ? this::info : this::basicInfo, source, toolVersion, elfCache,
                clock);
    }
}

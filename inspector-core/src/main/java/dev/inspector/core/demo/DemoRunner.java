package dev.inspector.core.demo;

import dev.inspector.core.BadInput;
import dev.inspector.core.InspectorException;
import dev.inspector.core.ProcessGone;
import dev.inspector.core.SampleFailed;
import dev.inspector.core.analysis.SnapshotOptions;
import dev.inspector.core.claims.Check;
import dev.inspector.core.claims.Expectation;
import dev.inspector.core.claims.Outcome;
import dev.inspector.core.diff.SnapshotDiff;
import dev.inspector.core.elf.ElfFile;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.model.ThreadInfo;
import dev.inspector.core.procfs.KernelFiles;
import dev.inspector.core.procfs.KernelSettings;
import dev.inspector.core.procfs.ProcessFiles;
import dev.inspector.core.residency.PageInfo;
import dev.inspector.core.residency.ResidencyService;
import dev.inspector.core.session.Host;
import dev.inspector.core.session.InspectionSession;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link Demo}: starts its sample in pause mode and, at every stop, measures the {@link DemoEvidence} (through
 * the inspection session: a snapshot, the pagemap of every announced address and range, frames and kpageflags as
 * root, the step's probes, the kernel's settings), works out the change since the process's previous stop, judges
 * each claim of the step through the claims engine, hands the {@link StepReport} to the listener while the process
 * is still stopped, and only then lets it continue. A sample that breaks its protocol or ends with another status
 * than the demo expects is {@link SampleFailed}. Reading never changes the sample.
 */
public final class DemoRunner {

    /** What a front end does with a run as it goes: both callbacks may block (waiting for Enter) or throw to stop. */
    public interface Listener {
        /** The sample was started: its command and pid. */
        default void started(Demo demo, List<String> command, int pid) {
        }

        /** A stop, judged; the process stays stopped until this returns. */
        void stopped(StepReport report);
    }

    private final Host host;
    private final SampleDirectory samples;
    private final Duration timeout;
    private final Map<String, List<Expectation<DemoEvidence>>> extra = new HashMap<>();

    public DemoRunner(Host host, SampleDirectory samples, Duration timeout) {
        if (!host.isLive()) {
            throw new BadInput("a demo runs a sample on the live kernel, not on " + host.procFs().root());
        }
        this.host = host;
        this.samples = samples;
        this.timeout = timeout;
    }

    /** Adds an expectation to every stop named {@code stepName}, judged after the step's own claims. */
    public DemoRunner expect(String stepName, Expectation<DemoEvidence> e) {
        extra.computeIfAbsent(stepName, k -> new ArrayList<>()).add(e);
        return this;
    }

    /** Runs {@code demo} with its own arguments, or {@code args} instead when not empty. */
    public DemoRun run(Demo demo, List<String> args, Listener listener) {
        for (String step : extra.keySet()) {
            if (demo.step(step) == null) {
                throw new IllegalArgumentException("demo '" + demo.name() + "' has no step '" + step + "'");
            }
        }
        List<String> useArgs = args.isEmpty() ? demo.args() : args;
        String missing = samples.unavailable(demo.program()).orElse(null);
        if (missing != null) {
            return unavailable(demo, missing);
        }
        try {
            return follow(demo, useArgs, listener);
        } catch (ProcessGone e) {
            // The sample ended where the demo expected a step (a crash, or arguments it refused).
            throw new SampleFailed(demo.program() + " ended before the demo did: " + e.getMessage(), e);
        }
    }

    private DemoRun follow(Demo demo, List<String> useArgs, Listener listener) {
        try (SampleProgram p = samples.start(demo.env(), demo.program(), useArgs.toArray(new String[0]))) {
            listener.started(demo, p.command(), p.pid());
            List<StepReport> reports = new ArrayList<>();
            List<SampleStep> seen = new ArrayList<>();
            Map<Integer, DemoEvidence> lastByPid = new HashMap<>();
            Map<Integer, InspectionSession> sessions = new HashMap<>();
            Map<String, DemoEvidence.ExeImage> images = new HashMap<>();
            while (true) {
                SampleStep s = p.awaitNext(timeout);
                DemoStep ds = demo.step(s.name());
                if (ds == null) {
                    throw new SampleFailed(p + " announced step '" + s.name() + "', which demo '" + demo.name()
                            + "' does not know; rebuild the samples with 'mvn -pl native-samples compile'");
                }
                InspectionSession session = sessions.computeIfAbsent(s.pid(), pid -> host.session(pid));
                DemoEvidence prev = lastByPid.get(s.pid());
                DemoEvidence ev = measure(demo, ds, s, seen, prev, session, sessions, images, useArgs);
                StepChange change = prev == null ? StepChange.none()
                        : StepChange.between(prev, ev, SnapshotDiff.compare(prev.now(), ev.now()));
                List<Expectation<DemoEvidence>> all = new ArrayList<>(ds.claims());
                all.addAll(extra.getOrDefault(s.name(), List.of()));
                List<Check> checks = Expectation.checkAll(all, ev);
                StepReport r = new StepReport(reports.size() + 1, ds, s, ds.narrate(s), ev, change, checks,
                        checks.isEmpty() ? null : Outcome.of(checks, "claims"));
                reports.add(r);
                seen.add(s);
                lastByPid.put(s.pid(), ev);
                listener.stopped(r);
                p.cont();
                if (demo.last().contains(s.name()) && s.pid() == p.pid()) {
                    break;
                }
            }
            int status = p.awaitExit(timeout);
            int expected = demo.expectedExit(useArgs);
            if (status != expected) {
                throw new SampleFailed(p + " ended with status " + status + " where " + expected + " was expected;"
                        + " stderr: " + Children.tail(p.stderr()));
            }
            return new DemoRun(demo, p.command(), p.pid(), reports, status, null, List.of());
        }
    }

    /** The run of a demo whose sample cannot run here: each of its claims cannot be checked, for that reason. */
    static DemoRun unavailable(Demo demo, String missing) {
        List<Check> skipped = new ArrayList<>();
        java.util.Set<dev.inspector.core.claims.Claim> seen = new java.util.HashSet<>();
        for (DemoStep s : demo.steps()) {
            for (Expectation<DemoEvidence> e : s.claims()) {
                if (seen.add(e.claim())) {
                    skipped.add(Check.unmeasured(e.claim(), "the sample '" + demo.program() + "' cannot run here: "
                            + missing));
                }
            }
        }
        return new DemoRun(demo, List.of(), 0, List.of(), -1, missing, skipped);
    }

    // ---- measuring one stop -------------------------------------------------------------------------------------

    private DemoEvidence measure(Demo demo, DemoStep ds, SampleStep s, List<SampleStep> seen, DemoEvidence prev,
                                 InspectionSession session, Map<Integer, InspectionSession> sessions,
                                 Map<String, DemoEvidence.ExeImage> images, List<String> args) {
        Snapshot now = session.snapshot(new SnapshotOptions(true, true, false, SnapshotOptions.Residency.NONE,
                false));
        Map<String, DemoEvidence.Located> addresses = new LinkedHashMap<>();
        Map<String, List<PageInfo>> ranges = new LinkedHashMap<>();
        for (Map.Entry<String, String> kv : s.values().entrySet()) {
            String key = kv.getKey();
            if (key.startsWith("addr.")) {
                String label = key.substring(5);
                addresses.put(label, locate(session, now, label, s.addr(label)));
            } else if (key.startsWith("range.")) {
                String label = key.substring(6);
                SampleStep.Range r = s.range(label);
                List<PageInfo> pages = pages(session, r);
                if (pages != null) {
                    ranges.put(label, pages);
                }
            }
        }
        int peerPid = peerOf(s);
        Map<String, DemoEvidence.Located> peer = new LinkedHashMap<>();
        Map<String, byte[]> peerMemory = new LinkedHashMap<>();
        InspectionSession peerSession = null;
        if (peerPid > 0 && SampleProgram.state(peerPid) != '?' && SampleProgram.state(peerPid) != 'Z') {
            peerSession = sessions.computeIfAbsent(peerPid, pid -> host.session(pid));
            try {
                Snapshot ps = peerSession.snapshot(new SnapshotOptions(false, false, false,
                        SnapshotOptions.Residency.NONE, false));
                for (String label : addresses.keySet()) {
                    peer.put(label, locate(peerSession, ps, label, s.addr(label)));
                }
            } catch (InspectorException e) {
                peer.clear(); // it exited meanwhile: no peer evidence, and judges say so
            }
        }
        Map<String, byte[]> memory = new LinkedHashMap<>();
        for (String label : ds.probes().peek()) {
            if (s.has("addr." + label)) {
                put(memory, label, read(session, s.addr(label)));
                if (peerSession != null && !peer.isEmpty()) {
                    put(peerMemory, label, read(peerSession, s.addr(label)));
                }
            }
        }
        DemoEvidence.ExeImage exe = images.computeIfAbsent(now.process().exe() == null ? "" : now.process().exe(),
                path -> image(s.pid(), now));
        Map<String, byte[]> exeBytes = new LinkedHashMap<>();
        for (String label : ds.probes().exeBytes()) {
            DemoEvidence.Located l = addresses.get(label);
            if (l != null && l.mapped() && l.mapping().path().isFile()
                    && l.mapping().path().name().equals(now.process().exe())) {
                Mapping m = l.mapping();
                try {
                    exeBytes.put(label, new ProcessFiles(host.procFs(), s.pid())
                            .readExe(m.offset() + (l.address() - m.start()), 16));
                } catch (InspectorException e) {
                    // not readable: the judge says the file could not be compared
                }
            }
        }
        Map<Integer, String> kernelStacks = new LinkedHashMap<>();
        if (ds.probes().kernelStacks()) {
            ProcessFiles f = new ProcessFiles(host.procFs(), s.pid());
            for (ThreadInfo t : now.threads()) {
                try {
                    String k = f.taskKernelStack(t.tid());
                    kernelStacks.put(t.tid(), k == null ? "" : k);
                } catch (InspectorException e) {
                    kernelStacks.put(t.tid(), "");
                }
            }
        }
        SampleStep rerun = null;
        String rerunMissing = null;
        if (ds.probes().rerun()) {
            try {
                ProgramRun run = samples.run(timeout, demo.program(), args.toArray(new String[0]));
                for (String line : run.stdout().split("\n")) {
                    if (SampleStep.isStep(line) && SampleStep.parse(line).name().equals(s.name())) {
                        rerun = SampleStep.parse(line);
                        break;
                    }
                }
                if (rerun == null) {
                    rerunMissing = "a second run of " + demo.program() + " announced no step '" + s.name()
                            + "' (exit " + run.exitCode() + ")";
                }
            } catch (InspectorException e) {
                rerunMissing = "a second run of " + demo.program() + " failed: " + e.getMessage();
            }
        }
        return new DemoEvidence(s, seen, now, prev, addresses, ranges, peerPid, peer, memory, peerMemory, exeBytes,
                exe, host.basicInfo(), host.features(), kernelState(), kernelStacks, rerun, rerunMissing);
    }

    private static void put(Map<String, byte[]> into, String label, byte[] b) {
        if (b != null) {
            into.put(label, b);
        }
    }

    private static byte[] read(InspectionSession session, long addr) {
        try {
            byte[] b = session.readMemory(addr, 16);
            return b.length == 0 ? null : b;
        } catch (InspectorException e) {
            return null; // unmapped, or not ours to read: the judge says it could not read
        }
    }

    private DemoEvidence.Located locate(InspectionSession session, Snapshot snap, String label, long addr) {
        Region r = DemoEvidence.regionAt(snap, addr);
        PageInfo page = null;
        if (r != null && ResidencyService.coveredByPagemap(r.mapping())) {
            long pageAddr = addr & -(long) host.basicInfo().pageSize();
            page = session.pages(pageAddr, pageAddr + host.basicInfo().pageSize(), true).get(0);
        }
        return new DemoEvidence.Located(label, addr, r, page);
    }

    /** Every page a range touches (lo may lie inside a page), or null when it is empty or too long to walk. */
    private List<PageInfo> pages(InspectionSession session, SampleStep.Range r) {
        long ps = host.basicInfo().pageSize();
        long lo = r.lo() & -ps;
        long hi = (r.hi() + ps - 1) & -ps;
        if (Long.compareUnsigned(hi, lo) <= 0 || Long.divideUnsigned(hi - lo, ps) > InspectionSession.MAX_PAGES
                || lo < 0 || hi < 0) {
            return null;
        }
        return session.pages(lo, hi, true);
    }

    private static int peerOf(SampleStep s) {
        for (String key : List.of("child_pid", "parent_pid")) {
            if (s.has(key)) {
                try {
                    return (int) s.number(key);
                } catch (InspectorException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    private DemoEvidence.ExeImage image(int pid, Snapshot now) {
        String path = now.process().exe();
        if (path == null) {
            return new DemoEvidence.ExeImage(null, null, 0, "the process has no executable link");
        }
        ElfFile elf;
        try {
            elf = ElfFile.read(new ProcessFiles(host.procFs(), pid).file("exe"));
        } catch (InspectorException | java.io.UncheckedIOException e) {
            return new DemoEvidence.ExeImage(path, null, 0, "its ELF headers cannot be read: " + e.getMessage());
        }
        long minVaddr = Long.MAX_VALUE;
        for (ElfFile.ProgramHeader h : elf.programHeaders()) {
            if (h.isLoad()) {
                minVaddr = Math.min(minVaddr, h.vaddr());
            }
        }
        long ps = host.basicInfo().pageSize();
        for (Region r : now.regions()) {
            Mapping m = r.mapping();
            if (m.path().isFile() && m.path().name().equals(path) && m.offset() == 0 && minVaddr != Long.MAX_VALUE) {
                return new DemoEvidence.ExeImage(path, elf, m.start() - (minVaddr & -ps), null);
            }
        }
        return new DemoEvidence.ExeImage(path, null, 0, "no mapping of the executable at file offset 0");
    }

    private DemoEvidence.KernelState kernelState() {
        KernelSettings k = new KernelSettings(host.procFs());
        KernelFiles f = new KernelFiles(host.procFs());
        return new DemoEvidence.KernelState(k.meminfo(), k.hugePools(), k.thpEnabled(), k.maxMapCount(),
                k.randomizeVaSpace(), k.meltdown(), k.cpu(), k.kcoreExists(), k.devMemExists(), f.cmdline(),
                f.systemRam(), k.hugePoolsDir().toString(), k.mmapRndBits(), k.mmapRndCompatBits());
    }
}

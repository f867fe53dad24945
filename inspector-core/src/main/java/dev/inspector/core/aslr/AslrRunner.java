package dev.inspector.core.aslr;

import dev.inspector.core.BadInput;
import dev.inspector.core.InspectorException;
import dev.inspector.core.SampleFailed;
import dev.inspector.core.demo.ProgramRun;
import dev.inspector.core.demo.SampleDirectory;
import dev.inspector.core.demo.SampleProgram;
import dev.inspector.core.demo.SampleStep;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;
import dev.inspector.core.procfs.KernelSettings;
import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.procfs.ProcessFiles;
import dev.inspector.core.procfs.parse.Auxv;
import dev.inspector.core.procfs.parse.Stat;
import dev.inspector.core.session.Host;
import dev.inspector.core.sys.Sys;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Runs a program many times and reads the base of each region kind in every run: the {@code aslr} sample (held alive
 * after its {@code layout} step with SAMPLE_NOPAUSE=1 SAMPLE_HOLD=1), or any command (read as soon as its exec has
 * finished, then ended with SIGTERM: it runs only long enough to be laid out). The bases come from the kernel's own
 * files of the run: the program's first mapping, start_brk and startstack of stat, AT_BASE and AT_SYSINFO_EHDR of
 * auxv, and each library's first mapping once the loader has mapped it.
 *
 * <p>{@code noRandomize}: every run is started with ADDR_NO_RANDOMIZE added to the persona of the thread that starts
 * it ({@link Sys#withPersonality}), which fork and exec pass on to the child: no wrapper program is involved, and the
 * child's /proc/PID/personality shows the flag.
 */
public final class AslrRunner {

    /** Kind names. */
    public static final String PROGRAM = "program";
    public static final String HEAP = "heap";
    public static final String STACK = "stack";
    public static final String LOADER = "loader";
    public static final String VDSO = "vdso";
    public static final String MMAP = "mmap";
    /** The heap's start relative to the program: the brk randomisation alone. */
    public static final String HEAP_OFFSET = "heap-program";
    /** Prefix of a library's kind. */
    public static final String LIB = "lib:";

    /** Consecutive runs of a command that may exit before their layout is read before we give up. */
    static final int MAX_MISSED = 3;

    private final Host host;
    private final ProcFs fs;
    private final Duration timeout;

    public AslrRunner(Host host, Duration timeout) {
        if (!host.isLive()) {
            throw new BadInput("ASLR runs programs on the live kernel, not on " + host.procFs().root());
        }
        this.host = host;
        this.fs = host.procFs();
        this.timeout = timeout;
    }

    /** The kernel's side, read now: randomize_va_space, vm.mmap_rnd_bits and the compat bits (root only). */
    public AslrReport.Settings settings() {
        KernelSettings k = new KernelSettings(fs);
        return new AslrReport.Settings(k.randomizeVaSpace().value(), k.mmapRndBits().value(),
                k.mmapRndCompatBits().value(), host.basicInfo().kernelRelease());
    }

    /** What to run: the sample (from {@code samples}) when {@code command} is empty, else the command. */
    public record Subject(SampleDirectory samples, List<String> command) {
        public Subject {
            command = List.copyOf(command);
        }

        public boolean isSample() {
            return command.isEmpty();
        }

        public List<String> display() {
            return isSample() ? List.of(samples.path().resolve("aslr").toString()) : command;
        }
    }

    /** Runs {@code subject} {@code runs} times; {@code progress} hears the number of runs done after each. */
    public List<AslrSample> run(Subject subject, int runs, boolean noRandomize, IntConsumer progress) {
        if (runs < 1) {
            throw new IllegalArgumentException("--runs must be at least 1, not " + runs);
        }
        List<AslrSample> out = new ArrayList<>(runs);
        int missed = 0;
        while (out.size() < runs) {
            AslrSample s = subject.isSample() ? sampleRun(subject.samples(), noRandomize)
                    : commandRun(subject.command(), noRandomize);
            if (s == null) {
                if (++missed >= MAX_MISSED) {
                    throw new SampleFailed(String.join(" ", subject.command()) + " exited " + MAX_MISSED + " times"
                            + " before its layout could be read; give a command that runs for a moment (e.g."
                            + " 'sleep 1')");
                }
                continue;
            }
            missed = 0;
            out.add(s);
            progress.accept(out.size());
        }
        return out;
    }

    private static <T> T launch(boolean noRandomize, java.util.function.Supplier<T> start) {
        return noRandomize ? Sys.withPersonality(Sys.ADDR_NO_RANDOMIZE, start) : start.get();
    }

    private AslrSample sampleRun(SampleDirectory samples, boolean noRandomize) {
        Map<String, String> env = new HashMap<>();
        env.put("SAMPLE_NOPAUSE", "1");
        env.put("SAMPLE_HOLD", "1");
        try (SampleProgram p = launch(noRandomize, () -> samples.start(env, "aslr"))) {
            SampleStep layout = p.awaitStep("layout", timeout);
            awaitBlocked(p.pid());
            AslrSample s = read(p.pid(), layout);
            p.releaseHold();
            p.awaitStep("done", timeout);
            int status = p.awaitExit(timeout);
            if (status != 0) {
                throw new SampleFailed(p + " ended with status " + status + "; stderr: " + p.stderr().strip());
            }
            return s;
        }
    }

    private AslrSample commandRun(List<String> command, boolean noRandomize) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = launch(noRandomize, () -> {
            try {
                return pb.start();
            } catch (IOException e) {
                throw new BadInput("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
            }
        });
        try {
            int pid = (int) p.pid();
            if (!awaitExec(p, pid)) {
                return null;
            }
            AslrSample core = read(pid, null);
            awaitBlocked(pid);
            try {
                return read(pid, null); // with the libraries the loader has mapped by now
            } catch (InspectorException e) {
                return core; // it exited meanwhile: the bases read at exec stand
            }
        } catch (InspectorException e) {
            if (p.isAlive()) {
                throw e;
            }
            return null; // exited before its layout was read
        } finally {
            p.destroy();
            try {
                if (!p.waitFor(2, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The JVM's own launcher binaries: a child running one of them has not exec'd the command yet. */
    private static final Set<String> LAUNCHERS = Set.of(
            Paths.get(System.getProperty("java.home"), "lib", "jspawnhelper").toString(),
            Paths.get(System.getProperty("java.home"), "bin", "java").toString());

    /**
     * Waits until the child runs the command and its exec has finished: /proc/PID/exe is no longer the JVM's launcher,
     * auxv has been written and start_brk set (the kernel writes auxv, then sets and randomises the break, all before
     * the first instruction; reading start_brk twice 1 ms apart makes sure the randomisation is done). False when the
     * command exited first.
     */
    private boolean awaitExec(Process p, int pid) {
        ProcessFiles f = new ProcessFiles(fs, pid);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                return false;
            }
            try {
                MappingPath exe = f.exe();
                if (exe != null && !LAUNCHERS.contains(exe.name()) && !isSelfExe(exe.name())) {
                    Auxv a = f.auxv();
                    Stat st = f.stat();
                    if (a.get(Auxv.AT_ENTRY) != null && st.startBrk() != null && st.startBrk() != 0) {
                        Thread.sleep(1);
                        if (f.stat().startBrk().equals(st.startBrk())) {
                            return true;
                        }
                    }
                }
                Thread.sleep(0, 200_000);
            } catch (InspectorException e) {
                if (!p.isAlive()) {
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SampleFailed("interrupted while waiting for " + pid + " to exec");
            }
        }
        throw new SampleFailed("process " + pid + " did not finish its exec within " + timeout.toSeconds() + " s");
    }

    private boolean isSelfExe(String path) {
        try {
            MappingPath me = new ProcessFiles(fs, ProcFs.selfPid()).exe();
            return me != null && me.name().equals(path);
        } catch (InspectorException e) {
            return false;
        }
    }

    /** Waits (at most 200 ms) until the process sleeps: a dynamic program has then mapped its libraries. */
    private void awaitBlocked(int pid) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        while (System.nanoTime() < deadline) {
            char st = SampleProgram.state(pid);
            if (st != 'R') {
                return;
            }
            Thread.onSpinWait();
        }
    }

    /** The bases of one live run, plus the announced addresses of the sample's layout step when given. */
    AslrSample read(int pid, SampleStep layout) {
        ProcessFiles f = new ProcessFiles(fs, pid);
        Stat st = f.stat();
        Auxv aux = f.auxv();
        List<Mapping> maps = f.maps();
        MappingPath exe = f.exe();
        Long persona = f.personality();
        Map<String, Long> bases = new LinkedHashMap<>();
        Map<String, Long> sizes = new LinkedHashMap<>();
        Map<String, long[]> extents = new LinkedHashMap<>();
        for (Mapping m : maps) {
            if (!m.path().isFile()) {
                continue;
            }
            String path = m.path().name();
            long[] ext = extents.computeIfAbsent(path, k -> new long[] {m.start(), m.end()});
            ext[1] = Math.max(ext[1], m.end());
            if (m.offset() == 0 && exe != null && path.equals(exe.name())) {
                bases.putIfAbsent(PROGRAM, m.start());
            }
        }
        if (st.startBrk() != null && st.startBrk() != 0) {
            bases.put(HEAP, st.startBrk());
            if (bases.containsKey(PROGRAM)) {
                bases.put(HEAP_OFFSET, st.startBrk() - bases.get(PROGRAM));
            }
        }
        if (st.startStack() != 0) {
            bases.put(STACK, st.startStack());
        }
        Long base = aux.get(Auxv.AT_BASE);
        if (base != null && base != 0) {
            bases.put(LOADER, base);
        }
        if (aux.vdso() != null && aux.vdso() != 0) {
            bases.put(VDSO, aux.vdso());
        }
        if (layout != null && layout.has("addr.mmap_anon")) {
            bases.put(MMAP, layout.addr("mmap_anon"));
        }
        for (Map.Entry<String, long[]> e : extents.entrySet()) {
            String path = e.getKey();
            String file = Path.of(path).getFileName().toString();
            if (exe != null && path.equals(exe.name()) || !file.contains(".so")) {
                continue; // the program itself, or a data file (locale archives ...)
            }
            for (Mapping m : maps) {
                if (m.path().isFile() && m.path().name().equals(path) && m.offset() == 0) {
                    String name = LIB + file;
                    bases.putIfAbsent(name, m.start());
                    sizes.putIfAbsent(name, e.getValue()[1] - e.getValue()[0]);
                    break;
                }
            }
        }
        return new AslrSample(pid, persona == null ? -1 : persona, bases, sizes);
    }

    /**
     * A forked child keeps its parent's layout: the {@code cow_fork} sample's parent and child announce the same
     * addresses. Returns the evidence in one line, or null when the sample cannot be run.
     */
    public String forkKeepsLayout(SampleDirectory samples) {
        ProgramRun r;
        try {
            r = samples.run(timeout, "cow_fork");
        } catch (InspectorException e) {
            return null;
        }
        SampleStep parent = null;
        SampleStep child = null;
        for (String line : r.stdout().split("\n")) {
            if (SampleStep.isStep(line)) {
                SampleStep s = SampleStep.parse(line);
                parent = s.name().equals("parent_before_fork") ? s : parent;
                child = s.name().equals("child_before_write") ? s : child;
            }
        }
        if (parent == null || child == null) {
            return null;
        }
        boolean same = parent.addr("global") == child.addr("global") && parent.addr("anon") == child.addr("anon");
        return "cow_fork: the child (pid " + child.pid() + ") announced " + (same ? "the same" : "other")
                + " addresses as its parent (pid " + parent.pid() + "): global 0x" + Long.toHexString(child.addr("global"))
                + ", anon 0x" + Long.toHexString(child.addr("anon"));
    }
}

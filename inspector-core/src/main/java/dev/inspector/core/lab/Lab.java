package dev.inspector.core.lab;

import dev.inspector.core.BadInput;
import dev.inspector.core.claims.Check;
import dev.inspector.core.claims.Expectation;
import dev.inspector.core.claims.Outcome;
import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.model.KernelFeatures;
import dev.inspector.core.sys.Sys;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Experiments the inspector performs on its OWN process (never on a target) through JNA, each measured before and
 * after with the readers a user points at any process (maps and smaps, pagemap, the lab thread's stat, brk(0)), and
 * judged through the claims engine ({@link dev.inspector.core.claims}).
 *
 * <p>The region steps run in order on one private anonymous region of {@code pages} pages: mmap, read, write,
 * mprotect, unprotect, madvise, name, munmap. The {@code brk} step is independent. {@link Experiments} makes the calls
 * and measures; this class orders the steps and judges each from its evidence: every expectation is judged on
 * measurements taken at that moment, and {@link #expect} adds expectations to a step (a wrong one yields DIFFERS).
 * Nothing here formats: views render {@link StepResult}s.
 *
 * <p>Only the lab's own range and its neighbouring lines are observed, because the JVM maps memory concurrently.
 * {@link #close()} unmaps the region and restores the break if a run stopped half-way. Not thread-safe: run a lab on
 * one thread (its faults are counted on that thread).
 */
public final class Lab implements AutoCloseable {

    public static final String MMAP = "mmap";
    public static final String READ = "read";
    public static final String WRITE = "write";
    public static final String MPROTECT = "mprotect";
    public static final String UNPROTECT = "unprotect";
    public static final String MADVISE = "madvise";
    public static final String NAME = "name";
    public static final String MUNMAP = "munmap";
    public static final String BRK = "brk";

    /** The name the {@code name} step gives the region: shown as {@code [anon:inspector-lab]}. */
    public static final String ANON_NAME = "inspector-lab";

    /** Every step in the order {@link #runAll()} runs them. */
    public static final List<LabStep> STEPS = List.of(
            new LabStep(MMAP, "map anonymous pages: a new mapping, nothing resident"),
            new LabStep(READ, "read every page: present, all on the shared zero page, no memory used"),
            new LabStep(WRITE, "write some pages: those get frames of their own"),
            new LabStep(MPROTECT, "make the middle page read-only: one mapping splits into three"),
            new LabStep(UNPROTECT, "make it writable again: the three merge back into one"),
            new LabStep(MADVISE, "madvise(MADV_DONTNEED): residency drops to nothing, the mapping stays"),
            new LabStep(NAME, "name the region with prctl: [anon:" + ANON_NAME + "] appears in maps"),
            new LabStep(MUNMAP, "munmap: the mapping disappears"),
            new LabStep(BRK, "move the program break up and back: [heap] grows and shrinks"));

    /** The region steps, each needing the ones before it. */
    private static final List<String> CHAIN = List.of(MMAP, READ, WRITE, MPROTECT, UNPROTECT, MADVISE, NAME, MUNMAP);

    /** At most 1 GiB of 4 KiB pages: the write step allocates real memory. */
    public static final int MAX_PAGES = 262_144;

    /** What to run: {@code pages} in the region (at least 3, for a middle page), {@code write} of them written. */
    public record Options(int pages, int write) {
        public Options {
            if (pages < 3 || pages > MAX_PAGES) {
                throw new IllegalArgumentException("--pages must be between 3 and " + MAX_PAGES + ", not " + pages);
            }
            if (write < 0 || write > pages) {
                throw new IllegalArgumentException("--write must be between 0 and --pages (" + pages + "), not "
                        + write);
            }
        }

        public static Options defaults() {
            return new Options(64, 16);
        }
    }

    /** What a run is, stated once above its steps: our pid, the page size, the options, how the zero page is seen. */
    public record Setup(int pid, int pageSize, int pages, int write, String zeroPage) {
    }

    private final Options options;
    private final KernelFeatures features;
    private final Observer observer;
    private final Experiments experiments;
    private final int ps;
    private final Map<String, List<Expectation<StepEvidence>>> extra = new HashMap<>();
    private final Set<String> done = new LinkedHashSet<>();

    public Lab(Options options, ProcFs fs, KernelFeatures features) {
        if (!fs.isLive()) {
            throw new BadInput("the lab acts on the inspector's own process and needs the live /proc, not "
                    + fs.root());
        }
        this.options = options;
        this.features = features;
        this.observer = new Observer(fs, features);
        this.ps = Sys.pageSize();
        this.experiments = new Experiments(options, features, observer, ps);
    }

    public Options options() {
        return options;
    }

    public int pid() {
        return observer.pid();
    }

    public int pageSize() {
        return ps;
    }

    public KernelFeatures features() {
        return features;
    }

    /** How the zero page is recognised here, or why it cannot be. */
    public String zeroPageMethod() {
        if (features.noZeroPage()) {
            return "none on this kernel: " + features.zeroPage().reason();
        }
        String how = observer.zeroHow();
        return how != null ? "seen by " + how : "not observable: " + observer.zeroUnobservable();
    }

    public Setup setup() {
        return new Setup(pid(), ps, options.pages(), options.write(), zeroPageMethod());
    }

    /** The step of this name (any case); IllegalArgumentException naming the valid ones otherwise (a usage error). */
    public static LabStep step(String name) {
        for (LabStep s : STEPS) {
            if (s.name().equalsIgnoreCase(name)) {
                return s;
            }
        }
        List<String> names = new ArrayList<>();
        for (LabStep s : STEPS) {
            names.add(s.name());
        }
        throw new IllegalArgumentException("no lab step '" + name + "' (steps: " + String.join(", ", names) + ")");
    }

    /** The steps that must run before {@code name}, in order. */
    public static List<String> prerequisites(String name) {
        step(name);
        int i = CHAIN.indexOf(name);
        return i < 0 ? List.of() : CHAIN.subList(0, i);
    }

    /** Adds an expectation to a step, judged like the step's own (after them). */
    public Lab expect(String stepName, Expectation<StepEvidence> e) {
        step(stepName);
        extra.computeIfAbsent(stepName, k -> new ArrayList<>()).add(e);
        return this;
    }

    /**
     * A deliberately wrong expectation for a step: the present count it should show, plus one. Added with
     * {@link #expect} it shows that a verdict comes from measurement: the step then DIFFERS, naming the real count.
     */
    public Expectation<StepEvidence> wrongExpectation(String stepName) {
        step(stepName);
        boolean full = stepName.equals(READ) || stepName.equals(WRITE) || stepName.equals(MPROTECT)
                || stepName.equals(UNPROTECT);
        long right = full ? options.pages() : 0;
        Expectation<StepEvidence> e = Expectations.present(right + 1);
        return e.restated("(deliberately wrong) " + e.claim().statement());
    }

    /** Runs every step in order. */
    public List<StepResult> runAll() {
        List<StepResult> out = new ArrayList<>();
        for (LabStep s : STEPS) {
            out.addAll(runThrough(s.name()));
        }
        return out;
    }

    /** Runs the prerequisites of {@code name} that have not run yet, then the step itself; returns all of them. */
    public List<StepResult> runThrough(String name) {
        step(name);
        if (done.contains(name)) {
            throw new IllegalStateException("lab step '" + name + "' already ran");
        }
        List<StepResult> out = new ArrayList<>();
        for (String p : prerequisites(name)) {
            if (!done.contains(p)) {
                out.add(run(p));
            }
        }
        out.add(run(name));
        return out;
    }

    private StepResult run(String name) {
        done.add(name);
        return judge(experiments.run(name));
    }

    /** The step's own expectations and those added for it, each judged on the step's evidence, then aggregated. */
    private StepResult judge(Trial t) {
        List<Expectation<StepEvidence>> all = new ArrayList<>(t.expectations());
        all.addAll(extra.getOrDefault(t.name(), List.of()));
        List<Check> checks = Expectation.checkAll(all, t.evidence());
        return new StepResult(step(t.name()), t.call(), checks, t.shown(), t.notes(), Outcome.of(checks),
                t.evidence());
    }

    /** The outcome of a run from its steps: DIFFERS when one differs (a run that "cannot be checked" did not fail). */
    public static Outcome overall(List<StepResult> results) {
        return Outcome.of(results, "steps");
    }

    /** Unmaps the region and restores the break if a run stopped before doing so itself. */
    @Override
    public void close() {
        experiments.close();
    }
}

package dev.inspector.core.lab;

import dev.inspector.core.BadInput;
import dev.inspector.core.NativeCallFailed;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.model.KernelFeatures;
import dev.inspector.core.sys.Errno;
import dev.inspector.core.sys.Sys;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Experiments the inspector performs on its OWN process (never on a target) through JNA, each measured before and
 * after with the readers a user points at any process: maps and smaps, pagemap, the lab thread's stat, brk(0).
 *
 * <p>The region steps run in order on one private anonymous region of {@code pages} pages: mmap, read, write,
 * mprotect, unprotect, madvise, name, munmap. The {@code brk} step is independent. Every expectation is judged on
 * measurements taken at that moment; {@link #expect} adds expectations to a step (a wrong one yields DIFFERS).
 *
 * <p>The JVM maps memory concurrently (GC, JIT, new threads), so only the lab's own range and its neighbouring lines
 * are observed, and the region is placed with MAP_FIXED_NOREPLACE in the middle of the largest hole of the address
 * space: an anonymous mapping placed against another compatible one would be merged into one maps line by the kernel
 * (claim C16), which would hide the "one new mapping" this step is about. {@link #close()} unmaps the region and
 * restores the break if a run stopped half-way. Not thread-safe: run a lab on one thread (its faults are counted on
 * that thread).
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

    private final Options options;
    private final KernelFeatures features;
    private final Observer observer;
    private final int ps;
    private final Map<String, List<Expectation>> extra = new HashMap<>();
    private final Set<String> done = new LinkedHashSet<>();

    /** The region's start, 0 while it is not mapped. */
    private long addr;
    /** The break found by the brk step before moving it, and the break it set; 0 when not moved. */
    private long brkOriginal;
    private long brkMoved;

    public Lab(Options options, ProcFs fs, KernelFeatures features) {
        if (!fs.isLive()) {
            throw new BadInput("the lab acts on the inspector's own process and needs the live /proc, not "
                    + fs.root());
        }
        this.options = options;
        this.features = features;
        this.observer = new Observer(fs, features);
        this.ps = Sys.pageSize();
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

    /** The step of this name; IllegalArgumentException naming the valid ones otherwise (a usage error). */
    public static LabStep step(String name) {
        for (LabStep s : STEPS) {
            if (s.name().equals(name)) {
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

    /** Adds an expectation to a step, judged like the step's own. */
    public Lab expect(String stepName, Expectation e) {
        step(stepName);
        extra.computeIfAbsent(stepName, k -> new ArrayList<>()).add(e);
        return this;
    }

    /**
     * A deliberately wrong expectation for a step: the present count it should show, plus one. Added with
     * {@link #expect} it shows that a verdict comes from measurement: the step then DIFFERS, naming the real count.
     */
    public Expectation wrongExpectation(String stepName) {
        step(stepName);
        boolean full = stepName.equals(READ) || stepName.equals(WRITE) || stepName.equals(MPROTECT)
                || stepName.equals(UNPROTECT);
        long right = full ? options.pages() : 0;
        Expectation e = Expectations.present(right + 1);
        return new Expectation("(deliberately wrong) " + e.description(), e.judge());
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
        switch (name) {
            case MMAP:
                return mmap();
            case READ:
                return touch(false);
            case WRITE:
                return touch(true);
            case MPROTECT:
                return protect(true);
            case UNPROTECT:
                return protect(false);
            case MADVISE:
                return madvise();
            case NAME:
                return name();
            case MUNMAP:
                return munmap();
            case BRK:
                return brk();
            default:
                throw new IllegalStateException("unknown step " + name);
        }
    }

    private long len() {
        return (long) options.pages() * ps;
    }

    private Range region() {
        return new Range(addr, addr + len());
    }

    private String pagesArg() {
        return options.pages() + " pages = " + len() + " bytes";
    }

    // ---- the steps ----

    private StepResult mmap() {
        long len = len();
        int prot = Sys.PROT_READ | Sys.PROT_WRITE;
        int flags = Sys.MAP_PRIVATE | Sys.MAP_ANONYMOUS | Sys.MAP_FIXED_NOREPLACE;
        List<String> notes = new ArrayList<>();
        for (int attempt = 1; ; attempt++) {
            long hint = placement(len);
            Range r = new Range(hint, hint + len);
            Observation before = observer.observe(r, false);
            long got;
            try {
                got = Sys.mmap(hint, len, prot, flags, -1, 0);
            } catch (NativeCallFailed e) {
                // EEXIST: a JVM thread mapped into the hole between our look at maps and the call; look again.
                if (e.errno() == Errno.EEXIST && attempt < 3) {
                    notes.add("attempt " + attempt + " at 0x" + Long.toHexString(hint) + " gave EEXIST (the JVM "
                            + "mapped there meanwhile); chose again");
                    continue;
                }
                throw e;
            }
            addr = got;
            notes.add("placed with MAP_FIXED_NOREPLACE in the middle of the largest hole of the address space, so the"
                    + " kernel cannot merge it with a neighbouring anonymous mapping (claim C16)");
            String call = "mmap(0x" + Long.toHexString(hint) + ", " + pagesArg()
                    + ", PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = 0x"
                    + Long.toHexString(got);
            Observation after = observer.observe(region(), true);
            List<Expectation> exp = List.of(
                    newLine(),
                    Expectations.present(0),
                    Expectations.rss(0));
            return result(MMAP, call, exp, before, after, notes, null, Field.MAPS, Field.PAGES, Field.RSS);
        }
    }

    /** Nothing overlapped the range before, and exactly one rw-p anonymous line covers it now. */
    private Expectation newLine() {
        Expectation shape = Expectations.lines("", ps, Expectations.Line.anon(0, options.pages(), "rw-p"));
        return new Expectation("maps gains exactly one line covering exactly the range: rw-p, anonymous (none was "
                + "there before)", (b, a) -> {
                    Expectation.Finding f = shape.judge().judge(b, a);
                    boolean holds = b.unmapped() && f.holds();
                    return new Expectation.Finding(holds, "before: " + (b.unmapped() ? "no line" : b.lines().size()
                            + " line(s)") + "; after: " + f.observed());
                });
    }

    private StepResult touch(boolean write) {
        int n = options.pages();
        int k = options.write();
        Range r = region();
        Observation before = observer.observe(r, false);
        long touched;
        String call;
        if (write) {
            touched = Sys.touch(addr, (long) k * ps, ps, true);
            call = k == 0 ? "write no page (--write 0)"
                    : "write one byte to each of pages 0-" + (k - 1) + " (" + touched + " pages, Pointer.setByte)";
        } else {
            touched = Sys.touch(addr, len(), ps, false);
            call = "read one byte of each of the " + touched + " pages (Pointer.getByte)";
        }
        Observation after = observer.observe(r, true);
        String how = observer.zeroHow();
        List<Expectation> exp = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        exp.add(Expectations.present(n));
        if (write) {
            // Relative to what the read step left: on a kernel without a shared zero page every page already has a
            // frame of its own, and writing needs no new one.
            exp.add(Expectations.exclusiveAfterWriting(k));
            if (how != null && !features.noZeroPage()) {
                exp.add(Expectations.zeroPage(n - k, how));
            }
            exp.add(Expectations.rssCoversWritten((long) k * ps));
            exp.add(Expectations.minorFaultsForNewFrames(k));
            notes.add("a write to a page mapped to the zero page is a copy-on-write fault: the page gets a zeroed frame"
                    + " of its own");
            if (features.noZeroPage()) {
                notes.add("this kernel maps no shared zero page (" + features.zeroPage().reason() + "): the read step"
                        + " already gave every page a frame, so the writes fault no new ones in");
            }
        } else {
            if (how != null) {
                exp.add(Expectations.zeroPage(n, how));
            } else {
                notes.add("the zero page itself is not observable here (" + observer.zeroUnobservable() + "); what "
                        + "shows it: present but not exclusive, and no Rss");
            }
            exp.add(Expectations.exclusive(0));
            exp.add(Expectations.rss(0));
            exp.add(Expectations.minorFaultsAtLeast(n));
            notes.add("a read fault on private anonymous memory maps the shared zero page read-only: no frame is "
                    + "allocated, so smaps Rss does not count it (claim C31)");
        }
        return result(write ? WRITE : READ, call, exp, before, after, notes, null, Field.PAGES, Field.RSS,
                Field.MINFLT);
    }

    private StepResult protect(boolean split) {
        int n = options.pages();
        int mid = n / 2;
        long page = addr + (long) mid * ps;
        Range r = region();
        Observation before = observer.observe(r, false);
        int prot = split ? Sys.PROT_READ : Sys.PROT_READ | Sys.PROT_WRITE;
        Sys.mprotect(page, ps, prot);
        Observation after = observer.observe(r, true);
        String call = "mprotect(0x" + Long.toHexString(page) + " (page " + mid + "), " + ps + ", "
                + (split ? "PROT_READ" : "PROT_READ|PROT_WRITE") + ") = 0";
        List<Expectation> exp = new ArrayList<>();
        if (split) {
            exp.add(Expectations.lines("the one line becomes three: rw-p, r--p (page " + mid + "), rw-p", ps,
                    Expectations.Line.anon(0, mid, "rw-p"), Expectations.Line.anon(mid, mid + 1, "r--p"),
                    Expectations.Line.anon(mid + 1, n, "rw-p")));
        } else {
            exp.add(Expectations.lines("the three lines merge back into one rw-p line covering the range", ps,
                    Expectations.Line.anon(0, n, "rw-p")));
        }
        exp.add(Expectations.presentUnchanged());
        exp.add(Expectations.exclusiveUnchanged());
        List<String> notes = List.of(split
                ? "permissions belong to a VMA, so the kernel splits it at the page's edges (claim C35)"
                : "adjacent VMAs with equal flags and the same anon_vma are merged again (claim C35)");
        return result(split ? MPROTECT : UNPROTECT, call, exp, before, after, notes, null, Field.MAPS, Field.PAGES);
    }

    private StepResult madvise() {
        Range r = region();
        Observation before = observer.observe(r, false);
        Sys.madvise(addr, len(), Sys.MADV_DONTNEED);
        Observation after = observer.observe(r, true);
        String call = "madvise(0x" + Long.toHexString(addr) + ", " + len() + ", MADV_DONTNEED) = 0";
        List<Expectation> exp = List.of(
                Expectations.present(0),
                Expectations.rss(0),
                Expectations.linesUnchanged("the mapping stays: the same maps line"));
        List<String> notes = List.of("the frames are freed; reading the pages again would give zeros (private "
                + "anonymous memory), not the old contents");
        return result(MADVISE, call, exp, before, after, notes, null, Field.MAPS, Field.PAGES, Field.RSS);
    }

    private StepResult name() {
        Range r = region();
        Observation before = observer.observe(r, false);
        String call = "prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, 0x" + Long.toHexString(addr) + ", " + len() + ", \""
                + ANON_NAME + "\")";
        List<String> notes = new ArrayList<>();
        String unsupported = null;
        List<Expectation> exp = new ArrayList<>();
        try {
            Sys.nameAnon(addr, len(), ANON_NAME);
            call += " = 0";
            exp.add(Expectations.named(ANON_NAME, ps, options.pages()));
        } catch (NativeCallFailed e) {
            call += " = -1 " + e.errnoName();
            if (e.errno() != Errno.EINVAL) {
                throw e;
            }
            // The range is one private anonymous mapping and the name is plain ASCII: EINVAL can only mean the
            // kernel was built without CONFIG_ANON_VMA_NAME (Linux 5.17+ has the option).
            unsupported = "unsupported here: CONFIG_ANON_VMA_NAME is off (prctl PR_SET_VMA_ANON_NAME -> EINVAL)";
            notes.add("the range is one private anonymous mapping and the name is plain ASCII, so EINVAL means the "
                    + "kernel was built without CONFIG_ANON_VMA_NAME");
            notes.add("the feature probe at start-up agrees: " + features.anonVmaName());
            exp.add(Expectations.linesUnchanged("nothing changes: the line stays unnamed"));
        }
        Observation after = observer.observe(r, true);
        return result(NAME, call, exp, before, after, notes, unsupported, Field.MAPS);
    }

    private StepResult munmap() {
        Range r = region();
        Observation before = observer.observe(r, false);
        Sys.munmap(addr, len());
        String call = "munmap(0x" + Long.toHexString(addr) + ", " + len() + ") = 0";
        addr = 0;
        Observation after = observer.observe(r, true);
        return result(MUNMAP, call, List.of(Expectations.noLines(), Expectations.present(0)), before, after,
                List.of(), null, Field.MAPS, Field.PAGES);
    }

    /**
     * Moves the break up by {@code pages} pages with the raw syscall, measures, and moves it back only if nobody moved
     * it meanwhile. glibc's malloc caches the break it last set and computes its next request from that cache, never
     * from the kernel: if it grows the heap while ours is up, it asks for its cached break + increment, which the
     * kernel grants by shrinking ours, and glibc gets exactly what it asked for. Moving the break back after that
     * would take glibc's memory, so then the break is left alone. The one unguarded moment is between reading the
     * break and setting it (a few microseconds): a malloc growing the main heap past our target right then would be
     * cut short.
     */
    private StepResult brk() {
        long b0 = Sys.currentBreak();
        long from = alignUp(b0);
        long target = from + len();
        Range r = new Range(from, target);
        Observation before = observer.observe(r, false);
        List<String> notes = new ArrayList<>();
        notes.add("brk(0) = 0x" + Long.toHexString(b0) + " before the move");
        long got;
        try {
            got = Sys.brk(target);
        } catch (NativeCallFailed e) {
            Observation after = observer.observe(r, true);
            notes.add(e.getMessage());
            return result(BRK, "brk(0x" + Long.toHexString(target) + ") refused", List.of(Expectations.breakAt(target)),
                    before, after, notes, null, Field.BRK, Field.HEAP, Field.START_BRK);
        }
        brkOriginal = b0;
        brkMoved = got;
        String call = "brk(0x" + Long.toHexString(target) + ") = 0x" + Long.toHexString(got) + "  (up " + pagesArg()
                + ", raw syscall; glibc's cached break is not updated)";
        Observation after = observer.observe(r, true);
        List<Expectation> exp = new ArrayList<>(List.of(
                Expectations.breakAt(target),
                Expectations.heapSpans(target),
                Expectations.heapGrowsBy(len()),
                Expectations.startBrkUnchanged(),
                Expectations.present(0)));
        notes.add(restoreBreak());
        return result(BRK, call, exp, before, after, notes, null, Field.BRK, Field.HEAP, Field.START_BRK,
                Field.PAGES);
    }

    /** Puts the break back when it is still where the lab left it; says what was done and measured. */
    private String restoreBreak() {
        if (brkMoved == 0) {
            return "";
        }
        long now = Sys.currentBreak();
        long moved = brkMoved;
        brkMoved = 0;
        if (now != moved) {
            return "left the break at 0x" + Long.toHexString(now) + ": something else (glibc malloc) moved it from "
                    + "0x" + Long.toHexString(moved) + " meanwhile, and moving it back would take that memory";
        }
        long back = Sys.brk(brkOriginal);
        Mapping heap = null;
        for (Mapping m : observer.maps()) {
            if (m.path().type() == dev.inspector.core.model.MappingPath.Type.HEAP) {
                heap = m;
            }
        }
        return "restored: brk(0x" + Long.toHexString(brkOriginal) + ") = 0x" + Long.toHexString(back)
                + ", and maps now shows " + (heap == null ? "no [heap] line" : "[heap] ending at 0x"
                + Long.toHexString(heap.end()));
    }

    private long alignUp(long a) {
        return (a + ps - 1) & -(long) ps;
    }

    /**
     * The middle of the largest hole between two user-space lines of maps, aligned to 2 MiB: far from every
     * neighbour, so nothing merges with the region and the JVM's next mappings (placed top-down, at the top of a
     * hole) land elsewhere.
     */
    private long placement(long len) {
        List<Mapping> maps = observer.maps();
        long bestStart = 0;
        long bestSize = 0;
        for (int i = 1; i < maps.size(); i++) {
            Mapping lo = maps.get(i - 1);
            Mapping hi = maps.get(i);
            if (hi.start() < 0) {
                break; // kernel half ([vsyscall]): not ours to place in
            }
            long gap = hi.start() - lo.end();
            if (gap > bestSize) {
                bestSize = gap;
                bestStart = lo.end();
            }
        }
        long align = 2L << 20;
        if (bestSize < len + 2 * align) {
            throw new BadInput("no hole of " + (len + 2 * align) + " bytes in the address space for the lab region");
        }
        return (bestStart + (bestSize - len) / 2) & -align;
    }

    // ---- judging ----

    private enum Field { MAPS, PAGES, RSS, MINFLT, BRK, HEAP, START_BRK }

    private StepResult result(String name, String call, List<Expectation> own, Observation before, Observation after,
                              List<String> notes, String unsupported, Field... fields) {
        List<Expectation> all = new ArrayList<>(own);
        all.addAll(extra.getOrDefault(name, List.of()));
        List<Check> checks = new ArrayList<>();
        Check firstDiff = null;
        for (Expectation e : all) {
            Check c = e.check(before, after);
            checks.add(c);
            if (c.verdict() == Verdict.DIFFERS && firstDiff == null) {
                firstDiff = c;
            }
        }
        Verdict v;
        String reason;
        if (firstDiff != null) {
            v = Verdict.DIFFERS;
            reason = "expected " + firstDiff.expected() + "; the kernel shows " + firstDiff.observed();
        } else if (unsupported != null) {
            v = Verdict.UNSUPPORTED;
            reason = unsupported;
        } else {
            v = Verdict.HOLDS;
            reason = checks.size() + " of " + checks.size() + " expectations measured and met";
        }
        List<Evidence> ev = new ArrayList<>();
        for (Field f : fields) {
            ev.add(evidence(f, before, after));
        }
        List<String> n = new ArrayList<>();
        for (String s : notes) {
            if (!s.isEmpty()) {
                n.add(s);
            }
        }
        return new StepResult(step(name), call, checks, ev, n, v, reason, before, after);
    }

    private Evidence evidence(Field f, Observation b, Observation a) {
        switch (f) {
            case MAPS:
                return new Evidence("maps", mapsLines(b), mapsLines(a));
            case PAGES:
                return new Evidence("pagemap", List.of(pages(b)), List.of(pages(a)));
            case RSS:
                return new Evidence("smaps Rss", List.of(kb(b)), List.of(kb(a)));
            case MINFLT:
                return new Evidence("minflt", List.of(b.threadMinflt() + " (thread " + b.tid() + ")"),
                        List.of(a.threadMinflt() + " (+" + (a.threadMinflt() - b.threadMinflt()) + ")"));
            case BRK:
                return new Evidence("brk(0)", List.of("0x" + Long.toHexString(b.brk())),
                        List.of("0x" + Long.toHexString(a.brk())));
            case HEAP:
                return new Evidence("[heap]", List.of(heap(b)), List.of(heap(a)));
            case START_BRK:
                return new Evidence("start_brk", List.of("0x" + Long.toHexString(b.startBrk())),
                        List.of("0x" + Long.toHexString(a.startBrk())));
            default:
                throw new IllegalStateException(f.name());
        }
    }

    private static List<String> mapsLines(Observation o) {
        if (o.unmapped()) {
            return List.of("(no line in " + o.range() + ")");
        }
        List<String> out = new ArrayList<>();
        for (Mapping m : o.lines()) {
            out.add(m.toMapsLine());
        }
        return out;
    }

    private static String pages(Observation o) {
        Pages p = o.pages();
        return "present " + p.present() + " of " + p.pages() + ", exclusive " + p.exclusive() + ", zero page "
                + (p.zeroPage() < 0 ? "?" : Long.toString(p.zeroPage()));
    }

    private static String kb(Observation o) {
        return o.unmapped() ? "(no line)" : o.rssBytes() / 1024 + " kB";
    }

    private static String heap(Observation o) {
        Mapping h = o.heap();
        return h == null ? "(no [heap] line)" : h.toMapsLine();
    }

    /** Unmaps the region and restores the break if a run stopped before doing so itself. */
    @Override
    public void close() {
        if (addr != 0) {
            long a = addr;
            addr = 0;
            Sys.munmap(a, len());
        }
        restoreBreak();
    }
}

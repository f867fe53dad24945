package dev.inspector.core.lab;

import dev.inspector.core.BadInput;
import dev.inspector.core.NativeCallFailed;
import dev.inspector.core.claims.Expectation;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;
import dev.inspector.core.model.KernelFeatures;
import dev.inspector.core.sys.Errno;
import dev.inspector.core.sys.Sys;

import java.util.ArrayList;
import java.util.List;

/**
 * The lab's experiments: each step's system call on the inspector's own process, measured right before and right
 * after, with the expectations the step states. Nothing here judges or formats; {@link Lab} judges the
 * {@link Trial}s through the claims engine.
 *
 * <p>The region steps share one private anonymous region of {@code pages} pages, mapped by the first and unmapped by
 * the last; the JVM maps memory concurrently (GC, JIT, new threads), so the region is placed with MAP_FIXED_NOREPLACE
 * in the middle of the largest hole of the address space: an anonymous mapping placed against another compatible one
 * would be merged into one maps line by the kernel (claim C16), which would hide the "one new mapping" the mmap step is
 * about.
 */
final class Experiments {

    private final Lab.Options options;
    private final KernelFeatures features;
    private final Observer observer;
    private final int ps;

    /** The region's start, 0 while it is not mapped. */
    private long addr;
    /** The break found by the brk step before moving it, and the break it set; 0 when not moved. */
    private long brkOriginal;
    private long brkMoved;

    Experiments(Lab.Options options, KernelFeatures features, Observer observer, int pageSize) {
        this.options = options;
        this.features = features;
        this.observer = observer;
        this.ps = pageSize;
    }

    Trial run(String name) {
        switch (name) {
            case Lab.MMAP:
                return mmap();
            case Lab.READ:
                return touch(false);
            case Lab.WRITE:
                return touch(true);
            case Lab.MPROTECT:
                return protect(true);
            case Lab.UNPROTECT:
                return protect(false);
            case Lab.MADVISE:
                return madvise();
            case Lab.NAME:
                return name();
            case Lab.MUNMAP:
                return munmap();
            case Lab.BRK:
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

    private static Trial trial(String name, String call, StepEvidence evidence,
                               List<Expectation<StepEvidence>> expectations, List<String> notes, Measure... shown) {
        List<String> n = new ArrayList<>();
        for (String s : notes) {
            if (!s.isEmpty()) {
                n.add(s);
            }
        }
        return new Trial(name, call, evidence, expectations, n, List.of(shown));
    }

    private Trial mmap() {
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
            List<Expectation<StepEvidence>> exp = List.of(
                    Expectations.newLines("maps gains exactly one line covering exactly the range: rw-p, anonymous"
                            + " (none was there before)", ps, Expectations.Line.anon(0, options.pages(), "rw-p"))
                            .citing("C16"),
                    Expectations.present(0),
                    Expectations.rss(0));
            return trial(Lab.MMAP, call, new StepEvidence(before, after), exp, notes, Measure.MAPS, Measure.PAGES,
                    Measure.RSS);
        }
    }

    private Trial touch(boolean write) {
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
        // Where the kernel has no zero page, the probe is not a way of seeing it: the statement names no method.
        String how = features.noZeroPage() ? null : observer.zeroHow();
        List<Expectation<StepEvidence>> exp = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        exp.add(Expectations.present(n));
        if (write) {
            // Relative to what the read step left: on a kernel without a shared zero page every page already has a
            // frame of its own, and writing needs no new one (the exclusive check then states that nuance).
            exp.add(Expectations.exclusiveAfterWriting(k));
            if (!features.noZeroPage()) {
                exp.add(Expectations.zeroPage(n - k, how));
            }
            exp.add(Expectations.rssCoversWritten((long) k * ps));
            exp.add(Expectations.minorFaultsForNewFrames(k));
            notes.add("a write to a page mapped to the zero page is a copy-on-write fault: the page gets a zeroed frame"
                    + " of its own");
        } else {
            // Stated even where the zero page cannot be seen: it is then judged "cannot be checked here", naming what
            // is missing, while present, not exclusive and no Rss are still judged.
            exp.add(Expectations.zeroPage(n, how));
            exp.add(Expectations.exclusive(0));
            exp.add(Expectations.rss(0));
            exp.add(Expectations.minorFaultsAtLeast(n));
            notes.add("a read fault on private anonymous memory maps the shared zero page read-only: no frame is "
                    + "allocated, so smaps Rss does not count it (claim C31)");
        }
        return trial(write ? Lab.WRITE : Lab.READ, call, new StepEvidence(before, after), exp, notes, Measure.PAGES,
                Measure.RSS, Measure.MINFLT);
    }

    private Trial protect(boolean split) {
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
        List<Expectation<StepEvidence>> exp = new ArrayList<>();
        if (split) {
            exp.add(Expectations.lines("the one line becomes three: rw-p, r--p (page " + mid + "), rw-p", ps,
                    Expectations.Line.anon(0, mid, "rw-p"), Expectations.Line.anon(mid, mid + 1, "r--p"),
                    Expectations.Line.anon(mid + 1, n, "rw-p")).citing("C35"));
        } else {
            exp.add(Expectations.lines("the three lines merge back into one rw-p line covering the range", ps,
                    Expectations.Line.anon(0, n, "rw-p")).citing("C35"));
        }
        exp.add(Expectations.presentUnchanged());
        exp.add(Expectations.exclusiveUnchanged());
        List<String> notes = List.of(split
                ? "permissions belong to a VMA, so the kernel splits it at the page's edges (claim C35)"
                : "adjacent VMAs with equal flags and the same anon_vma are merged again (claim C35)");
        return trial(split ? Lab.MPROTECT : Lab.UNPROTECT, call, new StepEvidence(before, after), exp, notes,
                Measure.MAPS, Measure.PAGES);
    }

    private Trial madvise() {
        Range r = region();
        Observation before = observer.observe(r, false);
        Sys.madvise(addr, len(), Sys.MADV_DONTNEED);
        Observation after = observer.observe(r, true);
        String call = "madvise(0x" + Long.toHexString(addr) + ", " + len() + ", MADV_DONTNEED) = 0";
        List<Expectation<StepEvidence>> exp = List.of(
                Expectations.present(0),
                Expectations.rss(0),
                Expectations.linesUnchanged("the mapping stays: the same maps line"));
        List<String> notes = List.of("the frames are freed; reading the pages again would give zeros (private "
                + "anonymous memory), not the old contents");
        return trial(Lab.MADVISE, call, new StepEvidence(before, after), exp, notes, Measure.MAPS, Measure.PAGES,
                Measure.RSS);
    }

    private Trial name() {
        Range r = region();
        Observation before = observer.observe(r, false);
        String call = "prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, 0x" + Long.toHexString(addr) + ", " + len() + ", \""
                + Lab.ANON_NAME + "\")";
        List<String> notes = new ArrayList<>();
        String missing = null;
        List<Expectation<StepEvidence>> exp = new ArrayList<>();
        exp.add(Expectations.named(Lab.ANON_NAME, ps, options.pages()));
        try {
            Sys.nameAnon(addr, len(), Lab.ANON_NAME);
            call += " = 0";
        } catch (NativeCallFailed e) {
            call += " = -1 " + e.errnoName();
            if (e.errno() != Errno.EINVAL) {
                throw e;
            }
            // The range is one private anonymous mapping and the name is plain ASCII: EINVAL can only mean the
            // kernel was built without CONFIG_ANON_VMA_NAME (Linux 5.17+ has the option).
            missing = "CONFIG_ANON_VMA_NAME is off (prctl PR_SET_VMA_ANON_NAME -> EINVAL)";
            notes.add("the range is one private anonymous mapping and the name is plain ASCII, so EINVAL means the "
                    + "kernel was built without CONFIG_ANON_VMA_NAME");
            notes.add("the feature probe at start-up agrees: " + features.anonVmaName());
            exp.add(Expectations.linesUnchanged("nothing changes: the line stays unnamed"));
        }
        Observation after = observer.observe(r, true);
        return trial(Lab.NAME, call, new StepEvidence(before, after, missing), exp, notes, Measure.MAPS);
    }

    private Trial munmap() {
        Range r = region();
        Observation before = observer.observe(r, false);
        Sys.munmap(addr, len());
        String call = "munmap(0x" + Long.toHexString(addr) + ", " + len() + ") = 0";
        addr = 0;
        Observation after = observer.observe(r, true);
        return trial(Lab.MUNMAP, call, new StepEvidence(before, after), List.of(Expectations.noLines(),
                Expectations.present(0)), List.of(), Measure.MAPS, Measure.PAGES);
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
    private Trial brk() {
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
            return trial(Lab.BRK, "brk(0x" + Long.toHexString(target) + ") refused", new StepEvidence(before, after),
                    List.of(Expectations.breakAt(target)), notes, Measure.BRK, Measure.HEAP, Measure.START_BRK);
        }
        brkOriginal = b0;
        brkMoved = got;
        String call = "brk(0x" + Long.toHexString(target) + ") = 0x" + Long.toHexString(got) + "  (up " + pagesArg()
                + ", raw syscall; glibc's cached break is not updated)";
        Observation after = observer.observe(r, true);
        List<Expectation<StepEvidence>> exp = List.of(
                Expectations.breakAt(target),
                Expectations.heapSpans(target),
                Expectations.heapGrowsBy(len()),
                Expectations.startBrkUnchanged(),
                Expectations.present(0));
        notes.add(restoreBreak());
        return trial(Lab.BRK, call, new StepEvidence(before, after), exp, notes, Measure.BRK, Measure.HEAP,
                Measure.START_BRK, Measure.PAGES);
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
            if (m.path().type() == MappingPath.Type.HEAP) {
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

    /** Unmaps the region and restores the break if a run stopped before doing so itself. */
    void close() {
        if (addr != 0) {
            long a = addr;
            addr = 0;
            Sys.munmap(a, len());
        }
        restoreBreak();
    }
}

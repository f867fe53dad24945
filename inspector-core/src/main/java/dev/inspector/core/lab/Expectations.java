package dev.inspector.core.lab;

import dev.inspector.core.claims.Claim;
import dev.inspector.core.claims.Expectation;
import dev.inspector.core.claims.Finding;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;

import java.util.ArrayList;
import java.util.List;

/**
 * The expectations the lab's steps state, as small factories of {@link Expectation}s judged on a step's
 * {@link StepEvidence}. Each names the measured value in its finding, so a DIFFERS verdict carries its evidence. Counts
 * are compared exactly, except faults: the JVM may fault on the lab's thread too (allocation, class loading), so a fault
 * count is a lower bound. Expectations about residency cite claim C31 of the catalogue (every virtual page has a frame
 * of its own), those about faults C29 (a page fault is routine, one per page first touched); the steps cite the
 * others (C16 a mapping is a maps line, C35 permissions per page).
 */
public final class Expectations {

    public static final String RESIDENCY = "C31";
    public static final String FAULTS = "C29";

    private Expectations() {
    }

    /** Judges from the observations before and after a step. */
    @FunctionalInterface
    interface Judge {
        Finding judge(Observation before, Observation after);
    }

    static Expectation<StepEvidence> expect(String statement, String claimId, Judge judge) {
        Claim c = Claim.of(statement);
        return new Expectation<>(claimId == null ? c : c.citing(claimId), e -> judge.judge(e.before(), e.after()));
    }

    /** The shape of one expected maps line, in pages from the start of the observed range. */
    public record Line(long fromPage, long toPage, String perms, MappingPath.Type type, String name) {

        /** An anonymous line without a name. */
        public static Line anon(long fromPage, long toPage, String perms) {
            return new Line(fromPage, toPage, perms, MappingPath.Type.ANONYMOUS, "");
        }

        boolean matches(Mapping m, long base, int pageSize) {
            return m.start() == base + fromPage * pageSize && m.end() == base + toPage * pageSize
                    && m.perms().toString().equals(perms) && m.path().type() == type && m.path().name().equals(name);
        }
    }

    /** The lines overlapping the range are exactly these (bounds, permissions, name). */
    public static Expectation<StepEvidence> lines(String description, int pageSize, Line... expected) {
        return expect(description, null, (b, a) -> shape(a, pageSize, List.of(expected)));
    }

    private static Finding shape(Observation a, int pageSize, List<Line> want) {
        boolean ok = a.lines().size() == want.size();
        for (int i = 0; ok && i < want.size(); i++) {
            ok = want.get(i).matches(a.lines().get(i), a.range().start(), pageSize);
        }
        return Finding.holdsIf(ok, a.lines().size() + " line(s): " + shapes(a, pageSize));
    }

    /** Nothing overlapped the range before, and exactly these lines cover it now. */
    public static Expectation<StepEvidence> newLines(String description, int pageSize, Line... expected) {
        return expect(description, null, (b, a) -> {
            Finding f = shape(a, pageSize, List.of(expected));
            return Finding.holdsIf(b.unmapped() && f.verdict().holds(), "before: " + (b.unmapped() ? "no line"
                    : b.lines().size() + " line(s)") + "; after: " + f.observed());
        });
    }

    /** No maps line overlaps the range any more. */
    public static Expectation<StepEvidence> noLines() {
        return expect("no maps line covers the range", "C16", (b, a) -> Finding.holdsIf(a.unmapped(), a.unmapped()
                ? "no line overlaps " + a.range() : a.lines().size() + " line(s) still overlap: " + mapsText(a.lines())));
    }

    /** The lines overlapping the range did not change. */
    public static Expectation<StepEvidence> linesUnchanged(String description) {
        return expect(description, null, (b, a) -> {
            boolean same = b.lines().equals(a.lines());
            return Finding.holdsIf(same, same ? "the same " + a.lines().size() + " line(s)"
                    : "before: " + mapsText(b.lines()) + "; after: " + mapsText(a.lines()));
        });
    }

    public static Expectation<StepEvidence> present(long n) {
        return expect(n + " of the range's pages present (pagemap bit 63)", RESIDENCY, (b, a) ->
                Finding.holdsIf(a.pages().present() == n, a.pages().present() + " of " + a.pages().pages()
                        + " present"));
    }

    public static Expectation<StepEvidence> presentUnchanged() {
        return expect("the present count does not change", null, (b, a) ->
                Finding.holdsIf(a.pages().present() == b.pages().present(), b.pages().present() + " -> "
                        + a.pages().present() + " present"));
    }

    public static Expectation<StepEvidence> exclusive(long n) {
        return expect(n + " pages mapped exclusively (pagemap bit 56: a frame of our own)", RESIDENCY, (b, a) ->
                Finding.holdsIf(a.pages().exclusive() == n, a.pages().exclusive() + " exclusive"));
    }

    public static Expectation<StepEvidence> exclusiveUnchanged() {
        return expect("the exclusive count does not change", null, (b, a) ->
                Finding.holdsIf(a.pages().exclusive() == b.pages().exclusive(), b.pages().exclusive() + " -> "
                        + a.pages().exclusive() + " exclusive"));
    }

    /**
     * After writing the first {@code k} pages, those are mapped exclusively: {@code max(before, k)} exclusive pages
     * (the read step leaves none exclusive where reads map the zero page, all of them where the kernel has none). When
     * every page already had a frame of its own before the write, it holds with that nuance: the write made none.
     */
    public static Expectation<StepEvidence> exclusiveAfterWriting(long k) {
        return expect("the " + k + " written pages are mapped exclusively (pagemap bit 56: a frame of their own)",
                RESIDENCY, (b, a) -> {
                    long want = Math.max(b.pages().exclusive(), k);
                    String seen = b.pages().exclusive() + " -> " + a.pages().exclusive() + " exclusive (expected "
                            + want + ")";
                    if (a.pages().exclusive() != want) {
                        return Finding.differs(seen);
                    }
                    boolean hadFrames = k > 0 && b.pages().pages() > 0 && b.pages().exclusive() == b.pages().pages();
                    return hadFrames ? Finding.holdsWithNuance(seen, "every page had a frame of its own before the"
                            + " write (" + b.pages().exclusive() + " of " + b.pages().pages() + " exclusive), so the"
                            + " write needed no new frame") : Finding.holds(seen);
                });
    }

    /** smaps Rss covers the written pages: {@code max(Rss before, bytes)}. */
    public static Expectation<StepEvidence> rssCoversWritten(long bytes) {
        return expect("smaps Rss covers the " + bytes / 1024 + " kB written", RESIDENCY, (b, a) -> {
            long want = Math.max(b.rssBytes(), bytes);
            return Finding.holdsIf(a.rssBytes() == want, "Rss " + b.rssBytes() / 1024 + " -> " + a.rssBytes() / 1024
                    + " kB (expected " + want / 1024 + ")");
        });
    }

    /**
     * One minor fault at least per written page that had no frame of its own before (a copy-on-write fault from the
     * zero page, or a first touch).
     */
    public static Expectation<StepEvidence> minorFaultsForNewFrames(long k) {
        return expect("this thread's minor faults rise by at least one per written page without a frame of its own"
                + " (stat field 10)", FAULTS, (b, a) -> {
                    long want = Math.max(0, k - b.pages().exclusive());
                    long d = a.threadMinflt() - b.threadMinflt();
                    return Finding.holdsIf(b.tid() == a.tid() && d >= want, "minflt +" + d + " (at least " + want + ")"
                            + sameThread(b, a));
                });
    }

    /**
     * {@code n} pages on the shared zero page, measured by whichever means {@link Pages#zeroHow()} names
     * ({@code how}, shown in the statement; null when there is nothing to name). Where the zero page is not
     * observable it cannot be checked; where the count differs the finding adds how many pages have a frame of their
     * own instead.
     */
    public static Expectation<StepEvidence> zeroPage(long n, String how) {
        return expect(n + " pages on the shared zero page" + (how == null ? "" : " (" + how + ")"), RESIDENCY, (b, a) -> {
            long z = a.pages().zeroPage();
            if (z < 0) {
                return Finding.cannotCheck("the zero page is not observable here: " + a.pages().zeroHow());
            }
            if (z == n) {
                return Finding.holds(z + " on the zero page");
            }
            return Finding.differs(z + " on the zero page", a.pages().exclusive() + " of the " + a.pages().present()
                    + " present pages have a frame of their own (pagemap bit 56)");
        });
    }

    /** smaps Rss of the lines covering the range, in bytes. */
    public static Expectation<StepEvidence> rss(long bytes) {
        return expect("smaps Rss " + bytes / 1024 + " kB", RESIDENCY, (b, a) ->
                Finding.holdsIf(a.rssBytes() == bytes, "Rss " + a.rssBytes() / 1024 + " kB"));
    }

    /** The lab thread's minor faults rise by at least {@code n} (one fault per page first touched). */
    public static Expectation<StepEvidence> minorFaultsAtLeast(long n) {
        return expect("this thread's minor faults rise by at least " + n + " (stat field 10)", FAULTS, (b, a) -> {
            long d = a.threadMinflt() - b.threadMinflt();
            return Finding.holdsIf(b.tid() == a.tid() && d >= n, "minflt +" + d + sameThread(b, a));
        });
    }

    private static String sameThread(Observation b, Observation a) {
        return b.tid() == a.tid() ? "" : " (measured on different threads " + b.tid() + " and " + a.tid() + ")";
    }

    /**
     * The line covering the range is named {@code [anon:name]}; cannot be checked when the step's call was refused
     * for want of a kernel feature ({@link StepEvidence#missing()}).
     */
    public static Expectation<StepEvidence> named(String name, int pageSize, long pages) {
        Line want = new Line(0, pages, "rw-p", MappingPath.Type.ANON_NAMED, name);
        return new Expectation<>(Claim.of("the line is now named [anon:" + name + "]"), e -> e.missing() != null
                ? Finding.cannotCheck(e.missing()) : shape(e.after(), pageSize, List.of(want)));
    }

    /** The kernel's break (brk(0)) is {@code addr}. */
    public static Expectation<StepEvidence> breakAt(long addr) {
        return expect("brk(0) answers 0x" + Long.toHexString(addr), null, (b, a) ->
                Finding.holdsIf(a.brk() == addr, "brk(0) = 0x" + Long.toHexString(a.brk())));
    }

    /** The [heap] line ends at {@code end} (a page-aligned break) and starts at stat's start_brk. */
    public static Expectation<StepEvidence> heapSpans(long end) {
        return expect("[heap] runs from start_brk (stat field 47) to 0x" + Long.toHexString(end), "C15", (b, a) -> {
            Mapping h = a.heap();
            if (h == null) {
                return Finding.differs("no [heap] line in maps");
            }
            return Finding.holdsIf(h.end() == end && h.start() == a.startBrk(), "[heap] 0x"
                    + Long.toHexString(h.start()) + "-0x" + Long.toHexString(h.end()) + ", start_brk 0x"
                    + Long.toHexString(a.startBrk()));
        });
    }

    /** The [heap] line's end moved by exactly {@code bytes} (its end before is start_brk when there was none). */
    public static Expectation<StepEvidence> heapGrowsBy(long bytes) {
        return expect("[heap] end moves by " + bytes / 1024 + " KiB", "C09", (b, a) -> {
            long before = b.heap() == null ? b.startBrk() : b.heap().end();
            long after = a.heap() == null ? a.startBrk() : a.heap().end();
            return Finding.holdsIf(after - before == bytes, "[heap] end 0x" + Long.toHexString(before) + " -> 0x"
                    + Long.toHexString(after) + " (" + ((after - before) >= 0 ? "+" : "") + (after - before) / 1024
                    + " KiB)");
        });
    }

    public static Expectation<StepEvidence> startBrkUnchanged() {
        return expect("start_brk (stat field 47) stays where it is", null, (b, a) ->
                Finding.holdsIf(a.startBrk() == b.startBrk(), "start_brk 0x" + Long.toHexString(b.startBrk())
                        + " -> 0x" + Long.toHexString(a.startBrk())));
    }

    static String shapes(Observation o, int pageSize) {
        if (o.lines().isEmpty()) {
            return "none";
        }
        List<String> s = new ArrayList<>();
        for (Mapping m : o.lines()) {
            long from = (m.start() - o.range().start()) / pageSize;
            long to = (m.end() - o.range().start()) / pageSize;
            String p = m.path().kernelText();
            s.add(m.perms() + " pages " + from + "-" + to + (p.isEmpty() ? "" : " " + p));
        }
        return String.join(", ", s);
    }

    static String mapsText(List<Mapping> lines) {
        if (lines.isEmpty()) {
            return "none";
        }
        List<String> s = new ArrayList<>();
        for (Mapping m : lines) {
            s.add(m.toMapsLine());
        }
        return String.join(" | ", s);
    }
}

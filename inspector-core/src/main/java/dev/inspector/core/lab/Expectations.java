package dev.inspector.core.lab;

import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;

import java.util.ArrayList;
import java.util.List;

/**
 * The expectations the lab's steps state, as small factories over {@link Observation}s. Each names the measured value
 * in its finding, so a DIFFERS verdict carries its evidence. Counts are compared exactly, except faults: the JVM may
 * fault on the lab's thread too (allocation, class loading), so a fault count is a lower bound.
 */
public final class Expectations {

    private Expectations() {
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
    public static Expectation lines(String description, int pageSize, Line... expected) {
        List<Line> want = List.of(expected);
        return new Expectation(description, (b, a) -> {
            boolean ok = a.lines().size() == want.size();
            for (int i = 0; ok && i < want.size(); i++) {
                ok = want.get(i).matches(a.lines().get(i), a.range().start(), pageSize);
            }
            return new Expectation.Finding(ok, a.lines().size() + " line(s): " + shapes(a, pageSize));
        });
    }

    /** No maps line overlaps the range any more. */
    public static Expectation noLines() {
        return new Expectation("no maps line covers the range", (b, a) ->
                new Expectation.Finding(a.unmapped(), a.unmapped() ? "no line overlaps "
                        + a.range() : a.lines().size() + " line(s) still overlap: " + mapsText(a.lines())));
    }

    /** The lines overlapping the range did not change. */
    public static Expectation linesUnchanged(String description) {
        return new Expectation(description, (b, a) -> {
            boolean same = b.lines().equals(a.lines());
            return new Expectation.Finding(same, same ? "the same " + a.lines().size() + " line(s)"
                    : "before: " + mapsText(b.lines()) + "; after: " + mapsText(a.lines()));
        });
    }

    public static Expectation present(long n) {
        return new Expectation(n + " of the range's pages present (pagemap bit 63)", (b, a) ->
                new Expectation.Finding(a.pages().present() == n, a.pages().present() + " of " + a.pages().pages()
                        + " present"));
    }

    public static Expectation presentUnchanged() {
        return new Expectation("the present count does not change", (b, a) ->
                new Expectation.Finding(a.pages().present() == b.pages().present(), b.pages().present() + " -> "
                        + a.pages().present() + " present"));
    }

    public static Expectation exclusive(long n) {
        return new Expectation(n + " pages mapped exclusively (pagemap bit 56: a frame of our own)", (b, a) ->
                new Expectation.Finding(a.pages().exclusive() == n, a.pages().exclusive() + " exclusive"));
    }

    public static Expectation exclusiveUnchanged() {
        return new Expectation("the exclusive count does not change", (b, a) ->
                new Expectation.Finding(a.pages().exclusive() == b.pages().exclusive(), b.pages().exclusive() + " -> "
                        + a.pages().exclusive() + " exclusive"));
    }

    /**
     * After writing the first {@code k} pages, those are mapped exclusively: {@code max(before, k)} exclusive pages
     * (the read step leaves none exclusive where reads map the zero page, all of them where the kernel has none).
     */
    public static Expectation exclusiveAfterWriting(long k) {
        return new Expectation("the " + k + " written pages are mapped exclusively (pagemap bit 56: a frame of their own)",
                (b, a) -> {
                    long want = Math.max(b.pages().exclusive(), k);
                    return new Expectation.Finding(a.pages().exclusive() == want, b.pages().exclusive() + " -> "
                            + a.pages().exclusive() + " exclusive (expected " + want + ")");
                });
    }

    /** smaps Rss covers the written pages: {@code max(Rss before, bytes)}. */
    public static Expectation rssCoversWritten(long bytes) {
        return new Expectation("smaps Rss covers the " + bytes / 1024 + " kB written", (b, a) -> {
            long want = Math.max(b.rssBytes(), bytes);
            return new Expectation.Finding(a.rssBytes() == want, "Rss " + b.rssBytes() / 1024 + " -> "
                    + a.rssBytes() / 1024 + " kB (expected " + want / 1024 + ")");
        });
    }

    /**
     * One minor fault at least per written page that had no frame of its own before (a copy-on-write fault from the
     * zero page, or a first touch).
     */
    public static Expectation minorFaultsForNewFrames(long k) {
        return new Expectation("this thread's minor faults rise by at least one per written page without a frame of"
                + " its own (stat field 10)", (b, a) -> {
                    long want = Math.max(0, k - b.pages().exclusive());
                    long d = a.threadMinflt() - b.threadMinflt();
                    return new Expectation.Finding(b.tid() == a.tid() && d >= want, "minflt +" + d + " (at least "
                            + want + ")" + (b.tid() == a.tid() ? "" : " (measured on different threads " + b.tid()
                            + " and " + a.tid() + ")"));
                });
    }

    /** {@code n} pages on the shared zero page, measured by whichever means {@link Pages#zeroHow()} names. */
    public static Expectation zeroPage(long n, String how) {
        return new Expectation(n + " pages on the shared zero page (" + how + ")", (b, a) -> {
            long z = a.pages().zeroPage();
            if (z < 0) {
                return new Expectation.Finding(false, "not observable: " + a.pages().zeroHow());
            }
            return new Expectation.Finding(z == n, z + " on the zero page");
        });
    }

    /** smaps Rss of the lines covering the range, in bytes. */
    public static Expectation rss(long bytes) {
        return new Expectation("smaps Rss " + bytes / 1024 + " kB", (b, a) ->
                new Expectation.Finding(a.rssBytes() == bytes, "Rss " + a.rssBytes() / 1024 + " kB"));
    }

    /** The lab thread's minor faults rise by at least {@code n} (one fault per page first touched). */
    public static Expectation minorFaultsAtLeast(long n) {
        return new Expectation("this thread's minor faults rise by at least " + n + " (stat field 10)", (b, a) -> {
            long d = a.threadMinflt() - b.threadMinflt();
            return new Expectation.Finding(b.tid() == a.tid() && d >= n, "minflt +" + d
                    + (b.tid() == a.tid() ? "" : " (measured on different threads " + b.tid() + " and " + a.tid() + ")"));
        });
    }

    /** The line covering the range is named {@code [anon:name]}. */
    public static Expectation named(String name, int pageSize, long pages) {
        return lines("the line is now named [anon:" + name + "]", pageSize,
                new Line(0, pages, "rw-p", MappingPath.Type.ANON_NAMED, name));
    }

    /** The kernel's break (brk(0)) is {@code addr}. */
    public static Expectation breakAt(long addr) {
        return new Expectation("brk(0) answers 0x" + Long.toHexString(addr), (b, a) ->
                new Expectation.Finding(a.brk() == addr, "brk(0) = 0x" + Long.toHexString(a.brk())));
    }

    /** The [heap] line ends at {@code end} (a page-aligned break) and starts at stat's start_brk. */
    public static Expectation heapSpans(long end) {
        return new Expectation("[heap] runs from start_brk (stat field 47) to 0x" + Long.toHexString(end), (b, a) -> {
            Mapping h = a.heap();
            if (h == null) {
                return new Expectation.Finding(false, "no [heap] line in maps");
            }
            return new Expectation.Finding(h.end() == end && h.start() == a.startBrk(), "[heap] 0x"
                    + Long.toHexString(h.start()) + "-0x" + Long.toHexString(h.end()) + ", start_brk 0x"
                    + Long.toHexString(a.startBrk()));
        });
    }

    /** The [heap] line's end moved by exactly {@code bytes} (its end before is start_brk when there was none). */
    public static Expectation heapGrowsBy(long bytes) {
        return new Expectation("[heap] end moves by " + bytes / 1024 + " KiB", (b, a) -> {
            long before = b.heap() == null ? b.startBrk() : b.heap().end();
            long after = a.heap() == null ? a.startBrk() : a.heap().end();
            return new Expectation.Finding(after - before == bytes, "[heap] end 0x" + Long.toHexString(before)
                    + " -> 0x" + Long.toHexString(after) + " (" + ((after - before) >= 0 ? "+" : "")
                    + (after - before) / 1024 + " KiB)");
        });
    }

    public static Expectation startBrkUnchanged() {
        return new Expectation("start_brk (stat field 47) stays where it is", (b, a) ->
                new Expectation.Finding(a.startBrk() == b.startBrk(), "start_brk 0x" + Long.toHexString(b.startBrk())
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

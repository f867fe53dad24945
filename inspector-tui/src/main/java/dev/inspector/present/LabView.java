package dev.inspector.present;

import dev.inspector.core.claims.Check;
import dev.inspector.core.claims.Finding;
import dev.inspector.core.claims.Tally;
import dev.inspector.core.claims.Verdict;
import dev.inspector.core.lab.Lab;
import dev.inspector.core.lab.LabStep;
import dev.inspector.core.lab.Measure;
import dev.inspector.core.lab.Observation;
import dev.inspector.core.lab.Pages;
import dev.inspector.core.lab.StepResult;
import dev.inspector.core.model.Mapping;

import java.util.ArrayList;
import java.util.List;

/**
 * Lab results as blocks (lines of spans with roles): per step the call, the measurements it is about before and after, each expectation
 * with its verdict, the claim it cites and what was seen (and the nuance, why it differs, or what is missing), notes and
 * the step's verdict (roles HOLDS, NUANCE, ERROR for differs, WARNING for cannot be checked here). Every string
 * passes through {@link Escape#forTerminal}: maps lines of our own process may still carry file names chosen by others.
 * The JSON form is {@link dev.inspector.core.json.LabJson}.
 */
public final class LabView {

    private static final String INDENT = "  ";
    private static final int LABEL = 10;
    /** Wide enough for the longest check word, "unchecked". */
    private static final int WORD = 10;
    /** Where the text of a labelled line starts: continuation lines of a wrapped one start there too. */
    private static final int TEXT = INDENT.length() + LABEL;

    private LabView() {
    }

    /** The verdict of one check, in a word: holds, nuance, differs, unchecked (as the demos say it). */
    public static String word(Verdict v) {
        return DemoView.word(v);
    }

    /** The verdict of a step, as its verdict line says it. */
    public static String phrase(Verdict v) {
        switch (v) {
            case HOLDS:
                return "HOLDS";
            case HOLDS_WITH_NUANCE:
                return "HOLDS WITH A NUANCE";
            case DIFFERS:
                return "DIFFERS";
            default:
                return "CANNOT BE CHECKED HERE";
        }
    }

    /** The step names and titles, one per line. */
    public static List<Block> list(List<LabStep> steps) {
        int w = 0;
        for (LabStep s : steps) {
            w = Math.max(w, s.name().length());
        }
        List<Block> out = new ArrayList<>();
        for (LabStep s : steps) {
            out.add(Line.of(pad(s.name(), w + 2) + Escape.forTerminal(s.title())).hanging(w + 2));
        }
        return out;
    }

    public static List<Block> header(Lab.Setup s) {
        return List.of(Line.of("inspector lab: experiments on the inspector's own process (pid " + s.pid() + "); no"
                + " other process is touched."), Line.of("region: " + s.pages() + " pages of " + s.pageSize()
                + " bytes, " + s.write() + " of them written; zero page: " + Escape.forTerminal(s.zeroPage())));
    }

    /** One step in full. {@code index}/{@code total} number it ("[3/9]"). */
    public static List<Block> step(StepResult r, int index, int total) {
        List<Block> out = new ArrayList<>();
        out.add(Line.blank());
        out.add(Line.of(Span.of(Role.LABEL, "[" + index + "/" + total + "] " + r.name()),
                Span.plain(": " + Escape.forTerminal(r.step().title()))).hanging(INDENT.length()));
        out.add(row("call", Span.plain(Escape.forTerminal(r.call()))));
        for (Measure m : r.shown()) {
            measure(out, m, r.before(), r.after());
        }
        boolean first = true;
        String more = pad("", WORD);
        for (Check c : r.checks()) {
            Finding f = c.finding();
            String cite = c.claim().id() == null ? "" : " [" + c.claim().id() + "]";
            out.add(row(first ? "expected" : "", Span.of(DemoView.role(c.verdict()), pad(word(c.verdict()), WORD)),
                    Span.plain(Escape.forTerminal(c.claim().statement() + cite))).hanging(TEXT + WORD));
            if (!f.observed().isEmpty()) {
                out.add(row("", Span.plain(more + "seen: " + Escape.forTerminal(f.observed()))).hanging(TEXT + WORD));
            }
            if (f.detail() != null) {
                String what = f.verdict() == Verdict.HOLDS_WITH_NUANCE ? "nuance: "
                        : f.verdict() == Verdict.DIFFERS ? "why: " : "missing: ";
                out.add(row("", Span.plain(more + what + Escape.forTerminal(f.detail()))).hanging(TEXT + WORD));
            }
            first = false;
        }
        for (String n : r.notes()) {
            out.add(row("note", Span.plain(Escape.forTerminal(n))));
        }
        out.add(row("verdict", Span.of(DemoView.role(r.verdict()), phrase(r.verdict())),
                Span.plain(": " + Escape.forTerminal(r.reason()))));
        return out;
    }

    /** A step that only set the stage for the one asked for: one line. */
    public static Block brief(StepResult r) {
        return Line.of(Span.plain(INDENT + pad(r.name(), 11)), Span.of(DemoView.role(r.verdict()),
                pad(word(r.verdict()), 12)), Span.plain(Escape.forTerminal(r.reason()))).hanging(INDENT.length() + 23);
    }

    /** The count of steps per verdict, in one line. */
    public static List<Block> summary(List<StepResult> results) {
        Tally t = Lab.overall(results).tally();
        return List.of(Line.blank(), Line.of(Span.plain("summary: "), Span.of(Role.HOLDS, t.holds() + " hold"),
                Span.plain(", "), Span.of(t.holdsWithNuance() > 0 ? Role.NUANCE : Role.PLAIN, t.holdsWithNuance()
                        + " hold with a nuance"), Span.plain(", "), Span.of(t.differs() > 0 ? Role.ERROR : Role.PLAIN,
                        t.differs() + " differ"), Span.plain(", "), Span.of(t.cannotCheck() > 0 ? Role.WARNING
                        : Role.PLAIN, t.cannotCheck() + " cannot be checked here")));
    }

    /** One measurement before and after: a label, then its lines. */
    private static void measure(List<Block> out, Measure m, Observation b, Observation a) {
        List<String> before;
        List<String> after;
        String label;
        switch (m) {
            case MAPS:
                label = "maps";
                before = mapsLines(b);
                after = mapsLines(a);
                break;
            case PAGES:
                label = "pagemap";
                before = List.of(pages(b));
                after = List.of(pages(a));
                break;
            case RSS:
                label = "smaps Rss";
                before = List.of(kb(b));
                after = List.of(kb(a));
                break;
            case MINFLT:
                label = "minflt";
                before = List.of(b.threadMinflt() + " (thread " + b.tid() + ")");
                after = List.of(a.threadMinflt() + " (+" + (a.threadMinflt() - b.threadMinflt()) + ")");
                break;
            case BRK:
                label = "brk(0)";
                before = List.of(hex(b.brk()));
                after = List.of(hex(a.brk()));
                break;
            case HEAP:
                label = "[heap]";
                before = List.of(heap(b));
                after = List.of(heap(a));
                break;
            case START_BRK:
                label = "start_brk";
                before = List.of(hex(b.startBrk()));
                after = List.of(hex(a.startBrk()));
                break;
            default:
                throw new IllegalStateException("no text for measure " + m);
        }
        // Maps lines come escaped (Kinds.mapsLine: the name decoded and escaped once); the rest is the inspector's own.
        for (int i = 0; i < before.size(); i++) {
            out.add(row(i == 0 ? label : "", Span.plain((i == 0 ? "before  " : "        ") + before.get(i)))
                    .hanging(TEXT + 8));
        }
        for (int i = 0; i < after.size(); i++) {
            out.add(row("", Span.plain((i == 0 ? "after   " : "        ") + after.get(i))).hanging(TEXT + 8));
        }
    }

    private static List<String> mapsLines(Observation o) {
        if (o.unmapped()) {
            return List.of("(no line in " + o.range() + ")");
        }
        List<String> out = new ArrayList<>();
        for (Mapping m : o.lines()) {
            out.add(Kinds.mapsLine(m));
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
        return h == null ? "(no [heap] line)" : Kinds.mapsLine(h);
    }

    private static String hex(long a) {
        return "0x" + Long.toHexString(a);
    }

    /** A labelled line: the label in its column, then the spans; wrapped on a narrow screen under the text. */
    private static Line row(String label, Span... text) {
        List<Span> spans = new ArrayList<>();
        spans.add(Span.plain(INDENT + pad(label, LABEL)));
        spans.addAll(List.of(text));
        return new Line(spans, TEXT);
    }

    private static String pad(String s, int w) {
        StringBuilder b = new StringBuilder(s);
        while (b.length() < w) {
            b.append(' ');
        }
        return b.toString();
    }
}

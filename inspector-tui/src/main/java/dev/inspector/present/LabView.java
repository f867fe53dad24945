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

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders lab results as text: per step the call, the measurements it is about before and after, each expectation
 * with its verdict, the claim it cites and what was seen (and the nuance, why it differs, or what is missing), notes and
 * the step's verdict (holds green, holds with a nuance cyan, differs red, cannot be checked here yellow). Every string
 * passes through {@link Escape#forTerminal}: maps lines of our own process may still carry file names chosen by others.
 * The JSON form is {@link dev.inspector.core.json.LabJson}.
 */
public final class LabView {

    private static final String INDENT = "  ";
    private static final int LABEL = 10;
    /** Wide enough for the longest check word, "unchecked". */
    private static final int WORD = 10;

    private LabView() {
    }

    public static String color(Verdict v) {
        switch (v) {
            case HOLDS:
                return Style.GREEN;
            case HOLDS_WITH_NUANCE:
                return Style.CYAN;
            case DIFFERS:
                return Style.RED;
            default:
                return Style.YELLOW;
        }
    }

    /** The verdict of one check, in a word: holds, nuance, differs, unchecked. */
    public static String word(Verdict v) {
        switch (v) {
            case HOLDS:
                return "holds";
            case HOLDS_WITH_NUANCE:
                return "nuance";
            case DIFFERS:
                return "differs";
            default:
                return "unchecked";
        }
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
    public static void list(List<LabStep> steps, PrintWriter out) {
        int w = 0;
        for (LabStep s : steps) {
            w = Math.max(w, s.name().length());
        }
        for (LabStep s : steps) {
            out.println(pad(s.name(), w + 2) + Escape.forTerminal(s.title()));
        }
    }

    public static void header(Lab.Setup s, PrintWriter out) {
        out.println("inspector lab: experiments on the inspector's own process (pid " + s.pid() + "); no other process "
                + "is touched.");
        out.println("region: " + s.pages() + " pages of " + s.pageSize() + " bytes, " + s.write() + " of them written; "
                + "zero page: " + Escape.forTerminal(s.zeroPage()));
    }

    /** One step in full. {@code index}/{@code total} number it ("[3/9]"). */
    public static void step(StepResult r, int index, int total, Style style, PrintWriter out) {
        out.println();
        out.println(style.bold("[" + index + "/" + total + "] " + r.name()) + ": " + Escape.forTerminal(r.step().title()));
        row(out, "call", Escape.forTerminal(r.call()));
        for (Measure m : r.shown()) {
            measure(out, m, r.before(), r.after());
        }
        boolean first = true;
        String more = pad("", WORD);
        for (Check c : r.checks()) {
            Finding f = c.finding();
            String cite = c.claim().id() == null ? "" : " [" + c.claim().id() + "]";
            row(out, first ? "expected" : "", style.apply(color(c.verdict()), pad(word(c.verdict()), WORD))
                    + Escape.forTerminal(c.claim().statement() + cite));
            if (!f.observed().isEmpty()) {
                row(out, "", more + "seen: " + Escape.forTerminal(f.observed()));
            }
            if (f.detail() != null) {
                String what = f.verdict() == Verdict.HOLDS_WITH_NUANCE ? "nuance: "
                        : f.verdict() == Verdict.DIFFERS ? "why: " : "missing: ";
                row(out, "", more + what + Escape.forTerminal(f.detail()));
            }
            first = false;
        }
        for (String n : r.notes()) {
            row(out, "note", Escape.forTerminal(n));
        }
        row(out, "verdict", style.apply(color(r.verdict()), phrase(r.verdict())) + ": "
                + Escape.forTerminal(r.reason()));
    }

    /** A step that only set the stage for the one asked for: one line. */
    public static void brief(StepResult r, Style style, PrintWriter out) {
        out.println(INDENT + pad(r.name(), 11) + style.apply(color(r.verdict()), pad(word(r.verdict()), 12))
                + Escape.forTerminal(r.reason()));
    }

    /** The count of steps per verdict, in one line. */
    public static void summary(List<StepResult> results, Style style, PrintWriter out) {
        Tally t = Lab.overall(results).tally();
        out.println();
        out.println("summary: " + style.apply(Style.GREEN, t.holds() + " hold") + ", "
                + style.apply(t.holdsWithNuance() > 0 ? Style.CYAN : null, t.holdsWithNuance() + " hold with a nuance")
                + ", " + style.apply(t.differs() > 0 ? Style.RED : null, t.differs() + " differ") + ", "
                + style.apply(t.cannotCheck() > 0 ? Style.YELLOW : null, t.cannotCheck() + " cannot be checked here"));
    }

    /** One measurement before and after: a label, then its lines. */
    private static void measure(PrintWriter out, Measure m, Observation b, Observation a) {
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
        for (int i = 0; i < before.size(); i++) {
            row(out, i == 0 ? label : "", (i == 0 ? "before  " : "        ") + Escape.forTerminal(before.get(i)));
        }
        for (int i = 0; i < after.size(); i++) {
            row(out, "", (i == 0 ? "after   " : "        ") + Escape.forTerminal(after.get(i)));
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

    private static String hex(long a) {
        return "0x" + Long.toHexString(a);
    }

    private static void row(PrintWriter out, String label, String text) {
        out.println(INDENT + pad(label, LABEL) + text);
    }

    private static String pad(String s, int w) {
        StringBuilder b = new StringBuilder(s);
        while (b.length() < w) {
            b.append(' ');
        }
        return b.toString();
    }
}

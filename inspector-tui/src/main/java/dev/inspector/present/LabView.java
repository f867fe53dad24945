package dev.inspector.present;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.inspector.core.lab.Check;
import dev.inspector.core.lab.Evidence;
import dev.inspector.core.lab.LabStep;
import dev.inspector.core.lab.Observation;
import dev.inspector.core.lab.StepResult;
import dev.inspector.core.lab.Verdict;
import dev.inspector.core.model.Mapping;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;
import java.util.Locale;

/**
 * Renders lab results: per step the call, the evidence before and after, each expectation with its verdict and the
 * measured value, notes and the step's verdict (holds green, differs red, unsupported yellow). Every string passes
 * through {@link Escape#forTerminal}: maps lines of our own process may still carry file names chosen by others.
 */
public final class LabView {

    /** What the run was: shown once above the steps. */
    public record Setup(int pid, int pageSize, int pages, int write, String zeroPage) {
    }

    private static final String INDENT = "  ";
    private static final int LABEL = 10;

    private LabView() {
    }

    public static String color(Verdict v) {
        switch (v) {
            case HOLDS:
                return Style.GREEN;
            case DIFFERS:
                return Style.RED;
            default:
                return Style.YELLOW;
        }
    }

    public static String word(Verdict v) {
        return v.name().toLowerCase(Locale.ROOT);
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

    public static void header(Setup s, PrintWriter out) {
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
        for (Evidence e : r.evidence()) {
            List<String> b = e.before();
            List<String> a = e.after();
            for (int i = 0; i < b.size(); i++) {
                row(out, i == 0 ? e.label() : "", (i == 0 ? "before  " : "        ") + Escape.forTerminal(b.get(i)));
            }
            for (int i = 0; i < a.size(); i++) {
                row(out, "", (i == 0 ? "after   " : "        ") + Escape.forTerminal(a.get(i)));
            }
        }
        boolean first = true;
        for (Check c : r.checks()) {
            String v = pad(word(c.verdict()), 8);
            row(out, first ? "expected" : "", style.apply(color(c.verdict()), v) + Escape.forTerminal(c.expected()));
            row(out, "", "        seen: " + Escape.forTerminal(c.observed()));
            first = false;
        }
        for (String n : r.notes()) {
            row(out, "note", Escape.forTerminal(n));
        }
        row(out, "verdict", style.apply(color(r.verdict()), r.verdict().name()) + ": "
                + Escape.forTerminal(r.reason()));
    }

    /** A step that only set the stage for the one asked for: one line. */
    public static void brief(StepResult r, Style style, PrintWriter out) {
        out.println(INDENT + pad(r.name(), 11) + style.apply(color(r.verdict()), pad(word(r.verdict()), 12))
                + Escape.forTerminal(r.reason()));
    }

    public static void summary(List<StepResult> results, Style style, PrintWriter out) {
        int[] n = counts(results);
        out.println();
        out.println("summary: " + style.apply(Style.GREEN, n[0] + " hold") + ", "
                + style.apply(n[1] > 0 ? Style.RED : null, n[1] + " differ") + ", "
                + style.apply(n[2] > 0 ? Style.YELLOW : null, n[2] + " unsupported"));
    }

    /** [holds, differs, unsupported]. */
    public static int[] counts(List<StepResult> results) {
        int[] n = new int[3];
        for (StepResult r : results) {
            n[r.verdict().ordinal()]++;
        }
        return n;
    }

    /** The whole run as one JSON document (addresses as "0x..." strings, sizes in bytes). */
    public static void json(Setup s, List<StepResult> results, Writer w) throws IOException {
        JsonFactory f = new JsonFactory();
        try (JsonGenerator g = f.createGenerator(w)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeNumberField("pid", s.pid());
            g.writeNumberField("pageSize", s.pageSize());
            g.writeNumberField("pages", s.pages());
            g.writeNumberField("write", s.write());
            g.writeStringField("zeroPage", s.zeroPage());
            g.writeArrayFieldStart("steps");
            for (StepResult r : results) {
                g.writeStartObject();
                g.writeStringField("name", r.name());
                g.writeStringField("title", r.step().title());
                g.writeStringField("call", r.call());
                g.writeStringField("verdict", word(r.verdict()));
                g.writeStringField("reason", r.reason());
                g.writeArrayFieldStart("checks");
                for (Check c : r.checks()) {
                    g.writeStartObject();
                    g.writeStringField("expected", c.expected());
                    g.writeStringField("verdict", word(c.verdict()));
                    g.writeStringField("observed", c.observed());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeArrayFieldStart("notes");
                for (String n : r.notes()) {
                    g.writeString(n);
                }
                g.writeEndArray();
                g.writeFieldName("before");
                observation(g, r.before());
                g.writeFieldName("after");
                observation(g, r.after());
                g.writeEndObject();
            }
            g.writeEndArray();
            int[] n = counts(results);
            g.writeObjectFieldStart("summary");
            g.writeNumberField("holds", n[0]);
            g.writeNumberField("differs", n[1]);
            g.writeNumberField("unsupported", n[2]);
            g.writeEndObject();
            g.writeEndObject();
        }
        w.write('\n');
        w.flush();
    }

    private static void observation(JsonGenerator g, Observation o) throws IOException {
        g.writeStartObject();
        g.writeStringField("start", hex(o.range().start()));
        g.writeStringField("end", hex(o.range().end()));
        g.writeArrayFieldStart("maps");
        for (Mapping m : o.lines()) {
            g.writeString(m.toMapsLine());
        }
        g.writeEndArray();
        g.writeNumberField("pages", o.pages().pages());
        g.writeNumberField("present", o.pages().present());
        g.writeNumberField("exclusive", o.pages().exclusive());
        if (o.pages().zeroPage() >= 0) {
            g.writeNumberField("zeroPage", o.pages().zeroPage());
        } else {
            g.writeNullField("zeroPage");
        }
        g.writeNumberField("rssBytes", o.rssBytes());
        g.writeNumberField("tid", o.tid());
        g.writeNumberField("threadMinflt", o.threadMinflt());
        g.writeStringField("brk", hex(o.brk()));
        if (o.heap() != null) {
            g.writeStringField("heap", o.heap().toMapsLine());
        } else {
            g.writeNullField("heap");
        }
        g.writeStringField("startBrk", hex(o.startBrk()));
        g.writeEndObject();
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

package dev.inspector.present;

import dev.inspector.core.checklist.ModelLine;
import dev.inspector.core.checklist.ModelReport;
import dev.inspector.core.claims.Catalogue;
import dev.inspector.core.claims.Finding;
import dev.inspector.core.claims.Tally;
import dev.inspector.core.claims.Verdict;

import java.io.PrintWriter;

/**
 * Renders {@code inspector model} as a checklist: per line the topic, the verdict, the cited claim, then what was
 * seen, the nuance (why it differs, what is missing) and where the evidence was read. Verdict colours as in the lab.
 */
public final class ModelView {

    private static final int TOPIC = 19;
    private static final int VERDICT = 11;
    private static final int CLAIM = 6;
    private static final String MORE = DemoView.pad("", TOPIC + VERDICT + CLAIM);

    private ModelView() {
    }

    public static void print(ModelReport r, Style style, PrintWriter out) {
        out.println(style.bold("inspector model") + ": the documents' model checked on this host (Linux "
                + Escape.forTerminal(r.kernelRelease()) + ") and on pid " + r.pid() + " ("
                + Escape.forTerminal(r.comm()) + (r.self() ? ", the inspector itself; give a PID for another process"
                : "") + "); every line measured now");
        out.println("claims: " + Catalogue.PAGE);
        out.println();
        out.println(style.bold(DemoView.pad("TOPIC", TOPIC) + DemoView.pad("VERDICT", VERDICT)
                + DemoView.pad("CLAIM", CLAIM) + "STATEMENT (then what was seen, and where)"));
        for (ModelLine l : r.lines()) {
            Finding f = l.check().finding();
            String id = l.check().claim().id();
            String first = DemoView.pad(l.topic(), TOPIC) + style.apply(LabView.color(l.verdict()),
                    DemoView.pad(LabView.word(l.verdict()), VERDICT)) + DemoView.pad(id == null ? "-" : id, CLAIM);
            out.println(first + Escape.forTerminal(l.check().claim().statement()));
            if (!f.observed().isEmpty()) {
                out.println(MORE + "seen: " + Escape.forTerminal(f.observed()));
            }
            if (f.detail() != null) {
                String what = f.verdict() == Verdict.HOLDS_WITH_NUANCE ? "nuance: "
                        : f.verdict() == Verdict.DIFFERS ? "why: " : "cannot be checked here: ";
                out.println(MORE + what + Escape.forTerminal(f.detail()));
            }
            out.println(MORE + "from: " + String.join(", ", l.sources()));
        }
        Tally t = r.outcome().tally();
        out.println();
        out.println("summary: " + t.total() + " lines: " + style.apply(Style.GREEN, t.holds() + " hold") + ", "
                + style.apply(t.holdsWithNuance() > 0 ? Style.CYAN : null, t.holdsWithNuance() + " hold with a nuance")
                + ", " + style.apply(t.differs() > 0 ? Style.RED : null, t.differs() + " differ") + ", "
                + style.apply(t.cannotCheck() > 0 ? Style.YELLOW : null, t.cannotCheck() + " cannot be checked here"));
    }
}

package dev.inspector.present;

import dev.inspector.core.checklist.ModelLine;
import dev.inspector.core.checklist.ModelReport;
import dev.inspector.core.claims.Catalogue;
import dev.inspector.core.claims.Finding;
import dev.inspector.core.claims.Verdict;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code inspector model} as blocks, a checklist: per line the topic, the verdict (in its role), the cited claim and the
 * statement, then what was seen, the nuance (why it differs, what is missing) and where the evidence was read.
 */
public final class ModelView {

    private static final int TOPIC = 19;
    private static final int VERDICT = 11;
    private static final int CLAIM = 6;
    private static final String MORE = DemoView.pad("", TOPIC + VERDICT + CLAIM);

    private ModelView() {
    }

    public static List<Block> present(ModelReport r) {
        List<Block> out = new ArrayList<>();
        out.add(Line.of(Span.of(Role.TOTAL, "inspector model"), Span.plain(": the documents' model checked on this"
                + " host (Linux " + Escape.forTerminal(r.kernelRelease()) + ") and on pid " + r.pid() + " ("
                + Escape.forTerminal(r.comm()) + (r.self() ? ", the inspector itself; give a PID for another process"
                : "") + "); every line measured now")));
        out.add(Line.of("claims: " + Catalogue.PAGE));
        out.add(Line.blank());
        out.add(Line.of(Role.HEADER, DemoView.pad("TOPIC", TOPIC) + DemoView.pad("VERDICT", VERDICT)
                + DemoView.pad("CLAIM", CLAIM) + "STATEMENT (then what was seen, and where)"));
        for (ModelLine l : r.lines()) {
            Finding f = l.check().finding();
            String id = l.check().claim().id();
            out.add(Line.of(Span.plain(DemoView.pad(l.topic(), TOPIC)),
                    Span.of(DemoView.role(l.verdict()), DemoView.pad(DemoView.word(l.verdict()), VERDICT)),
                    Span.plain(DemoView.pad(id == null ? "-" : id, CLAIM)
                            + Escape.forTerminal(l.check().claim().statement()))).hanging(MORE.length()));
            // a line wider than the terminal goes on in the statement's column, not at the margin
            if (!f.observed().isEmpty()) {
                out.add(Line.of(MORE + "seen: " + Escape.forTerminal(f.observed())).hanging(MORE.length()));
            }
            if (f.detail() != null) {
                String what = f.verdict() == Verdict.HOLDS_WITH_NUANCE ? "nuance: "
                        : f.verdict() == Verdict.DIFFERS ? "why: " : "cannot be checked here: ";
                out.add(Line.of(MORE + what + Escape.forTerminal(f.detail())).hanging(MORE.length()));
            }
            out.add(Line.of(Role.MUTED, MORE + "from: " + String.join(", ", l.sources())).hanging(MORE.length()));
        }
        out.add(Line.blank());
        out.add(DemoView.tally("summary: " + r.outcome().tally().total() + " lines: ", r.outcome(), ""));
        return out;
    }
}

package dev.inspector.core.checklist;

import dev.inspector.core.claims.Check;
import dev.inspector.core.claims.Judged;
import dev.inspector.core.claims.Verdict;

import java.util.List;

/**
 * One line of {@code inspector model}: a topic ("page size"), the claim judged for it (a catalogue claim, or a fact of
 * our own where the documents say nothing) and where its evidence was read ({@code sources}: kernel files, probes).
 */
public record ModelLine(String topic, Check check, List<String> sources) implements Judged {

    public ModelLine {
        sources = List.copyOf(sources);
    }

    @Override
    public Verdict verdict() {
        return check.verdict();
    }

    @Override
    public String detail() {
        return topic + ": " + check.detail();
    }
}

package dev.inspector.core.checklist;

import dev.inspector.core.claims.Outcome;

import java.util.List;

/** The checklist for one process on this host: which process, and every line as judged. */
public record ModelReport(int pid, boolean self, String comm, String kernelRelease, List<ModelLine> lines) {

    public ModelReport {
        lines = List.copyOf(lines);
    }

    /** The verdict over every line: differs when one differs. */
    public Outcome outcome() {
        return Outcome.of(lines, "lines");
    }
}

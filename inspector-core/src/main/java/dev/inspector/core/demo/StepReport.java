package dev.inspector.core.demo;

import dev.inspector.core.claims.Check;
import dev.inspector.core.claims.Outcome;

import java.util.List;

/**
 * One stop of a demo as judged: its number in the run, the demo step, the announced STEP line, what the program just
 * did ({@code did}), the evidence measured, the relevant change since the process's previous stop, each claim's check
 * and their outcome (empty and not counted when the step judges no claim).
 */
public record StepReport(int index, DemoStep step, SampleStep announced, String did, DemoEvidence evidence,
                         StepChange change, List<Check> checks, Outcome outcome) {

    public StepReport {
        checks = List.copyOf(checks);
    }

    public String name() {
        return announced.name();
    }
}

package dev.inspector.core.lab;

import dev.inspector.core.claims.Check;
import dev.inspector.core.claims.Judged;
import dev.inspector.core.claims.Outcome;
import dev.inspector.core.claims.Verdict;

import java.util.List;

/**
 * One step as it ran: the call made (with its arguments and result), each expectation as judged from the evidence,
 * the measurements the step is about ({@code shown}, for views), notes (placement, restoring the break, what an errno
 * means) and the step's outcome (its verdict, counts and a one-line reason), all computed from {@code evidence}.
 */
public record StepResult(LabStep step, String call, List<Check> checks, List<Measure> shown, List<String> notes,
                         Outcome outcome, StepEvidence evidence) implements Judged {

    public StepResult {
        checks = List.copyOf(checks);
        shown = List.copyOf(shown);
        notes = List.copyOf(notes);
    }

    public String name() {
        return step.name();
    }

    @Override
    public Verdict verdict() {
        return outcome.verdict();
    }

    /** The step's one-line reason (counts included). */
    public String reason() {
        return outcome.reason();
    }

    /** As a member of a run: the step's name and its reason without the counts. */
    @Override
    public String detail() {
        return name() + ": " + outcome.detail();
    }

    public Observation before() {
        return evidence.before();
    }

    public Observation after() {
        return evidence.after();
    }
}

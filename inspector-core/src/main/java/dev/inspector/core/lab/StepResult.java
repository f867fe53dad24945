package dev.inspector.core.lab;

import java.util.List;

/**
 * One step as it ran: the call made (with its arguments and result), each expectation with its verdict and the value
 * measured, the evidence before and after, notes (placement, restoring the break, what an errno means), the step's
 * verdict and a one-line reason. {@code before}/{@code after} are the raw observations.
 */
public record StepResult(LabStep step, String call, List<Check> checks, List<Evidence> evidence, List<String> notes,
                         Verdict verdict, String reason, Observation before, Observation after) {

    public StepResult {
        checks = List.copyOf(checks);
        evidence = List.copyOf(evidence);
        notes = List.copyOf(notes);
    }

    public String name() {
        return step.name();
    }
}

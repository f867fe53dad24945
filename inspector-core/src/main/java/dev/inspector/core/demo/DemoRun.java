package dev.inspector.core.demo;

import dev.inspector.core.claims.Check;
import dev.inspector.core.claims.Outcome;

import java.util.ArrayList;
import java.util.List;

/**
 * A demo as it ran: the command, the sample's pid, every stop as judged and the program's exit status. When the sample
 * cannot run here at all ({@code unavailable}: no 32-bit toolchain, a kernel that refuses the binary) there are no
 * stops and {@code skipped} holds one "cannot be checked here" per distinct claim of the demo, naming what is
 * missing.
 */
public record DemoRun(Demo demo, List<String> command, int pid, List<StepReport> steps, int exitStatus,
                      String unavailable, List<Check> skipped) {

    public DemoRun {
        command = List.copyOf(command);
        steps = List.copyOf(steps);
        skipped = List.copyOf(skipped);
    }

    /** Every check of the run, in order. */
    public List<Check> checks() {
        List<Check> all = new ArrayList<>(skipped);
        for (StepReport s : steps) {
            all.addAll(s.checks());
        }
        return all;
    }

    /** The run's verdict over all its claims: differs when one differs (cannot be checked alone is no failure). */
    public Outcome outcome() {
        return Outcome.of(checks(), "claims");
    }
}

package dev.inspector.core.lab;

import dev.inspector.core.claims.Expectation;

import java.util.List;

/**
 * A step as {@link Experiments} ran it, not yet judged: the call made, the evidence measured around it, the
 * expectations the step states, notes, and the measurements the step is about.
 */
record Trial(String name, String call, StepEvidence evidence, List<Expectation<StepEvidence>> expectations,
             List<String> notes, List<Measure> shown) {

    Trial {
        expectations = List.copyOf(expectations);
        notes = List.copyOf(notes);
        shown = List.copyOf(shown);
    }
}

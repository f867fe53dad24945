package dev.inspector.core.lab;

import java.util.Objects;

/**
 * What a lab step's expectations are judged on: the observations right before and right after its call, and
 * {@code missing}: null when the call did what was asked, otherwise what this host lacks for it (the kernel refused the
 * call for want of a feature), which leaves the step's claims about its effect unverifiable here.
 */
public record StepEvidence(Observation before, Observation after, String missing) {

    public StepEvidence {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
    }

    public StepEvidence(Observation before, Observation after) {
        this(before, after, null);
    }
}

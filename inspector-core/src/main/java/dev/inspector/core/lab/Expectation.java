package dev.inspector.core.lab;

import java.util.Objects;

/**
 * An expected change, stated before a step runs and judged only on what was measured before and after it.
 * {@link Expectations} builds the lab's own; a caller may add others to a step (a test adds a wrong one to show that
 * the lab then says DIFFERS).
 */
public record Expectation(String description, Judge judge) {

    /** Decides from the two observations; returns whether the expectation holds and what was seen. */
    @FunctionalInterface
    public interface Judge {
        Finding judge(Observation before, Observation after);
    }

    /** The outcome of a judge: {@code observed} is one line naming the measured values. */
    public record Finding(boolean holds, String observed) {
    }

    public Expectation {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(judge, "judge");
    }

    public Check check(Observation before, Observation after) {
        Finding f = judge.judge(before, after);
        return new Check(description, f.holds() ? Verdict.HOLDS : Verdict.DIFFERS, f.observed());
    }
}

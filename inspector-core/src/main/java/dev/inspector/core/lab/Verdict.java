package dev.inspector.core.lab;

/** What the kernel showed compared with what a lab step expected. */
public enum Verdict {
    /** Every expectation of the step was measured and matched. */
    HOLDS,
    /** At least one expectation was measured and did not match. */
    DIFFERS,
    /** The kernel (or our privileges) cannot do what the step tries; the reason says which feature is missing. */
    UNSUPPORTED
}

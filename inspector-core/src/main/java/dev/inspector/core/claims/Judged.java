package dev.inspector.core.claims;

/**
 * Anything with a verdict: a {@link Check} of one claim, or an {@link Outcome} of a group. Groups aggregate these, so a
 * run can be judged from its steps as a step is from its checks.
 */
public interface Judged {

    Verdict verdict();

    /**
     * The one line that explains the verdict, without the verdict's own word: what was seen (HOLDS), the nuance
     * (HOLDS_WITH_NUANCE), what was expected and what was seen instead (DIFFERS), what is missing (CANNOT_CHECK).
     */
    String detail();
}

package dev.inspector.core.claims;

/**
 * What measurement said about a claim. When the members of a group disagree the group takes the verdict of highest
 * {@link #rank()}: one DIFFERS makes the group differ; otherwise one CANNOT_CHECK leaves the group unchecked (part of it
 * was not verified); otherwise one nuance makes it hold with a nuance.
 */
public enum Verdict {
    /** Measured now, and it matched. */
    HOLDS(0),
    /** Measured now and it matched, with a difference worth stating: the nuance. */
    HOLDS_WITH_NUANCE(1),
    /** Measured now, and it did not match: the reason names what was seen instead, and why where known. */
    DIFFERS(3),
    /** Could not be measured here: the reason says what is missing (a privilege, a kernel feature, a pool). */
    CANNOT_CHECK(2);

    private final int rank;

    Verdict(int rank) {
        this.rank = rank;
    }

    /** Precedence in a group: DIFFERS 3, CANNOT_CHECK 2, HOLDS_WITH_NUANCE 1, HOLDS 0. */
    public int rank() {
        return rank;
    }

    /** True for HOLDS and HOLDS_WITH_NUANCE. */
    public boolean holds() {
        return this == HOLDS || this == HOLDS_WITH_NUANCE;
    }

    /** The one of the two a group containing both takes. */
    public static Verdict worse(Verdict a, Verdict b) {
        return a.rank >= b.rank ? a : b;
    }
}

package dev.inspector.core.claims;

/** How many members of a group had each verdict. */
public record Tally(int holds, int holdsWithNuance, int differs, int cannotCheck) {

    public static final Tally NONE = new Tally(0, 0, 0, 0);

    public Tally {
        if (holds < 0 || holdsWithNuance < 0 || differs < 0 || cannotCheck < 0) {
            throw new IllegalArgumentException("negative count");
        }
    }

    public static Tally of(Iterable<? extends Judged> members) {
        Tally t = NONE;
        for (Judged j : members) {
            t = t.plus(j.verdict());
        }
        return t;
    }

    public Tally plus(Verdict v) {
        switch (v) {
            case HOLDS:
                return new Tally(holds + 1, holdsWithNuance, differs, cannotCheck);
            case HOLDS_WITH_NUANCE:
                return new Tally(holds, holdsWithNuance + 1, differs, cannotCheck);
            case DIFFERS:
                return new Tally(holds, holdsWithNuance, differs + 1, cannotCheck);
            default:
                return new Tally(holds, holdsWithNuance, differs, cannotCheck + 1);
        }
    }

    public int count(Verdict v) {
        switch (v) {
            case HOLDS:
                return holds;
            case HOLDS_WITH_NUANCE:
                return holdsWithNuance;
            case DIFFERS:
                return differs;
            default:
                return cannotCheck;
        }
    }

    public int total() {
        return holds + holdsWithNuance + differs + cannotCheck;
    }

    /** The group's verdict: the highest-ranked one present ({@link Verdict#rank()}); CANNOT_CHECK when empty. */
    public Verdict verdict() {
        if (total() == 0) {
            return Verdict.CANNOT_CHECK;
        }
        Verdict worst = Verdict.HOLDS;
        for (Verdict v : Verdict.values()) {
            if (count(v) > 0) {
                worst = Verdict.worse(worst, v);
            }
        }
        return worst;
    }
}

package dev.inspector.core.claims;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The verdict of a group (a lab step from its checks, a run from its steps), with its counts and a one-line reason.
 * {@code detail} is the reason without the counts, so an outcome can itself be a member of a larger group.
 *
 * <ul>
 *   <li>DIFFERS when any member differs: the reason is the first differing member's (what was expected, what was seen);
 *   <li>else CANNOT_CHECK when any member could not be checked: what the first one misses;
 *   <li>else HOLDS_WITH_NUANCE when any member holds with a nuance: the counts and the nuances, each stated once;
 *   <li>else HOLDS: "N of N NOUN measured and met".
 * </ul>
 * An empty group cannot be checked: nothing was measured, and a verdict of nothing never holds.
 */
public record Outcome(Verdict verdict, Tally tally, String reason, String detail) implements Judged {

    public Outcome {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(tally, "tally");
        reason = Claim.required(reason, "reason");
        detail = Claim.required(detail, "detail");
    }

    /** The outcome of a group of checks (their noun: "expectations"). */
    public static Outcome of(List<Check> checks) {
        return of(checks, "expectations");
    }

    /** The outcome of a group; {@code noun} names its members in the reason ("steps", "claims"). */
    public static Outcome of(List<? extends Judged> members, String noun) {
        Tally t = Tally.of(members);
        if (t.total() == 0) {
            String none = "no " + noun + " were judged";
            return new Outcome(Verdict.CANNOT_CHECK, t, none, none);
        }
        Verdict v = t.verdict();
        String met = t.total() + " of " + t.total() + " " + noun + " measured and met";
        switch (v) {
            case HOLDS:
                return new Outcome(v, t, met, met);
            case HOLDS_WITH_NUANCE: {
                Set<String> nuances = new LinkedHashSet<>();
                for (Judged j : members) {
                    if (j.verdict() == v) {
                        nuances.add(j.detail());
                    }
                }
                String all = String.join("; ", nuances);
                return new Outcome(v, t, met + ", " + t.holdsWithNuance() + " with a nuance: " + all, all);
            }
            default: {
                String first = first(members, v).detail();
                return new Outcome(v, t, first, first);
            }
        }
    }

    private static Judged first(List<? extends Judged> members, Verdict v) {
        for (Judged j : members) {
            if (j.verdict() == v) {
                return j;
            }
        }
        throw new IllegalStateException("no member " + v);
    }
}

package dev.inspector.core.claims;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A claim and the judge that decides it from evidence of type {@code E}, stated before anything is measured. Judging
 * never throws and never guesses: a judge that fails or gives no finding yields CANNOT_CHECK naming why.
 */
public record Expectation<E>(Claim claim, Judge<E> judge) {

    /** Decides from evidence alone: no I/O, no measuring of its own. */
    @FunctionalInterface
    public interface Judge<E> {
        Finding judge(E evidence);
    }

    public Expectation {
        Objects.requireNonNull(claim, "claim");
        Objects.requireNonNull(judge, "judge");
    }

    public static <E> Expectation<E> of(String statement, Judge<E> judge) {
        return new Expectation<>(Claim.of(statement), judge);
    }

    /** The same judge, citing catalogue claim {@code id}. */
    public Expectation<E> citing(String id) {
        return new Expectation<>(claim.citing(id), judge);
    }

    /** The same judge under another statement (the citation is kept). */
    public Expectation<E> restated(String statement) {
        return new Expectation<>(claim.restated(statement), judge);
    }

    /** Judges {@code evidence}; a judge that throws or returns null gives CANNOT_CHECK with the reason. */
    public Check check(E evidence) {
        Finding f;
        try {
            f = judge.judge(evidence);
        } catch (RuntimeException e) {
            return Check.unmeasured(claim, "could not be judged: the judge failed with " + describe(e));
        }
        if (f == null) {
            return Check.unmeasured(claim, "could not be judged: the judge gave no finding");
        }
        return new Check(claim, f);
    }

    /** Each expectation judged on the same evidence, in order. */
    public static <E> List<Check> checkAll(List<? extends Expectation<E>> expectations, E evidence) {
        List<Check> out = new ArrayList<>(expectations.size());
        for (Expectation<E> e : expectations) {
            out.add(e.check(evidence));
        }
        return out;
    }

    private static String describe(RuntimeException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }
}

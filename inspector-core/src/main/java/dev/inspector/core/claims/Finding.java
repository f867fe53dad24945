package dev.inspector.core.claims;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a judge decided from evidence. {@code observed} names the measured values in one line ("0 of 64 present"); it
 * is required for every verdict but CANNOT_CHECK, so no verdict stands without what it was decided from.
 * {@code detail} depends on the verdict: the nuance (required for HOLDS_WITH_NUANCE), why it differs beyond the
 * measured value (optional for DIFFERS), what is missing (required for CANNOT_CHECK); none for HOLDS.
 * {@code evidence} optionally keeps the measured facts structured, for views that show more than the one line.
 */
public record Finding(Verdict verdict, String observed, String detail, List<Evidence> evidence) {

    public Finding {
        Objects.requireNonNull(verdict, "verdict");
        if (verdict == Verdict.CANNOT_CHECK) {
            observed = observed == null ? "" : observed;
        } else {
            observed = Claim.required(observed, "observed (what was measured)");
        }
        switch (verdict) {
            case HOLDS:
                if (detail != null) {
                    throw new IllegalArgumentException("a plain HOLDS has no detail; state it as a nuance: " + detail);
                }
                break;
            case HOLDS_WITH_NUANCE:
                detail = Claim.required(detail, "nuance");
                break;
            case CANNOT_CHECK:
                detail = Claim.required(detail, "what is missing");
                break;
            default:
                detail = detail == null ? null : Claim.required(detail, "why it differs");
                break;
        }
        evidence = List.copyOf(evidence);
    }

    public static Finding holds(String observed) {
        return new Finding(Verdict.HOLDS, observed, null, List.of());
    }

    public static Finding holdsWithNuance(String observed, String nuance) {
        return new Finding(Verdict.HOLDS_WITH_NUANCE, observed, nuance, List.of());
    }

    /** Differs, the measured value being the whole explanation. */
    public static Finding differs(String observed) {
        return new Finding(Verdict.DIFFERS, observed, null, List.of());
    }

    /** Differs, and {@code why} (what the measurement shows beyond the value itself). */
    public static Finding differs(String observed, String why) {
        return new Finding(Verdict.DIFFERS, observed, why, List.of());
    }

    /** Could not be measured here: {@code missing} says what is missing ("not root", "no hugetlb pool"). */
    public static Finding cannotCheck(String missing) {
        return new Finding(Verdict.CANNOT_CHECK, "", missing, List.of());
    }

    /** HOLDS when {@code holds}, DIFFERS otherwise; {@code observed} names the measured value either way. */
    public static Finding holdsIf(boolean holds, String observed) {
        return holds ? holds(observed) : differs(observed);
    }

    /** This finding with {@code more} evidence after what it has. */
    public Finding with(Evidence... more) {
        List<Evidence> all = new ArrayList<>(evidence);
        all.addAll(List.of(more));
        return new Finding(verdict, observed, detail, all);
    }
}

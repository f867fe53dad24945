package dev.inspector.core.claims;

import java.util.Objects;

/** A claim as judged: the claim itself and the finding its judge made from the evidence. */
public record Check(Claim claim, Finding finding) implements Judged {

    public Check {
        Objects.requireNonNull(claim, "claim");
        Objects.requireNonNull(finding, "finding");
    }

    /** A claim that could not even be measured here (the measurement failed or needs what is missing). */
    public static Check unmeasured(Claim claim, String missing) {
        return new Check(claim, Finding.cannotCheck(missing));
    }

    @Override
    public Verdict verdict() {
        return finding.verdict();
    }

    /** The measured values in one line; empty when nothing could be measured. */
    public String observed() {
        return finding.observed();
    }

    /**
     * By verdict: what was seen; the nuance; "expected STATEMENT; the kernel shows OBSERVED" (and why, where the judge
     * said); what is missing.
     */
    @Override
    public String detail() {
        switch (finding.verdict()) {
            case HOLDS:
                return finding.observed();
            case DIFFERS:
                return "expected " + claim.statement() + "; the kernel shows " + finding.observed()
                        + (finding.detail() == null ? "" : "; " + finding.detail());
            default:
                return finding.detail();
        }
    }
}

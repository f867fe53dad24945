package dev.inspector.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.inspector.core.claims.Catalogue;
import dev.inspector.core.claims.Check;
import dev.inspector.core.claims.Claim;
import dev.inspector.core.claims.Finding;
import dev.inspector.core.claims.Outcome;
import dev.inspector.core.claims.Tally;
import dev.inspector.core.claims.Verdict;

import java.io.IOException;

/**
 * The JSON shape of a judged claim and of a group's outcome, shared by the demo, model and aslr documents: the claim's
 * statement, its catalogue id and the documents that make it, the verdict ("holds", "holds_with_nuance", "differs",
 * "cannot_check"), what was observed and, by verdict, the nuance, why it differs or what is missing.
 */
final class ClaimsJson {

    private ClaimsJson() {
    }

    static void check(JsonGenerator g, Check c) throws IOException {
        Claim claim = c.claim();
        Finding f = c.finding();
        g.writeStartObject();
        g.writeStringField("expected", claim.statement());
        g.writeStringField("claim", claim.id());
        if (claim.document() != null) {
            g.writeStringField("document", claim.document());
        }
        if (claim.id() != null) {
            g.writeArrayFieldStart("documents");
            for (String d : Catalogue.get(claim.id()).documents()) {
                g.writeString(d);
            }
            g.writeEndArray();
        }
        g.writeStringField("verdict", LabJson.word(f.verdict()));
        if (f.verdict() == Verdict.CANNOT_CHECK && f.observed().isEmpty()) {
            g.writeNullField("observed");
        } else {
            g.writeStringField("observed", f.observed());
        }
        switch (f.verdict()) {
            case HOLDS_WITH_NUANCE:
                g.writeStringField("nuance", f.detail());
                break;
            case DIFFERS:
                if (f.detail() != null) {
                    g.writeStringField("why", f.detail());
                }
                break;
            case CANNOT_CHECK:
                g.writeStringField("missing", f.detail());
                break;
            default:
                break;
        }
        g.writeEndObject();
    }

    /** {@code "summary": {verdict, reason, holds, holdsWithNuance, differs, cannotCheck}}. */
    static void summary(JsonGenerator g, Outcome o) throws IOException {
        g.writeObjectFieldStart("summary");
        g.writeStringField("verdict", LabJson.word(o.verdict()));
        g.writeStringField("reason", o.reason());
        Tally t = o.tally();
        g.writeNumberField("holds", t.holds());
        g.writeNumberField("holdsWithNuance", t.holdsWithNuance());
        g.writeNumberField("differs", t.differs());
        g.writeNumberField("cannotCheck", t.cannotCheck());
        g.writeEndObject();
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}

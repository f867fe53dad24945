package dev.inspector.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.inspector.core.claims.Check;
import dev.inspector.core.claims.Claim;
import dev.inspector.core.claims.Finding;
import dev.inspector.core.claims.Verdict;
import dev.inspector.core.lab.Lab;
import dev.inspector.core.lab.Observation;
import dev.inspector.core.lab.StepResult;
import dev.inspector.core.model.Mapping;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;

/**
 * A lab run as one JSON document ({@code inspector lab --json}): the setup, per step the call, its verdict and reason,
 * each check (statement, cited claim, verdict, what was seen and the nuance, why or what is missing), notes and the raw
 * observations before and after; then the run's verdict with its counts. Addresses are "0x..." strings, sizes bytes,
 * texts raw (the reader escapes them for its own output).
 */
public final class LabJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    private LabJson() {
    }

    /** The JSON name of a verdict: "holds", "holds_with_nuance", "differs", "cannot_check". */
    public static String word(Verdict v) {
        return v.name().toLowerCase(Locale.ROOT);
    }

    /** Writes the document to {@code w} (flushed, not closed), ending with a newline. */
    public static void write(Lab.Setup s, List<StepResult> results, Writer w) throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeNumberField("pid", s.pid());
            g.writeNumberField("pageSize", s.pageSize());
            g.writeNumberField("pages", s.pages());
            g.writeNumberField("write", s.write());
            g.writeStringField("zeroPage", s.zeroPage());
            g.writeArrayFieldStart("steps");
            for (StepResult r : results) {
                step(g, r);
            }
            g.writeEndArray();
            ClaimsJson.summary(g, Lab.overall(results));
            g.writeEndObject();
        }
        w.write('\n');
        w.flush();
    }

    private static void step(JsonGenerator g, StepResult r) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", r.name());
        g.writeStringField("title", r.step().title());
        g.writeStringField("call", r.call());
        g.writeStringField("verdict", word(r.verdict()));
        g.writeStringField("reason", r.reason());
        g.writeArrayFieldStart("checks");
        for (Check c : r.checks()) {
            ClaimsJson.check(g, c); // the same members as a demo's checks
        }
        g.writeEndArray();
        g.writeArrayFieldStart("notes");
        for (String n : r.notes()) {
            g.writeString(n);
        }
        g.writeEndArray();
        g.writeFieldName("before");
        observation(g, r.before());
        g.writeFieldName("after");
        observation(g, r.after());
        g.writeEndObject();
    }

    private static void observation(JsonGenerator g, Observation o) throws IOException {
        g.writeStartObject();
        g.writeStringField("start", hex(o.range().start()));
        g.writeStringField("end", hex(o.range().end()));
        g.writeArrayFieldStart("maps");
        for (Mapping m : o.lines()) {
            g.writeString(m.toMapsLine());
        }
        g.writeEndArray();
        g.writeNumberField("pages", o.pages().pages());
        g.writeNumberField("present", o.pages().present());
        g.writeNumberField("exclusive", o.pages().exclusive());
        if (o.pages().zeroPage() >= 0) {
            g.writeNumberField("zeroPage", o.pages().zeroPage());
        } else {
            g.writeNullField("zeroPage");
        }
        g.writeNumberField("rssBytes", o.rssBytes());
        g.writeNumberField("tid", o.tid());
        g.writeNumberField("threadMinflt", o.threadMinflt());
        g.writeStringField("brk", hex(o.brk()));
        if (o.heap() != null) {
            g.writeStringField("heap", o.heap().toMapsLine());
        } else {
            g.writeNullField("heap");
        }
        g.writeStringField("startBrk", hex(o.startBrk()));
        g.writeEndObject();
    }

    private static String hex(long a) {
        return "0x" + Long.toHexString(a);
    }
}

package dev.inspector.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.inspector.core.claims.Check;
import dev.inspector.core.demo.Demo;
import dev.inspector.core.demo.DemoRun;
import dev.inspector.core.demo.StepChange;
import dev.inspector.core.demo.StepReport;
import dev.inspector.core.diff.DiffResult;
import dev.inspector.core.diff.RegionChange;
import dev.inspector.core.model.Region;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A demo run as one JSON document ({@code inspector demo NAME --json}): the demo, the command and pid, per stop what
 * the program announced and did, the change since the process's previous stop and each claim as judged, then the
 * summary. Addresses are "0x..." strings, sizes bytes, texts raw (escape them for a terminal).
 */
public final class DemoJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    private DemoJson() {
    }

    /** The list of demos: name, title, program, claims. */
    public static void list(List<Demo> demos, Writer w) throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.useDefaultPrettyPrinter();
            g.writeStartArray();
            for (Demo d : demos) {
                g.writeStartObject();
                g.writeStringField("name", d.name());
                g.writeStringField("title", d.title());
                g.writeStringField("program", d.program());
                strings(g, "claims", d.claimIds());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        w.write('\n');
        w.flush();
    }

    public static void write(DemoRun run, Writer w) throws IOException {
        Demo d = run.demo();
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("demo", d.name());
            g.writeStringField("title", d.title());
            g.writeStringField("teaches", d.teaches());
            strings(g, "command", run.command());
            g.writeNumberField("pid", run.pid());
            strings(g, "claims", d.claimIds());
            g.writeStringField("unavailable", run.unavailable());
            g.writeArrayFieldStart("steps");
            for (StepReport r : run.steps()) {
                step(g, r);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("skipped");
            for (Check c : run.skipped()) {
                ClaimsJson.check(g, c);
            }
            g.writeEndArray();
            g.writeNumberField("exitStatus", run.exitStatus());
            ClaimsJson.summary(g, run.outcome());
            g.writeEndObject();
        }
        w.write('\n');
        w.flush();
    }

    private static void step(JsonGenerator g, StepReport r) throws IOException {
        g.writeStartObject();
        g.writeNumberField("index", r.index());
        g.writeStringField("name", r.name());
        g.writeNumberField("pid", r.announced().pid());
        g.writeStringField("did", r.did());
        g.writeObjectFieldStart("announced");
        for (Map.Entry<String, String> e : r.announced().values().entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        change(g, r.change());
        g.writeArrayFieldStart("checks");
        for (Check c : r.checks()) {
            ClaimsJson.check(g, c);
        }
        g.writeEndArray();
        if (r.outcome() == null) {
            g.writeNullField("verdict");
        } else {
            g.writeStringField("verdict", LabJson.word(r.outcome().verdict()));
        }
        g.writeEndObject();
    }

    private static void change(JsonGenerator g, StepChange c) throws IOException {
        g.writeObjectFieldStart("change");
        g.writeBooleanField("first", c.first());
        g.writeArrayFieldStart("mappings");
        for (RegionChange rc : c.mappings()) {
            g.writeStartObject();
            g.writeArrayFieldStart("aspects");
            for (var a : rc.aspects()) {
                g.writeString(a.name().toLowerCase(Locale.ROOT));
            }
            g.writeEndArray();
            g.writeStringField("label", rc.label());
            lines(g, "before", rc.before());
            lines(g, "after", rc.after());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeNumberField("minorFaults", c.minorFaults());
        g.writeNumberField("majorFaults", c.majorFaults());
        g.writeArrayFieldStart("memory");
        for (DiffResult.FieldDelta f : c.memory()) {
            g.writeStartObject();
            g.writeStringField("name", f.name());
            g.writeNumberField("before", f.before());
            g.writeNumberField("after", f.after());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("ranges");
        for (StepChange.RangeDelta r : c.ranges()) {
            g.writeStartObject();
            g.writeStringField("label", r.label());
            g.writeNumberField("pages", r.pages());
            g.writeNumberField("presentBefore", r.presentBefore());
            g.writeNumberField("presentAfter", r.presentAfter());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("frames");
        for (StepChange.FrameDelta f : c.frames()) {
            g.writeStartObject();
            g.writeStringField("label", f.label());
            g.writeStringField("address", ClaimsJson.hex(f.address()));
            frame(g, "pfnBefore", f.pfnBefore());
            frame(g, "pfnAfter", f.pfnAfter());
            g.writeNumberField("mapCountBefore", f.mapCountBefore());
            g.writeNumberField("mapCountAfter", f.mapCountAfter());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void frame(JsonGenerator g, String name, long pfn) throws IOException {
        if (pfn < 0) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, ClaimsJson.hex(pfn));
        }
    }

    private static void lines(JsonGenerator g, String name, List<Region> regions) throws IOException {
        g.writeArrayFieldStart(name);
        for (Region r : regions) {
            g.writeString(r.mapping().toMapsLine());
        }
        g.writeEndArray();
    }

    static void strings(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }
}

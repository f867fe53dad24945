package dev.inspector.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.inspector.core.aslr.AslrReport;
import dev.inspector.core.aslr.AslrSample;
import dev.inspector.core.aslr.AslrStats;
import dev.inspector.core.claims.Check;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Map;

/**
 * {@code inspector aslr --json}: the command, every run's bases, the statistics per region kind, the kinds that move
 * together, the kernel's settings, the paxtest figures beside ours, the pitfalls and the claims, then the summary.
 */
public final class AslrJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    private AslrJson() {
    }

    public static void write(AslrReport r, Writer w) throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            DemoJson.strings(g, "command", r.command());
            g.writeBooleanField("sample", r.sample());
            g.writeBooleanField("noRandomize", r.noRandomize());
            g.writeArrayFieldStart("runs");
            for (AslrSample s : r.runs()) {
                g.writeStartObject();
                g.writeNumberField("pid", s.pid());
                if (s.personality() < 0) {
                    g.writeNullField("personality");
                } else {
                    g.writeStringField("personality", ClaimsJson.hex(s.personality()));
                }
                g.writeObjectFieldStart("bases");
                for (Map.Entry<String, Long> e : s.bases().entrySet()) {
                    g.writeStringField(e.getKey(), ClaimsJson.hex(e.getValue()));
                }
                g.writeEndObject();
                g.writeObjectFieldStart("librarySizes");
                for (Map.Entry<String, Long> e : s.librarySizes().entrySet()) {
                    g.writeNumberField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("kinds");
            for (AslrStats.KindStats k : r.kinds()) {
                g.writeStartObject();
                g.writeStringField("kind", k.kind());
                g.writeNumberField("runs", k.runs());
                g.writeNumberField("distinct", k.distinct());
                g.writeNumberField("changedBits", k.changedBits());
                g.writeStringField("changedMask", ClaimsJson.hex(k.changedMask()));
                g.writeNumberField("lowFixedBits", k.lowFixedBits());
                g.writeNumberField("shannonBits", Math.round(k.shannonBits() * 100) / 100.0);
                g.writeNumberField("shannonBinBits", k.shannonBinBits());
                g.writeNumberField("runsForAllBits", k.runsForAllBits());
                g.writeStringField("min", ClaimsJson.hex(k.min()));
                g.writeStringField("max", ClaimsJson.hex(k.max()));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("movesTogether");
            for (List<String> group : r.together()) {
                g.writeStartArray();
                for (String k : group) {
                    g.writeString(k);
                }
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("settings");
            number(g, "randomizeVaSpace", r.settings().randomizeVaSpace());
            number(g, "mmapRndBits", r.settings().mmapRndBits());
            number(g, "mmapRndCompatBits", r.settings().mmapRndCompatBits());
            g.writeStringField("kernel", r.settings().kernelRelease());
            g.writeEndObject();
            g.writeArrayFieldStart("paxtest");
            for (AslrReport.Reference ref : r.references()) {
                g.writeStartObject();
                g.writeStringField("test", ref.test());
                g.writeNumberField("published", ref.published());
                g.writeStringField("note", ref.note());
                g.writeStringField("kind", ref.kind());
                if (ref.measured() < 0) {
                    g.writeNullField("measured");
                } else {
                    g.writeNumberField("measured", ref.measured());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            DemoJson.strings(g, "pitfalls", r.pitfalls());
            g.writeArrayFieldStart("checks");
            for (Check c : r.checks()) {
                ClaimsJson.check(g, c);
            }
            g.writeEndArray();
            ClaimsJson.summary(g, r.outcome());
            g.writeEndObject();
        }
        w.write('\n');
        w.flush();
    }

    private static void number(JsonGenerator g, String name, Long v) throws IOException {
        if (v == null) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, v);
        }
    }
}

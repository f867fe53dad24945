package dev.inspector.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.inspector.core.checklist.ModelLine;
import dev.inspector.core.checklist.ModelReport;

import java.io.IOException;
import java.io.Writer;

/** {@code inspector model --json}: the process, then each line (topic, sources, the claim as judged), the summary. */
public final class ModelJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    private ModelJson() {
    }

    public static void write(ModelReport r, Writer w) throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeNumberField("pid", r.pid());
            g.writeBooleanField("self", r.self());
            g.writeStringField("comm", r.comm());
            g.writeStringField("kernel", r.kernelRelease());
            g.writeArrayFieldStart("lines");
            for (ModelLine l : r.lines()) {
                g.writeStartObject();
                g.writeStringField("topic", l.topic());
                DemoJson.strings(g, "sources", l.sources());
                g.writeFieldName("check");
                ClaimsJson.check(g, l.check());
                g.writeEndObject();
            }
            g.writeEndArray();
            ClaimsJson.summary(g, r.outcome());
            g.writeEndObject();
        }
        w.write('\n');
        w.flush();
    }
}

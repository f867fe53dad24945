package dev.inspector.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.inspector.core.model.ProcessList;
import dev.inspector.core.model.Snapshot;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * {@code inspector ps --json}: the processes shown, one object each, and {@code totals}, the counts of the table's
 * footer (shown, listed, kernel threads, zombies, exited during the listing, hiding figures from this user) with the
 * summed sizes. A figure the kernel hid from this user is null, never a 0 that looks like a fact.
 */
public final class ProcessListJson {

    /** The {@code kind} of a ps document. */
    public static final String KIND = "inspector-ps";

    private ProcessListJson() {
    }

    /** Writes the document for {@code shown} (rows of {@code list}, sorted and cut as the table shows them). */
    public static void write(List<ProcessList.Row> shown, ProcessList list, Writer out) throws IOException {
        JsonDocument.write(out, g -> {
            g.writeStringField("kind", KIND);
            g.writeNumberField("schemaVersion", Snapshot.SCHEMA_VERSION);
            g.writeArrayFieldStart("processes");
            long vsz = 0;
            long rss = 0;
            long pss = 0;
            boolean pssKnown = true;
            for (ProcessList.Row r : shown) {
                g.writeStartObject();
                g.writeNumberField("pid", r.pid());
                g.writeNumberField("ppid", r.ppid());
                g.writeNumberField("uid", r.uid());
                g.writeStringField("user", r.user());
                g.writeStringField("state", r.state());
                g.writeBooleanField("kernelThread", r.kernelThread());
                g.writeBooleanField("zombie", zombie(r));
                g.writeStringField("comm", r.comm());
                g.writeArrayFieldStart("cmdline");
                for (String a : r.cmdline()) {
                    g.writeString(a);
                }
                g.writeEndArray();
                g.writeNumberField("vsz", r.vsz());
                g.writeNumberField("rss", r.rss());
                number(g, "pss", r.pss());
                if (r.mappings() == null) {
                    g.writeNullField("mappings");
                } else {
                    g.writeNumberField("mappings", r.mappings());
                }
                g.writeEndObject();
                vsz += r.vsz();
                rss += r.rss();
                if (r.pss() == null) {
                    pssKnown = false;
                } else {
                    pss += r.pss();
                }
            }
            g.writeEndArray();
            g.writeObjectFieldStart("totals");
            g.writeNumberField("shown", shown.size());
            g.writeNumberField("processes", list.rows().size());
            g.writeNumberField("kernelThreads", list.rows().stream().filter(ProcessList.Row::kernelThread).count());
            g.writeNumberField("zombies", list.rows().stream().filter(ProcessListJson::zombie).count());
            g.writeNumberField("exitedDuringListing", list.vanished());
            g.writeNumberField("hidFigures", list.denied());
            g.writeNumberField("vsz", vsz);
            g.writeNumberField("rss", rss);
            number(g, "pss", pssKnown ? pss : null);
            g.writeEndObject();
        });
    }

    /** A process that has exited and waits for its parent to reap it (stat state Z). */
    public static boolean zombie(ProcessList.Row r) {
        return "Z".equals(r.state());
    }

    private static void number(JsonGenerator g, String name, Long v) throws IOException {
        if (v == null) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, v);
        }
    }
}

package dev.inspector.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.inspector.core.diff.Aspect;
import dev.inspector.core.diff.DiffResult;
import dev.inspector.core.diff.RegionChange;
import dev.inspector.core.diff.Usage;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.Smaps;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * A {@link DiffResult} as JSON ({@code inspector diff --json}, and the {@code diff} member of timeline deltas). Regions
 * appear as short summaries (range, perms, offset, path, kind, Rss/Pss/Swap), not in full: the snapshots hold the rest.
 * The shape is {@code $defs/diff} of docs/schema/snapshot-v2.schema.json.
 */
public final class DiffJson {

    public static final String KIND = "inspector-diff";

    private DiffJson() {
    }

    /** Writes the diff document to {@code out} (not closed), ending with a newline. */
    public static void write(DiffResult d, OutputStream out) throws IOException {
        JsonDocument.write(out, g -> writeDocumentMembers(g, d));
    }

    /** Writes the diff document to a character stream (not closed), e.g. a command's output writer. */
    public static void write(DiffResult d, java.io.Writer out) throws IOException {
        JsonDocument.write(out, g -> writeDocumentMembers(g, d));
    }

    private static void writeDocumentMembers(JsonGenerator g, DiffResult d) throws IOException {
        g.writeStringField("kind", KIND);
        g.writeNumberField("schemaVersion", dev.inspector.core.model.Snapshot.SCHEMA_VERSION);
        writeMembers(g, d);
    }

    /** Writes atomically to {@code target}, or to standard output for {@code "-"}. */
    public static void write(DiffResult d, String target) {
        AtomicFile.write(target, out -> write(d, out));
    }

    public static String toJson(DiffResult d) {
        return JsonDocument.text(out -> write(d, out));
    }

    /** The diff as one JSON object (used inside timeline records). */
    static void writeObject(JsonGenerator g, DiffResult d) throws IOException {
        g.writeStartObject();
        writeMembers(g, d);
        g.writeEndObject();
    }

    private static void writeMembers(JsonGenerator g, DiffResult d) throws IOException {
        g.writeStringField("match", d.match().name());
        g.writeFieldName("before");
        side(g, d.before());
        g.writeFieldName("after");
        side(g, d.after());
        g.writeNumberField("elapsedNanos", d.elapsed().toNanos());
        DiffResult.Totals t = d.totals();
        g.writeObjectFieldStart("totals");
        g.writeNumberField("mappingsBefore", t.mappingsBefore());
        g.writeNumberField("mappingsAfter", t.mappingsAfter());
        g.writeNumberField("sizeBefore", t.sizeBefore());
        g.writeNumberField("sizeAfter", t.sizeAfter());
        g.writeNumberField("sizeDelta", t.sizeDelta());
        usage(g, "usageBefore", t.usageBefore());
        usage(g, "usageAfter", t.usageAfter());
        usage(g, "usageDelta", t.usageDelta());
        usage(g, "rollupBefore", t.rollupBefore());
        usage(g, "rollupAfter", t.rollupAfter());
        usage(g, "rollupDelta", t.rollupDelta());
        g.writeEndObject();
        g.writeArrayFieldStart("bases");
        for (DiffResult.BaseShift b : d.bases()) {
            g.writeStartObject();
            g.writeStringField("name", b.name());
            SnapshotWriter.nullableHex(g, "before", b.before());
            SnapshotWriter.nullableHex(g, "after", b.after());
            nullableLong(g, "delta", b.delta());
            g.writeBooleanField("moved", b.moved());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("modules");
        for (DiffResult.ModuleShift m : d.modules()) {
            g.writeStartObject();
            g.writeStringField("module", m.module());
            SnapshotWriter.nullableHex(g, "baseBefore", m.baseBefore());
            SnapshotWriter.nullableHex(g, "baseAfter", m.baseAfter());
            nullableLong(g, "shift", m.shift());
            g.writeEndObject();
        }
        g.writeEndArray();
        DiffResult.ProcessDelta p = d.process();
        g.writeObjectFieldStart("process");
        g.writeBooleanField("sameProcess", p.sameProcess());
        g.writeNumberField("minorFaultsBefore", p.minorFaultsBefore());
        g.writeNumberField("minorFaultsAfter", p.minorFaultsAfter());
        g.writeNumberField("minorFaultsDelta", p.minorFaultsDelta());
        g.writeNumberField("majorFaultsBefore", p.majorFaultsBefore());
        g.writeNumberField("majorFaultsAfter", p.majorFaultsAfter());
        g.writeNumberField("majorFaultsDelta", p.majorFaultsDelta());
        g.writeNumberField("threadCountBefore", p.threadCountBefore());
        g.writeNumberField("threadCountAfter", p.threadCountAfter());
        ints(g, "threadsStarted", p.threadsStarted());
        ints(g, "threadsExited", p.threadsExited());
        g.writeArrayFieldStart("statusMemory");
        for (DiffResult.FieldDelta f : p.statusMemory()) {
            g.writeStartObject();
            g.writeStringField("name", f.name());
            nullableLong(g, "before", f.before());
            nullableLong(g, "after", f.after());
            nullableLong(g, "delta", f.delta());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeArrayFieldStart("changes");
        for (RegionChange c : d.changes()) {
            change(g, c);
        }
        g.writeEndArray();
    }

    private static void side(JsonGenerator g, DiffResult.Side s) throws IOException {
        g.writeStartObject();
        g.writeNumberField("pid", s.pid());
        g.writeNumberField("startTime", s.startTime());
        SnapshotWriter.nullableString(g, "comm", s.comm());
        g.writeStringField("takenAt", s.takenAt().toString());
        g.writeNumberField("mappings", s.mappings());
        g.writeEndObject();
    }

    private static void change(JsonGenerator g, RegionChange c) throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("aspects");
        for (Aspect a : c.aspects()) {
            g.writeString(a.label());
        }
        g.writeEndArray();
        g.writeStringField("label", c.label());
        g.writeNumberField("shift", c.shift());
        g.writeNumberField("sizeBefore", c.sizeBefore());
        g.writeNumberField("sizeAfter", c.sizeAfter());
        g.writeNumberField("sizeDelta", c.sizeDelta());
        usage(g, "usageBefore", c.usageBefore());
        usage(g, "usageAfter", c.usageAfter());
        usage(g, "usageDelta", c.usageDelta());
        summaries(g, "before", c.before());
        summaries(g, "after", c.after());
        g.writeEndObject();
    }

    private static void summaries(JsonGenerator g, String name, List<Region> regions) throws IOException {
        g.writeArrayFieldStart(name);
        for (Region r : regions) {
            Mapping m = r.mapping();
            g.writeStartObject();
            g.writeStringField("start", Hex.format(m.start()));
            g.writeStringField("end", Hex.format(m.end()));
            g.writeNumberField("size", m.size());
            g.writeStringField("perms", m.perms().toString());
            g.writeNumberField("offset", m.offset());
            g.writeStringField("path", m.path().kernelText());
            if (m.path().nameHex() != null) {
                g.writeStringField("nameHex", m.path().nameHex()); // the name's bytes, where they are not valid UTF-8
            }
            g.writeStringField("kind", r.kind().label());
            Smaps s = r.smaps();
            usage(g, "usage", s == null ? null : new Usage(s.rss(), s.pss(), s.swap()));
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void usage(JsonGenerator g, String name, Usage u) throws IOException {
        if (u == null) {
            g.writeNullField(name);
            return;
        }
        g.writeObjectFieldStart(name);
        g.writeNumberField("rss", u.rss());
        g.writeNumberField("pss", u.pss());
        g.writeNumberField("swap", u.swap());
        g.writeEndObject();
    }

    private static void ints(JsonGenerator g, String name, List<Integer> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (int v : values) {
            g.writeNumber(v);
        }
        g.writeEndArray();
    }

    private static void nullableLong(JsonGenerator g, String name, Long v) throws IOException {
        if (v == null) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, v);
        }
    }
}

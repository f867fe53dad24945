package dev.inspector.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.inspector.core.model.AslrBases;
import dev.inspector.core.model.HostInfo;
import dev.inspector.core.model.KernelLayout;
import dev.inspector.core.model.KernelRegion;
import dev.inspector.core.model.ProcessInfo;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.Smaps;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.model.ThreadInfo;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Hand-written streaming writer of the snapshot records (one method per record, no tree of the whole snapshot). The
 * field names and shapes are those of docs/schema/snapshot-v2.schema.json; {@link SnapshotReader} is its inverse.
 */
final class SnapshotWriter {

    /**
     * Writing needs only jackson-core's generator: a plain factory, not {@link SnapshotReader#MAPPER}, whose databind
     * set-up costs a cold command about 0.1 s (measured with the launcher's options) and writes the same bytes.
     */
    static final JsonFactory FACTORY = new JsonFactory();

    private SnapshotWriter() {
    }

    /** Writes {@code kind} and {@code schemaVersion}, the members every reader checks first. */
    static void writeHeader(JsonGenerator g, String kind, Snapshot s) throws IOException {
        if (s.schemaVersion() != Snapshot.SCHEMA_VERSION) {
            throw new IllegalArgumentException("cannot write a snapshot of schema version " + s.schemaVersion()
                    + " (this writer produces version " + Snapshot.SCHEMA_VERSION + ")");
        }
        g.writeStringField("kind", kind);
        g.writeNumberField("schemaVersion", s.schemaVersion());
    }

    /** Writes every member of a snapshot after the header (see {@link #writeHeader}). */
    static void writeSnapshotMembers(JsonGenerator g, Snapshot s) throws IOException {
        writeMembersBeforeRegions(g, s);
        g.writeFieldName("regions");
        writeRegions(g, s.regions());
    }

    /**
     * Writes the members after the header up to, not including, {@code regions}, the last member (see
     * {@link SnapshotJson#write(Snapshot, java.io.OutputStream)}, which writes the regions itself).
     */
    static void writeMembersBeforeRegions(JsonGenerator g, Snapshot s) throws IOException {
        g.writeStringField("toolVersion", Objects.requireNonNull(s.toolVersion(), "snapshot toolVersion"));
        g.writeStringField("takenAt", Objects.requireNonNull(s.takenAt(), "snapshot takenAt").toString());
        g.writeFieldName("host");
        writeHost(g, Objects.requireNonNull(s.host(), "snapshot host"));
        g.writeFieldName("process");
        writeProcess(g, Objects.requireNonNull(s.process(), "snapshot process"));
        g.writeFieldName("bases");
        writeBases(g, s.bases());
        g.writeFieldName("kernel");
        writeKernel(g, s.kernel());
        g.writeFieldName("rollup");
        writeSmaps(g, s.rollup());
        g.writeFieldName("threads");
        writeThreads(g, s.threads());
    }

    /** The {@code totals} member of {@code maps --json}. */
    static void writeTotals(JsonGenerator g, MappingTotals t) throws IOException {
        g.writeObjectFieldStart("totals");
        g.writeStringField("source", t.source());
        g.writeNumberField("mappings", t.mappings());
        g.writeNumberField("size", t.size());
        nullableNumber(g, "rss", t.rss());
        nullableNumber(g, "pss", t.pss());
        nullableNumber(g, "swap", t.swap());
        nullableNumber(g, "anonHugePages", t.anonHugePages());
        g.writeEndObject();
    }

    private static void nullableNumber(JsonGenerator g, String name, Long v) throws IOException {
        if (v == null) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, v);
        }
    }

    /** An smaps object (or null), encoded as in a region. */
    static void writeSmaps(JsonGenerator g, Smaps s) throws IOException {
        if (s == null) {
            g.writeNull();
            return;
        }
        RegionJson enc = new RegionJson(2048);
        enc.smaps(s);
        g.writeRawValue(enc.text());
    }

    /** An array of regions, each encoded by {@link RegionJson} and handed to the generator as a raw value. */
    static void writeRegions(JsonGenerator g, List<Region> regions) throws IOException {
        RegionJson enc = new RegionJson(4096);
        g.writeStartArray();
        for (Region r : regions) {
            enc.reset();
            enc.region(r);
            g.writeRawValue(enc.text());
        }
        g.writeEndArray();
    }

    static void writeHost(JsonGenerator g, HostInfo h) throws IOException {
        g.writeStartObject();
        g.writeStringField("kernelRelease", Objects.requireNonNull(h.kernelRelease(), "host kernelRelease"));
        g.writeNumberField("pageSize", h.pageSize());
        g.writeNumberField("pagingLevels", h.pagingLevels());
        g.writeStringField("highestUserAddress", Hex.format(h.highestUserAddress()));
        g.writeNumberField("randomizeVaSpace", h.randomizeVaSpace());
        nullableString(g, "thpMode", h.thpMode());
        HostInfo.Features f = h.features();
        if (f == null) {
            // Not probed: views that need no ioctl (maps --json) skip the native layer. Unknown, so null.
            g.writeNullField("features");
            g.writeEndObject();
            return;
        }
        g.writeObjectFieldStart("features");
        g.writeBooleanField("pagemapScan", f.pagemapScan());
        g.writeBooleanField("procmapQuery", f.procmapQuery());
        g.writeBooleanField("softDirty", f.softDirty());
        g.writeBooleanField("kpageflagsReadable", f.kpageflagsReadable());
        g.writeBooleanField("pfnsVisible", f.pfnsVisible());
        g.writeBooleanField("anonVmaName", f.anonVmaName());
        g.writeEndObject();
        g.writeEndObject();
    }

    static void writeProcess(JsonGenerator g, ProcessInfo p) throws IOException {
        g.writeStartObject();
        g.writeNumberField("pid", p.pid());
        g.writeNumberField("startTime", p.startTime());
        g.writeStringField("comm", Objects.requireNonNull(p.comm(), "process comm"));
        g.writeArrayFieldStart("cmdline");
        for (String arg : p.cmdline()) {
            g.writeString(arg);
        }
        g.writeEndArray();
        nullableString(g, "exe", p.exe());
        g.writeNumberField("uid", p.uid());
        g.writeStringField("state", Objects.requireNonNull(p.state(), "process state"));
        g.writeNumberField("minorFaults", p.minorFaults());
        g.writeNumberField("majorFaults", p.majorFaults());
        g.writeNumberField("threadCount", p.threadCount());
        // Map.copyOf has no stable order: sort so the same snapshot always gives the same text.
        g.writeObjectFieldStart("statusMemory");
        for (Map.Entry<String, Long> e : new TreeMap<>(p.statusMemory()).entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeNumberField("stackLimitSoft", p.stackLimitSoft());
        g.writeNumberField("stackLimitHard", p.stackLimitHard());
        g.writeEndObject();
    }

    static void writeBases(JsonGenerator g, AslrBases b) throws IOException {
        if (b == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        nullableHex(g, "exeBase", b.exeBase());
        nullableHex(g, "heapStart", b.heapStart());
        nullableHex(g, "brk", b.brk());
        nullableHex(g, "stackTop", b.stackTop());
        nullableHex(g, "mmapBase", b.mmapBase());
        nullableHex(g, "vdso", b.vdso());
        g.writeNumberField("randomizeVaSpace", b.randomizeVaSpace());
        if (b.personalityNoRandomize() == null) {
            g.writeNullField("personalityNoRandomize"); // /proc/PID/personality was hidden from this reader
        } else {
            g.writeBooleanField("personalityNoRandomize", b.personalityNoRandomize());
        }
        g.writeEndObject();
    }

    static void writeKernel(JsonGenerator g, KernelLayout k) throws IOException {
        if (k == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeNumberField("pagingLevels", k.pagingLevels());
        g.writeArrayFieldStart("regions");
        for (KernelRegion r : k.regions()) {
            g.writeStartObject();
            g.writeStringField("name", Objects.requireNonNull(r.name(), "kernel region name"));
            g.writeStringField("start", Hex.format(r.start()));
            g.writeStringField("end", Hex.format(r.end()));
            nullableString(g, "description", r.description());
            nullableString(g, "observed", r.observed());
            g.writeEndObject();
        }
        g.writeEndArray();
        nullableHex(g, "kernelText", k.kernelText());
        if (k.kaslr() == null) {
            g.writeNullField("kaslr");
        } else {
            g.writeBooleanField("kaslr", k.kaslr());
        }
        nullableString(g, "kaslrEvidence", k.kaslrEvidence());
        g.writeArrayFieldStart("ram");
        for (KernelLayout.RamRange r : k.ram()) {
            g.writeStartObject();
            g.writeStringField("start", Hex.format(r.start()));
            g.writeStringField("end", Hex.format(r.end()));
            g.writeStringField("name", Objects.requireNonNull(r.name(), "RAM range name"));
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    static void writeThreads(JsonGenerator g, List<ThreadInfo> threads) throws IOException {
        g.writeStartArray();
        for (ThreadInfo t : threads) {
            g.writeStartObject();
            g.writeNumberField("tid", t.tid());
            nullableString(g, "comm", t.comm());
            nullableString(g, "state", t.state());
            nullableHex(g, "stackPointer", t.stackPointer());
            nullableHex(g, "programCounter", t.programCounter());
            nullableHex(g, "stackMappingStart", t.stackMappingStart());
            g.writeNumberField("minorFaults", t.minorFaults());
            g.writeNumberField("majorFaults", t.majorFaults());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    static void nullableString(JsonGenerator g, String name, String value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, value);
        }
    }

    static void nullableHex(JsonGenerator g, String name, Long value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, Hex.format(value));
        }
    }
}

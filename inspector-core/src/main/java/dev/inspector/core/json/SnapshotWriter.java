package dev.inspector.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.inspector.core.model.AslrBases;
import dev.inspector.core.model.HostInfo;
import dev.inspector.core.model.KernelLayout;
import dev.inspector.core.model.KernelRegion;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;
import dev.inspector.core.model.PageRun;
import dev.inspector.core.model.ProcessInfo;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.Residency;
import dev.inspector.core.model.Smaps;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.model.ThreadInfo;
import dev.inspector.core.model.VmFlags;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Hand-written streaming writer of the snapshot records (one method per record, no tree of the whole snapshot). The
 * field names and shapes are those of docs/schema/snapshot-v1.schema.json; {@link SnapshotReader} is its inverse.
 */
final class SnapshotWriter {
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
        g.writeFieldName("regions");
        g.writeStartArray();
        for (Region r : s.regions()) {
            writeRegion(g, r);
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
        g.writeBooleanField("personalityNoRandomize", b.personalityNoRandomize());
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

    // Field names written for every region (60,000 times for a big process): serialized once, not escaped per write.
    private static final SerializedString MAPPING = new SerializedString("mapping");
    private static final SerializedString KIND = new SerializedString("kind");
    private static final SerializedString OWNER = new SerializedString("owner");
    private static final SerializedString SECTIONS = new SerializedString("sections");
    private static final SerializedString EVIDENCE = new SerializedString("evidence");
    private static final SerializedString TID = new SerializedString("tid");
    private static final SerializedString SMAPS = new SerializedString("smaps");
    private static final SerializedString RESIDENCY = new SerializedString("residency");
    private static final SerializedString PAGES = new SerializedString("pages");
    private static final SerializedString START = new SerializedString("start");
    private static final SerializedString END = new SerializedString("end");
    private static final SerializedString SIZE = new SerializedString("size");
    private static final SerializedString PERMS = new SerializedString("perms");
    private static final SerializedString OFFSET = new SerializedString("offset");
    private static final SerializedString DEVICE = new SerializedString("device");
    private static final SerializedString INODE = new SerializedString("inode");
    private static final SerializedString PATH = new SerializedString("path");
    private static final SerializedString TYPE = new SerializedString("type");
    private static final SerializedString NAME = new SerializedString("name");
    private static final SerializedString DELETED = new SerializedString("deleted");
    private static final SerializedString BYTES = new SerializedString("bytes");
    private static final SerializedString VALUES = new SerializedString("values");
    private static final SerializedString VMFLAGS = new SerializedString("vmFlags");
    private static final SerializedString R_PAGES = new SerializedString("pages");
    private static final SerializedString PRESENT = new SerializedString("present");
    private static final SerializedString SWAPPED = new SerializedString("swapped");
    private static final SerializedString UNTOUCHED = new SerializedString("untouched");
    private static final SerializedString FILE = new SerializedString("file");
    private static final SerializedString SOURCE = new SerializedString("source");

    /** smaps keys (about 25 distinct names) serialized once each. */
    private static final Map<String, SerializedString> KEYS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The JSON of a VmFlags value, made once per distinct instance: the parser shares one instance among all the
     * mappings with the same flags line. Bounded; identity keys, so a lookup costs no hashing of the flag list.
     */
    private static final Map<VmFlags, String> VMFLAGS_JSON =
            java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

    private static SerializedString key(String k) {
        SerializedString ss = KEYS.get(k);
        if (ss == null) {
            ss = new SerializedString(k);
            if (KEYS.size() < 1024) {
                KEYS.put(k, ss);
            }
        }
        return ss;
    }

    static void writeRegion(JsonGenerator g, Region r) throws IOException {
        g.writeStartObject();
        g.writeFieldName(MAPPING);
        writeMapping(g, Objects.requireNonNull(r.mapping(), "region mapping"));
        g.writeFieldName(KIND);
        g.writeString(Objects.requireNonNull(r.kind(), "region kind").name());
        g.writeFieldName(OWNER);
        nullableValue(g, r.owner());
        g.writeFieldName(SECTIONS);
        g.writeStartArray();
        for (String s : r.sections()) {
            g.writeString(s);
        }
        g.writeEndArray();
        g.writeFieldName(EVIDENCE);
        nullableValue(g, r.evidence());
        g.writeFieldName(TID);
        if (r.tid() == null) {
            g.writeNull();
        } else {
            g.writeNumber(r.tid());
        }
        g.writeFieldName(SMAPS);
        writeSmaps(g, r.smaps());
        g.writeFieldName(RESIDENCY);
        writeResidency(g, r.residency());
        g.writeFieldName(PAGES);
        writePages(g, r.pages());
        g.writeEndObject();
    }

    private static void nullableValue(JsonGenerator g, String value) throws IOException {
        if (value == null) {
            g.writeNull();
        } else {
            g.writeString(value);
        }
    }

    static void writeMapping(JsonGenerator g, Mapping m) throws IOException {
        g.writeStartObject();
        g.writeFieldName(START);
        g.writeString(Hex.format(m.start()));
        g.writeFieldName(END);
        g.writeString(Hex.format(m.end()));
        g.writeFieldName(SIZE);
        g.writeNumber(m.size());
        g.writeFieldName(PERMS);
        g.writeString(m.perms().toString());
        g.writeFieldName(OFFSET);
        g.writeNumber(m.offset());
        g.writeFieldName(DEVICE);
        g.writeString(m.device());
        g.writeFieldName(INODE);
        g.writeNumber(m.inode());
        MappingPath p = m.path();
        g.writeFieldName(PATH);
        g.writeStartObject();
        g.writeFieldName(TYPE);
        g.writeString(p.type().name());
        g.writeFieldName(NAME);
        g.writeString(p.name());
        g.writeFieldName(DELETED);
        g.writeBoolean(p.deleted());
        g.writeEndObject();
        g.writeEndObject();
    }

    static void writeSmaps(JsonGenerator g, Smaps s) throws IOException {
        if (s == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeFieldName(BYTES);
        g.writeStartObject();
        for (Map.Entry<String, Long> e : s.bytes().entrySet()) {
            g.writeFieldName(key(e.getKey()));
            g.writeNumber(e.getValue());
        }
        g.writeEndObject();
        g.writeFieldName(VALUES);
        g.writeStartObject();
        for (Map.Entry<String, String> e : s.values().entrySet()) {
            g.writeFieldName(key(e.getKey()));
            g.writeString(e.getValue());
        }
        g.writeEndObject();
        VmFlags f = s.vmFlags();
        g.writeFieldName(VMFLAGS);
        if (f == null) {
            g.writeNull();
        } else {
            String json = VMFLAGS_JSON.get(f);
            if (json == null) {
                json = vmFlagsJson(f);
                if (VMFLAGS_JSON.size() > 4096) {
                    VMFLAGS_JSON.clear();
                }
                VMFLAGS_JSON.put(f, json);
            }
            g.writeRawValue(json);
        }
        g.writeEndObject();
    }

    /** The compact JSON of one VmFlags value, as the generator would write it nested: {"raw":..,"flags":[[..]]}. */
    private static String vmFlagsJson(VmFlags f) throws IOException {
        java.io.StringWriter w = new java.io.StringWriter(256);
        try (JsonGenerator sub = SnapshotReader.MAPPER.getFactory().createGenerator(w)) {
            sub.writeStartObject();
            sub.writeStringField("raw", f.raw());
            sub.writeArrayFieldStart("flags");
            for (VmFlags.Flag flag : f.flags()) {
                // [code, meaning]: the meaning is null for a code the parser does not know.
                sub.writeStartArray();
                sub.writeString(flag.code());
                if (flag.meaning() == null) {
                    sub.writeNull();
                } else {
                    sub.writeString(flag.meaning());
                }
                sub.writeEndArray();
            }
            sub.writeEndArray();
            sub.writeEndObject();
        }
        return w.toString();
    }

    static void writeResidency(JsonGenerator g, Residency r) throws IOException {
        if (r == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeFieldName(R_PAGES);
        g.writeNumber(r.pages());
        g.writeFieldName(PRESENT);
        g.writeNumber(r.present());
        g.writeFieldName(SWAPPED);
        g.writeNumber(r.swapped());
        g.writeFieldName(UNTOUCHED);
        g.writeNumber(r.untouched());
        // -1 is the residency layer's "this scan path cannot observe it" (e.g. PAGEMAP_SCAN has no exclusive bit):
        // unknown, which the file says with null, never with a number.
        countOrNull(g, "zeroPage", r.zeroPage());
        countOrNull(g, "huge", r.huge());
        g.writeFieldName(FILE);
        g.writeNumber(r.file());
        countOrNull(g, "exclusive", r.exclusive());
        countOrNull(g, "softDirty", r.softDirty());
        g.writeFieldName(SOURCE);
        nullableValue(g, r.source());
        g.writeEndObject();
    }

    /** Runs as [firstPage, count, flags] or, when the frame is known, [firstPage, count, flags, pfn]. */
    static void writePages(JsonGenerator g, List<PageRun> runs) throws IOException {
        if (runs == null) {
            g.writeNull();
            return;
        }
        g.writeStartArray();
        for (PageRun run : runs) {
            g.writeStartArray();
            g.writeNumber(run.firstPage());
            g.writeNumber(run.count());
            g.writeNumber(run.flags());
            if (run.pfn() != -1) {
                g.writeNumber(run.pfn());
            }
            g.writeEndArray();
        }
        g.writeEndArray();
    }

    private static void countOrNull(JsonGenerator g, String name, long value) throws IOException {
        if (value < 0) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, value);
        }
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

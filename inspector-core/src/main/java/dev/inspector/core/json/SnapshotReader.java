package dev.inspector.core.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.inspector.core.BadInput;
import dev.inspector.core.model.AslrBases;
import dev.inspector.core.model.HostInfo;
import dev.inspector.core.model.KernelLayout;
import dev.inspector.core.model.KernelRegion;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;
import dev.inspector.core.model.PageRun;
import dev.inspector.core.model.Perms;
import dev.inspector.core.model.ProcessInfo;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.RegionKind;
import dev.inspector.core.model.Residency;
import dev.inspector.core.model.Smaps;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.model.ThreadInfo;
import dev.inspector.core.model.VmFlags;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict reader, the inverse of {@link SnapshotWriter}. The top level is streamed: each region is read as a small tree
 * and turned into a record at once, so a 60,000-region file never exists as one big tree. Every member the format
 * requires must be present with the right type; a wrong one is reported with its JSON pointer. Members this version
 * does not know are skipped: additive changes keep schema version 1 (see docs/snapshots.md).
 */
final class SnapshotReader {

    static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private SnapshotReader() {
    }

    /** The top-level members of one JSON object: regions already converted, every other member as a small tree. */
    static final class Top {
        final Map<String, JsonNode> members = new HashMap<>();
        List<Region> regions;
        String kind;
        /**
         * The document's schema version, known before its regions in every document a writer made (it comes second,
         * after kind); 0 until it is seen, and then a region's kind may be spelled either way.
         */
        int version;
    }

    /**
     * Streams one top-level object from {@code p}. {@code label} names the input in messages; {@code line} is the line
     * of a timeline file the parser reads, already named in the label (0 for a whole file, whose line numbers come from
     * the parser).
     * {@code expectedKind} is checked as soon as the member is seen, so an unrelated file is rejected early.
     */
    static Top readTop(JsonParser p, String label, int line, String expectedKind) {
        Top top = new Top();
        try {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new BadInput(label + ": empty" + (line > 0 ? " line" : " file")
                        + ", expected a JSON object with \"kind\": \"" + expectedKind + "\"");
            }
            if (t != JsonToken.START_OBJECT) {
                throw new BadInput(label + ": not an inspector " + noun(expectedKind)
                        + " (expected a JSON object with \"kind\": \"" + expectedKind + "\", found " + t.asString() + ")");
            }
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals("regions") && p.currentToken() == JsonToken.START_ARRAY) {
                    top.regions = new ArrayList<>();
                    int i = 0;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        JsonNode n = p.readValueAsTree();
                        top.regions.add(region(new In(n, "/regions/" + i, label), top.version));
                        i++;
                    }
                    continue;
                }
                JsonNode n = p.readValueAsTree();
                top.members.put(name, n);
                if (name.equals("kind")) {
                    top.kind = checkKind(new In(n, "/kind", label), expectedKind);
                } else if (name.equals("schemaVersion")) {
                    top.version = checkVersion(new In(n, "/schemaVersion", label));
                }
            }
            if (top.kind == null) {
                throw new BadInput(label + ": not an inspector " + noun(expectedKind) + " (no \"kind\" member; expected \"kind\": \""
                        + expectedKind + "\")");
            }
            if (p.nextToken() != null) {
                throw new BadInput(label + where(p.currentLocation(), line) + ": unexpected content after the end of the "
                        + noun(expectedKind) + " object");
            }
        } catch (JsonProcessingException e) {
            throw new BadInput(label + where(e.getLocation(), line) + ": " + oneLine(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new BadInput(label + ": cannot read: " + e.getMessage(), e);
        }
        return top;
    }

    private static String noun(String kind) {
        return kind.startsWith("inspector-") ? kind.substring("inspector-".length()) : kind;
    }

    static String where(JsonLocation loc, int line) {
        if (loc == null || loc.getLineNr() < 1) {
            return "";
        }
        if (line > 0) {
            // The label already names the timeline line; the parser saw only that line.
            return ", column " + loc.getColumnNr();
        }
        return ": line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }

    static String oneLine(String s) {
        if (s == null) {
            return "malformed JSON";
        }
        // Jackson names the (redacted) source inside locations it mentions; the label already names the file.
        String t = s.replace("\r", " ").replace("\n", " ").replaceAll("\\[Source: [^;]*; ", "[");
        return t.length() > 200 ? t.substring(0, 197) + "..." : t;
    }

    private static String checkKind(In kind, String expected) {
        if (!kind.node.isTextual()) {
            throw kind.fail("not an inspector " + noun(expected) + " (\"kind\" should be \"" + expected + "\", found "
                    + In.describe(kind.node) + ")");
        }
        String k = kind.node.textValue();
        if (!k.equals(expected)) {
            String hint = "";
            if (k.equals(SnapshotJson.TIMELINE_KIND)) {
                hint = "; it is a watch timeline: read it as a timeline";
            } else if (k.equals(SnapshotJson.KIND)) {
                hint = "; it is a single snapshot, not a timeline";
            } else if (k.equals(DiffJson.KIND)) {
                hint = "; it is the output of diff --json";
            }
            throw kind.fail("not an inspector " + noun(expected) + " (kind is \"" + In.quote(k) + "\", expected \"" + expected
                    + "\"" + hint + ")");
        }
        return k;
    }

    private static int checkVersion(In v) {
        String readable = Snapshot.OLDEST_READABLE_VERSION + " to " + Snapshot.SCHEMA_VERSION;
        if (!v.node.isIntegralNumber()) {
            throw v.bad("an integer schema version (this inspector reads versions " + readable + ")");
        }
        int n = v.node.canConvertToInt() ? v.node.intValue() : Integer.MAX_VALUE;
        if (n < Snapshot.OLDEST_READABLE_VERSION || n > Snapshot.SCHEMA_VERSION) {
            throw v.fail("schema version " + v.node.asText() + " is not supported (this inspector reads versions "
                    + readable + (n > Snapshot.SCHEMA_VERSION ? "; a newer inspector wrote this file)" : ")"));
        }
        return n;
    }

    /** Builds the snapshot from the members of a top-level object (a snapshot file or a timeline's first line). */
    static Snapshot snapshot(Top top, String label) {
        com.fasterxml.jackson.databind.node.ObjectNode o = MAPPER.createObjectNode();
        o.setAll(top.members);
        In root = new In(o, "", label);
        if (top.regions == null) {
            if (top.members.containsKey("regions")) {
                throw new In(top.members.get("regions"), "/regions", label).bad("an array");
            }
            throw new BadInput(label + ": /regions: missing required member \"regions\"");
        }
        root.get("schemaVersion").integer();
        // An older document read is upgraded: the model has one vocabulary, and writing it again writes this version.
        int version = Snapshot.SCHEMA_VERSION;
        String toolVersion = root.get("toolVersion").str();
        Instant takenAt = instant(root.get("takenAt"));
        HostInfo host = host(root.get("host"));
        ProcessInfo process = process(root.get("process"));
        AslrBases bases = bases(root.get("bases"));
        KernelLayout kernel = kernel(root.get("kernel"));
        Smaps rollup = smaps(root.get("rollup"));
        List<ThreadInfo> threads = threads(root.get("threads"));
        checkRegions(top.regions, label, "/regions");
        return new Snapshot(version, toolVersion, takenAt, host, process, top.regions, threads, bases, kernel, rollup);
    }

    /**
     * The regions of one point are what one maps listing can hold: sorted by address, not overlapping, and their sizes
     * add up to less than 2^63 bytes (a real address space is at most 2^57). So no later sum (a diff's totals) can
     * overflow, and no view has to make sense of two regions claiming one address.
     */
    static void checkRegions(List<Region> regions, String label, String pointer) {
        long total = 0;
        for (int i = 0; i < regions.size(); i++) {
            Mapping m = regions.get(i).mapping();
            if (i > 0) {
                Mapping prev = regions.get(i - 1).mapping();
                if (Long.compareUnsigned(prev.end(), m.start()) > 0) {
                    throw new BadInput(label + ": " + pointer + "/" + i + ": starts at " + Hex.format(m.start())
                            + ", before the end " + Hex.format(prev.end()) + " of the region before it (regions are"
                            + " sorted by address and never overlap)");
                }
            }
            try {
                total = Math.addExact(total, m.size());
            } catch (ArithmeticException e) {
                throw new BadInput(label + ": " + pointer + "/" + i + ": the regions' sizes add up to more than 2^63"
                        + " bytes, more than any address space");
            }
        }
    }

    /** The first instant a snapshot can carry: the Unix epoch. */
    static final Instant EARLIEST = Instant.EPOCH;
    /** The last: nanoseconds since the epoch still fit in 64 bits, so any two instants' difference does too. */
    static final Instant LATEST = Instant.ofEpochSecond(0, Long.MAX_VALUE);

    static Instant instant(In in) {
        String s = in.str();
        Instant t;
        try {
            t = Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw in.bad("an ISO-8601 UTC instant like \"2026-01-31T12:00:00.123Z\"");
        }
        if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
            throw in.fail("instant " + t + " is out of range (an inspector records instants from " + EARLIEST + " to "
                    + LATEST + ")");
        }
        return t;
    }

    static HostInfo host(In in) {
        in.object();
        In fe = in.get("features");
        HostInfo.Features features = null; // not probed (maps --json skips the native probes)
        if (!fe.isNull()) {
            In f = fe.object();
            features = new HostInfo.Features(f.get("pagemapScan").bool(), f.get("procmapQuery").bool(),
                    f.get("softDirty").bool(), f.get("kpageflagsReadable").bool(), f.get("pfnsVisible").bool(),
                    f.get("anonVmaName").bool());
        }
        In pageSize = in.get("pageSize");
        int ps = pageSize.integer();
        if (ps <= 0 || (ps & (ps - 1)) != 0) {
            throw pageSize.fail("page size " + ps + " is not a positive power of two");
        }
        return new HostInfo(in.get("kernelRelease").str(), ps, in.get("pagingLevels").integer(),
                in.get("highestUserAddress").hex(), in.get("randomizeVaSpace").integer(), in.get("thpMode").strOrNull(),
                features);
    }

    static ProcessInfo process(In in) {
        in.object();
        Map<String, Long> mem = new LinkedHashMap<>();
        for (Map.Entry<String, In> e : in.get("statusMemory").members()) {
            mem.put(e.getKey(), e.getValue().lng());
        }
        In pidIn = in.get("pid");
        int pid = pidIn.integer();
        if (pid <= 0) {
            throw pidIn.fail("pid " + pid + " is not a positive process id");
        }
        return new ProcessInfo(pid, in.get("startTime").nonNegative(), in.get("comm").str(),
                in.get("cmdline").strings(), in.get("exe").strOrNull(), in.get("uid").integer(), in.get("state").str(),
                in.get("minorFaults").lng(), in.get("majorFaults").lng(), in.get("threadCount").integer(), mem,
                in.get("stackLimitSoft").lng(), in.get("stackLimitHard").lng());
    }

    static AslrBases bases(In in) {
        if (in.isNull()) {
            return null;
        }
        in.object();
        return new AslrBases(in.get("exeBase").hexOrNull(), in.get("heapStart").hexOrNull(), in.get("brk").hexOrNull(),
                in.get("stackTop").hexOrNull(), in.get("mmapBase").hexOrNull(), in.get("vdso").hexOrNull(),
                in.get("randomizeVaSpace").integer(), in.get("personalityNoRandomize").boolOrNull());
    }

    static KernelLayout kernel(In in) {
        if (in.isNull()) {
            return null;
        }
        in.object();
        List<KernelRegion> regions = new ArrayList<>();
        for (In r : in.get("regions").elements()) {
            r.object();
            regions.add(new KernelRegion(r.get("name").str(), r.get("start").hex(), r.get("end").hex(),
                    r.get("description").strOrNull(), r.get("observed").strOrNull()));
        }
        List<KernelLayout.RamRange> ram = new ArrayList<>();
        for (In r : in.get("ram").elements()) {
            r.object();
            ram.add(new KernelLayout.RamRange(r.get("start").hex(), r.get("end").hex(), r.get("name").str()));
        }
        return new KernelLayout(in.get("pagingLevels").integer(), regions, in.get("kernelText").hexOrNull(),
                in.get("kaslr").boolOrNull(), in.get("kaslrEvidence").strOrNull(), ram);
    }

    static List<ThreadInfo> threads(In in) {
        List<ThreadInfo> out = new ArrayList<>();
        for (In t : in.elements()) {
            t.object();
            out.add(new ThreadInfo(t.get("tid").integer(), t.get("comm").strOrNull(), t.get("state").strOrNull(),
                    t.get("stackPointer").hexOrNull(), t.get("programCounter").hexOrNull(),
                    t.get("stackMappingStart").hexOrNull(), t.get("minorFaults").lng(), t.get("majorFaults").lng()));
        }
        return out;
    }

    /** A region of a document of schema {@code version} (kinds are spelled by their labels from version 2). */
    static Region region(In in, int version) {
        in.object();
        Mapping m = mapping(in.get("mapping"));
        Integer tid = in.get("tid").integerOrNull();
        List<PageRun> pages = pages(in.get("pages"));
        In smapsIn = in.get("smaps");
        Smaps smaps = smaps(smapsIn);
        if (smaps != null) {
            // Resident, proportional and swapped bytes are pages of this mapping: never more than its size.
            for (String k : new String[] {"Rss", "Pss", "Swap"}) {
                if (smaps.has(k) && smaps.get(k) > m.size()) {
                    throw smapsIn.get("bytes").get(k).fail(k + " " + smaps.get(k) + " is more than the mapping's size "
                            + m.size());
                }
            }
        }
        return new Region(m, kind(in.get("kind"), version), in.get("owner").strOrNull(),
                in.get("sections").strings(), in.get("evidence").strOrNull(), tid, smaps,
                residency(in.get("residency")), pages);
    }

    /** "thread-stack" (version 2 on); version 1 wrote the enum constant, "THREAD_STACK"; 0: not known yet. */
    static RegionKind kind(In in, int version) {
        String s = in.str();
        for (RegionKind k : RegionKind.values()) {
            if (version >= 2 || version == 0) {
                if (k.label().equals(s)) {
                    return k;
                }
            }
            if (version < 2 && k.name().equals(s)) {
                return k;
            }
        }
        StringBuilder names = new StringBuilder();
        for (RegionKind k : RegionKind.values()) {
            names.append(names.length() == 0 ? "" : ", ").append(version == 1 ? k.name() : k.label());
        }
        throw in.bad("one of " + names + (version == 0 ? "" : " (schema version " + version + ")"));
    }

    static Mapping mapping(In in) {
        in.object();
        long start = in.get("start").hex();
        In endIn = in.get("end");
        long end = endIn.hex();
        if (Long.compareUnsigned(end, start) < 0) {
            throw endIn.fail("end " + Hex.format(end) + " is below start " + Hex.format(start));
        }
        In sizeIn = in.get("size");
        if (sizeIn.nonNegative() != end - start) {
            throw sizeIn.fail("size " + sizeIn.node.asText() + " is not end - start (" + (end - start) + ")");
        }
        In permsIn = in.get("perms");
        String permsText = permsIn.str();
        Perms perms = permsText.length() == 4 ? Perms.parse(permsText, 0) : null;
        if (perms == null) {
            throw permsIn.bad("a permission field like \"r-xp\"");
        }
        In devIn = in.get("device");
        String dev = devIn.str();
        int colon = dev.indexOf(':');
        int major;
        int minor;
        try {
            if (colon < 1 || colon == dev.length() - 1) {
                throw new NumberFormatException();
            }
            major = Integer.parseInt(dev, 0, colon, 16);
            minor = Integer.parseInt(dev, colon + 1, dev.length(), 16);
            if (major < 0 || minor < 0) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw devIn.bad("a device \"major:minor\" in hex like \"fd:01\"");
        }
        In p = in.get("path").object();
        In hexIn = p.opt("nameHex");
        String nameHex = hexIn == null || hexIn.isNull() ? null : hexIn.str();
        if (nameHex != null && (nameHex.length() % 2 != 0 || !nameHex.chars().allMatch(
                c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))) {
            throw hexIn.bad("the name's bytes as an even number of lower-case hex digits");
        }
        MappingPath path = new MappingPath(p.get("type").enumValue(MappingPath.Type.class), p.get("name").str(),
                p.get("deleted").bool(), nameHex);
        return new Mapping(start, end, perms, in.get("offset").nonNegative(), major, minor, in.get("inode").nonNegative(), path);
    }

    static Smaps smaps(In in) {
        if (in.isNull()) {
            return null;
        }
        in.object();
        Map<String, Long> bytes = new LinkedHashMap<>();
        for (Map.Entry<String, In> e : in.get("bytes").members()) {
            bytes.put(e.getKey(), e.getValue().nonNegative());
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, In> e : in.get("values").members()) {
            values.put(e.getKey(), e.getValue().str());
        }
        In vf = in.get("vmFlags");
        VmFlags flags = null;
        if (!vf.isNull()) {
            vf.object();
            List<VmFlags.Flag> list = new ArrayList<>();
            for (In f : vf.get("flags").elements()) {
                List<In> pair = f.elements();
                if (pair.size() != 2) {
                    throw f.bad("a pair [code, meaning]");
                }
                list.add(new VmFlags.Flag(pair.get(0).str(), pair.get(1).strOrNull()));
            }
            flags = new VmFlags(vf.get("raw").str(), list);
        }
        return new Smaps(bytes, values, flags);
    }

    static Residency residency(In in) {
        if (in.isNull()) {
            return null;
        }
        in.object();
        return new Residency(in.get("pages").nonNegative(), in.get("present").nonNegative(), in.get("swapped").nonNegative(),
                in.get("untouched").nonNegative(), in.get("zeroPage").nonNegativeOrUnknown(),
                in.get("huge").nonNegativeOrUnknown(), in.get("file").nonNegative(),
                in.get("exclusive").nonNegativeOrUnknown(), in.get("softDirty").nonNegativeOrUnknown(),
                in.get("source").strOrNull());
    }

    static List<PageRun> pages(In in) {
        if (in.isNull()) {
            return null;
        }
        List<In> runs = in.elements();
        List<PageRun> out = new ArrayList<>(runs.size());
        for (In r : runs) {
            List<In> f = r.elements();
            if (f.size() != 3 && f.size() != 4) {
                throw r.bad("a run [firstPage, count, flags] or [firstPage, count, flags, pfn]");
            }
            long pfn = f.size() == 4 ? f.get(3).nonNegative() : -1;
            out.add(new PageRun(f.get(0).nonNegative(), f.get(1).nonNegative(), f.get(2).integer(), pfn));
        }
        return out;
    }

    static JsonParser parser(byte[] b, int off, int len) throws IOException {
        return MAPPER.createParser(b, off, len);
    }
}

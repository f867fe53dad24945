package dev.inspector.core.json;

import dev.inspector.core.testing.Live;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inspector.core.BadInput;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.PageRun;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.RegionKind;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.procfs.parse.MapsParser;
import dev.inspector.core.testing.LiveTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@EnabledOnOs(OS.LINUX)
@LiveTest
class SnapshotJsonTest {

    static Snapshot real;
    static String realJson;

    @TempDir
    Path tmp;

    @BeforeAll
    static void takeSnapshot() {
        real = RealSnapshots.self(true);
        realJson = SnapshotJson.toJson(real);
    }

    @Test
    void realSnapshotRoundTripsThroughAFile() {
        Path f = tmp.resolve("snap.json");
        SnapshotJson.write(real, f.toString());
        Snapshot back = SnapshotJson.read(f);
        assertEquals(real, back);
        // The test builder gave some regions page runs and smaps: the round trip covered them.
        assertTrue(back.regions().stream().anyMatch(r -> r.pages() != null && !r.pages().isEmpty()));
        assertTrue(back.regions().stream().allMatch(r -> r.smaps() != null));
    }

    /**
     * The snapshot builder's own output, with residency from both scan paths: PAGEMAP_SCAN cannot see the exclusive
     * bit and pagemap reads without kpageflags cannot see THP, which the residency layer reports as -1; the file says
     * null there, and reading gives back the same -1.
     */
    @Test
    void builderSnapshotWithUnobservableResidencyCountsRoundTrips() {
        dev.inspector.core.model.KernelFeatures f = dev.inspector.core.testing.Live.features();
        dev.inspector.core.procfs.ProcFs proc = dev.inspector.core.procfs.ProcFs.system();
        int pid = (int) ProcessHandle.current().pid();
        for (dev.inspector.core.residency.ScanPath path : dev.inspector.core.residency.ScanPath.values()) {
            if (path == dev.inspector.core.residency.ScanPath.PAGEMAP_SCAN && !f.pagemapScan().available()) {
                continue;
            }
            dev.inspector.core.residency.ResidencyService service = new dev.inspector.core.residency.ResidencyService(proc, f);
            dev.inspector.core.residency.ResidencySource forced = (p, regions, perPage, pfn) -> {
                List<dev.inspector.core.model.Mapping> maps = new ArrayList<>();
                regions.forEach(r -> maps.add(r.mapping()));
                dev.inspector.core.residency.ResidencyReport rep = service.scan(p, maps,
                        dev.inspector.core.residency.ResidencyOptions.summary().forcing(path));
                java.util.Map<Long, dev.inspector.core.residency.MappingResidency> byStart = new java.util.HashMap<>();
                rep.mappings().forEach(m -> byStart.put(m.mapping().start(), m));
                List<Region> out = new ArrayList<>();
                for (Region r : regions) {
                    dev.inspector.core.residency.MappingResidency m = byStart.get(r.mapping().start());
                    out.add(m == null ? r : m.applyTo(r));
                }
                return out;
            };
            dev.inspector.core.analysis.SnapshotBuilder insp = new dev.inspector.core.analysis.SnapshotBuilder(proc,
                    new dev.inspector.core.procfs.HostFacts(proc).read(f.pagemapScan().available(),
                    f.procmapQuery().available(), f.softDirty().available(), f.anonVmaName().available()), forced, "test");
            Snapshot s = insp.snapshot(pid, dev.inspector.core.analysis.SnapshotOptions.full());
            assertTrue(s.regions().stream().anyMatch(r -> r.residency() != null && (r.residency().exclusive() < 0
                    || r.residency().huge() < 0 || r.residency().zeroPage() < 0)), path + ": some count is unobservable");
            String json = SnapshotJson.toJson(s);
            for (String k : List.of("zeroPage", "huge", "exclusive", "softDirty")) {
                assertFalse(json.contains("\"" + k + "\":-1"), path + ": unknown " + k + " written as a number");
            }
            Snapshot back = SnapshotJson.parse(json, path.name());
            assertEquals(s.regions().size(), back.regions().size());
            for (int i = 0; i < s.regions().size(); i++) {
                assertEquals(s.regions().get(i).residency(), back.regions().get(i).residency(), path + " region " + i);
            }
        }
    }

    /** Host facts without the native probes (what maps --json uses): features unknown, written and read as null. */
    @Test
    void hostWithoutProbedFeaturesRoundTripsAsNull() {
        dev.inspector.core.procfs.ProcFs proc = dev.inspector.core.procfs.ProcFs.system();
        dev.inspector.core.analysis.SnapshotBuilder insp = new dev.inspector.core.analysis.SnapshotBuilder(proc,
                new dev.inspector.core.procfs.HostFacts(proc).basic(), null, "test");
        Snapshot s = insp.snapshot((int) ProcessHandle.current().pid(),
                dev.inspector.core.analysis.SnapshotOptions.maps());
        String json = SnapshotJson.toJson(s);
        assertTrue(json.contains("\"features\":null"), json.substring(0, 600));
        Snapshot back = SnapshotJson.parse(json, "basic");
        assertEquals(s.host(), back.host());
        assertEquals(s.regions(), back.regions());
    }

    @Test
    void writingIsDeterministic() {
        assertEquals(realJson, SnapshotJson.toJson(SnapshotJson.parse(realJson, "mem")));
    }

    @Test
    void documentHasOneLinePerRegionAndTheKernelsAddressesInHex() throws Exception {
        JsonNode root = SnapshotReader.MAPPER.readTree(realJson);
        assertEquals(SnapshotJson.KIND, root.get("kind").asText());
        assertEquals(Snapshot.SCHEMA_VERSION, root.get("schemaVersion").asInt());
        assertEquals(real.takenAt().toString(), root.get("takenAt").asText());
        JsonNode first = root.get("regions").get(0).get("mapping");
        Mapping m = real.regions().get(0).mapping();
        assertEquals("0x" + Long.toHexString(m.start()), first.get("start").asText());
        assertEquals(m.size(), first.get("size").asLong());
        long lines = realJson.chars().filter(c -> c == '\n').count();
        assertTrue(lines >= real.regions().size(), "one line per region at least");
    }

    @Test
    void unsignedAddressesAboveLongMaxRoundTrip() {
        // A real maps line of this kernel: [vsyscall] lies above Long.MAX_VALUE.
        Mapping vsyscall = MapsParser.parseLine(
                "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]");
        List<Region> regions = new ArrayList<>(real.regions());
        regions.removeIf(r -> r.mapping().start() == vsyscall.start());
        regions.add(new Region(vsyscall, RegionKind.VSYSCALL, null, List.of(), "maps name [vsyscall]", null)
                .withResidency(null, List.of(new PageRun(0, 1, 0, -1))));
        Snapshot s = withRegions(real, regions);
        String json = SnapshotJson.toJson(s);
        assertTrue(json.contains("\"start\":\"0xffffffffff600000\""), "vsyscall start as unsigned hex");
        assertTrue(json.contains("\"end\":\"0xffffffffff601000\""));
        Snapshot back = SnapshotJson.parse(json, "mem");
        assertEquals(s, back);
        assertTrue(back.regions().get(back.regions().size() - 1).mapping().start() < 0, "held as a negative long");
    }

    @Test
    void pageRunsAreCompactArraysAndKeepFrames() {
        Region stack = real.regions().stream().filter(r -> r.kind() == RegionKind.STACK).findFirst().orElseThrow();
        List<PageRun> runs = List.of(new PageRun(0, 1L << 24, 0, -1), new PageRun(1L << 24, 3, PageRun.PRESENT | PageRun.EXCLUSIVE, 0x1234567L));
        List<Region> regions = new ArrayList<>(real.regions());
        regions.set(regions.indexOf(stack), stack.withResidency(stack.residency(), runs));
        Snapshot s = withRegions(real, regions);
        String json = SnapshotJson.toJson(s);
        assertTrue(json.contains("\"pages\":[[0,16777216,0],[16777216,3,9,19088743]]"), "runs as arrays");
        assertEquals(s, SnapshotJson.parse(json, "mem"));
    }

    // ---- strict reading: each failure is one line naming the file, the place and what was expected ----

    @Test
    void truncatedFileNamesLineAndColumn() throws Exception {
        Path f = tmp.resolve("cut.json");
        Files.writeString(f, realJson.substring(0, realJson.length() / 2));
        BadInput e = assertThrows(BadInput.class, () -> SnapshotJson.read(f));
        assertOneLine(e);
        assertTrue(e.getMessage().startsWith(f.toString() + ": line "), e.getMessage());
        assertTrue(e.getMessage().contains("column"), e.getMessage());
    }

    @Test
    void corruptByteNamesItsLine() throws Exception {
        String[] lines = realJson.split("\n", -1);
        int target = 0;
        while (!lines[target].contains("\"perms\":")) {
            target++;
        }
        target += 3; // a region line some way into the array
        lines[target] = lines[target].replaceFirst("\"perms\":", "\"perms\"=");
        Path f = tmp.resolve("corrupt.json");
        Files.writeString(f, String.join("\n", lines));
        BadInput e = assertThrows(BadInput.class, () -> SnapshotJson.read(f));
        assertOneLine(e);
        assertTrue(e.getMessage().startsWith(f + ": line " + (target + 1) + ", column "), e.getMessage());
    }

    @Test
    void wrongKindIsNotASnapshot() throws Exception {
        Path f = tmp.resolve("other.json");
        Files.writeString(f, "{\"kind\":\"something-else\",\"regions\":[]}");
        BadInput e = assertThrows(BadInput.class, () -> SnapshotJson.read(f));
        assertOneLine(e);
        assertTrue(e.getMessage().contains("not an inspector snapshot"), e.getMessage());
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());

        Files.writeString(f, "[1,2,3]");
        assertTrue(assertThrows(BadInput.class, () -> SnapshotJson.read(f)).getMessage().contains("not an inspector snapshot"));
        Files.writeString(f, "{\"a\":1}");
        assertTrue(assertThrows(BadInput.class, () -> SnapshotJson.read(f)).getMessage().contains("no \"kind\""));
        Files.writeString(f, "");
        assertTrue(assertThrows(BadInput.class, () -> SnapshotJson.read(f)).getMessage().contains("empty file"));
    }

    @Test
    void timelineGivenAsSnapshotSaysWhatItIs() throws Exception {
        Path f = tmp.resolve("t.ndjson");
        try (TimelineWriter w = TimelineWriter.create(f.toString())) {
            w.append(real);
        }
        BadInput e = assertThrows(BadInput.class, () -> SnapshotJson.read(f));
        assertTrue(e.getMessage().contains("timeline"), e.getMessage());
        assertEquals(SnapshotJson.TIMELINE_KIND, SnapshotJson.kindOf(f));
        Path s = tmp.resolve("s.json");
        SnapshotJson.write(real, s.toString());
        assertEquals(SnapshotJson.KIND, SnapshotJson.kindOf(s));
    }

    @Test
    void otherSchemaVersionSaysWhichIsSupported() throws Exception {
        Path f = tmp.resolve("v3.json");
        Files.writeString(f, realJson.replaceFirst("\"schemaVersion\":2", "\"schemaVersion\":3"));
        BadInput e = assertThrows(BadInput.class, () -> SnapshotJson.read(f));
        assertOneLine(e);
        assertTrue(e.getMessage().contains("/schemaVersion"), e.getMessage());
        assertTrue(e.getMessage().contains("schema version 3 is not supported (this inspector reads versions 1 to 2;"
                + " a newer inspector wrote this file)"), e.getMessage());
        Files.writeString(f, realJson.replaceFirst("\"schemaVersion\":2", "\"schemaVersion\":0"));
        e = assertThrows(BadInput.class, () -> SnapshotJson.read(f));
        assertTrue(e.getMessage().contains("schema version 0 is not supported"), e.getMessage());
    }

    /**
     * A snapshot written by the inspector before schema version 2 (checked in, captured from the typical sample with
     * that version): it is read, its kinds spelled as enum constants then, and written again it is a version 2
     * document whose kinds are spelled as the tables spell them.
     */
    @Test
    void aVersionOneSnapshotIsStillReadAndWrittenAsVersionTwo() throws Exception {
        Path v1 = java.nio.file.Paths.get(getClass().getResource("/snapshots/typical-v1.json").toURI());
        String text = Files.readString(v1);
        assertTrue(text.contains("\"schemaVersion\":1") && text.contains("\"kind\":\"THREAD_STACK\""),
                "the fixture is an old document");
        Snapshot old = SnapshotJson.read(v1);
        assertEquals(32, old.regions().size());
        assertTrue(old.regions().stream().anyMatch(r -> r.kind() == RegionKind.THREAD_STACK));
        assertEquals(RegionKind.VVAR_VCLOCK, old.regions().stream().filter(r -> r.mapping().path().kernelText()
                .equals("[vvar_vclock]")).findFirst().orElseThrow().kind());
        String again = SnapshotJson.toJson(old);
        assertTrue(again.contains("\"schemaVersion\":2") && again.contains("\"kind\":\"thread-stack\""), again);
        assertFalse(again.contains("THREAD_STACK"));
        assertEquals(old.regions(), SnapshotJson.parse(again, "again").regions());
        // and a version 2 document spelling a kind the old way is wrong, not silently accepted
        BadInput e = assertThrows(BadInput.class, () -> SnapshotJson.parse(again.replace("\"kind\":\"heap\"",
                "\"kind\":\"HEAP\""), "mixed.json"));
        assertTrue(e.getMessage().contains("/kind: expected one of elf-header, text"), e.getMessage());
    }

    /** A timeline recorded before schema version 2 is read too, deltas and all, and its points compare. */
    @Test
    void aVersionOneTimelineIsStillRead() throws Exception {
        Path v1 = java.nio.file.Paths.get(getClass().getResource("/snapshots/typical-v1.ndjson").toURI());
        Timeline t = TimelineReader.read(v1);
        assertEquals(2, t.points().size());
        Snapshot first = t.snapshotAt(0);
        Snapshot last = t.snapshotAt(-1);
        assertEquals(first.regions().size(), last.regions().size());
        assertTrue(last.regions().stream().anyMatch(r -> r.kind() == RegionKind.MALLOC_ARENA));
        dev.inspector.core.diff.SnapshotDiff.compare(first, last);
    }

    @Test
    void missingMemberNamesItsJsonPointer() throws Exception {
        ObjectNode root = (ObjectNode) SnapshotReader.MAPPER.readTree(realJson);
        ((ObjectNode) root.get("regions").get(3).get("mapping")).remove("start");
        BadInput e = assertThrows(BadInput.class, () -> SnapshotJson.parse(root.toString(), "snap.json"));
        assertOneLine(e);
        assertEquals("snap.json: /regions/3/mapping/start: missing required member \"start\"", e.getMessage());
    }

    @Test
    void illTypedMemberNamesPointerAndExpectation() throws Exception {
        ObjectNode root = (ObjectNode) SnapshotReader.MAPPER.readTree(realJson);
        ((ObjectNode) root.get("regions").get(5).get("mapping")).put("start", 140737488347136L);
        BadInput e = assertThrows(BadInput.class, () -> SnapshotJson.parse(root.toString(), "snap.json"));
        assertTrue(e.getMessage().startsWith("snap.json: /regions/5/mapping/start: expected a hex address string"), e.getMessage());
        assertTrue(e.getMessage().endsWith("found integer 140737488347136"), e.getMessage());

        ObjectNode r2 = (ObjectNode) SnapshotReader.MAPPER.readTree(realJson);
        ((ObjectNode) r2.get("process")).put("minorFaults", "12");
        e = assertThrows(BadInput.class, () -> SnapshotJson.parse(r2.toString(), "snap.json"));
        assertEquals("snap.json: /process/minorFaults: expected an integer, found string \"12\"", e.getMessage());

        ObjectNode r3 = (ObjectNode) SnapshotReader.MAPPER.readTree(realJson);
        ((ObjectNode) r3.get("regions").get(0)).put("kind", "SPACESHIP");
        e = assertThrows(BadInput.class, () -> SnapshotJson.parse(r3.toString(), "snap.json"));
        assertTrue(e.getMessage().startsWith("snap.json: /regions/0/kind: expected one of elf-header, text"), e.getMessage());

        ObjectNode r4 = (ObjectNode) SnapshotReader.MAPPER.readTree(realJson);
        ((ObjectNode) r4.get("regions").get(0).get("mapping")).put("start", "0x7FFD0000");
        e = assertThrows(BadInput.class, () -> SnapshotJson.parse(r4.toString(), "snap.json"));
        assertTrue(e.getMessage().contains("lowercase"), e.getMessage());

        ObjectNode r5 = (ObjectNode) SnapshotReader.MAPPER.readTree(realJson);
        ((ObjectNode) r5.get("regions").get(0).get("mapping")).put("size", 1);
        e = assertThrows(BadInput.class, () -> SnapshotJson.parse(r5.toString(), "snap.json"));
        assertTrue(e.getMessage().startsWith("snap.json: /regions/0/mapping/size: size 1 is not end - start"), e.getMessage());
    }

    @Test
    void duplicateMembersAndTrailingContentAreRejected() {
        String dup = realJson.replaceFirst("\"toolVersion\":", "\"toolVersion\":\"x\",\"toolVersion\":");
        BadInput e = assertThrows(BadInput.class, () -> SnapshotJson.parse(dup, "d.json"));
        assertTrue(e.getMessage().contains("Duplicate field 'toolVersion'"), e.getMessage());
        BadInput t = assertThrows(BadInput.class, () -> SnapshotJson.parse(realJson + "{}", "t.json"));
        assertTrue(t.getMessage().contains("unexpected content after the end"), t.getMessage());
    }

    @Test
    void unknownMembersAreSkippedForForwardCompatibility() {
        String extra = realJson.replaceFirst("\"toolVersion\":", "\"addedInV1_1\":{\"x\":[1,2]},\"toolVersion\":");
        assertEquals(real, SnapshotJson.parse(extra, "x.json"));
    }

    @Test
    void missingFileIsBadInputNamingIt() {
        Path f = tmp.resolve("absent.json");
        BadInput e = assertThrows(BadInput.class, () -> SnapshotJson.read(f));
        assertEquals(f + ": no such file", e.getMessage());
    }

    @Test
    void writerRejectsARecordThatCouldNotBeReadBack() {
        Snapshot bad = new Snapshot(Snapshot.SCHEMA_VERSION + 1, "x", real.takenAt(), real.host(), real.process(), real.regions(), real.threads(),
                real.bases(), real.kernel(), real.rollup());
        assertThrows(IllegalArgumentException.class, () -> SnapshotJson.toJson(bad));
        assertNotNull(real.kernel());
    }

    static Snapshot withRegions(Snapshot s, List<Region> regions) {
        regions.sort((a, b) -> Long.compareUnsigned(a.mapping().start(), b.mapping().start()));
        return new Snapshot(s.schemaVersion(), s.toolVersion(), s.takenAt(), s.host(), s.process(), regions, s.threads(),
                s.bases(), s.kernel(), s.rollup());
    }

    /**
     * Found by fuzzing (JsonReadersFuzzTestInputs/snapshot/crash-252aac...): a "kind" holding an escaped newline was
     * quoted raw, so the one-line error became two lines. Values from the document are quoted escaped.
     */
    @Test
    void aHostileKindIsQuotedEscapedOnOneLine() {
        String json = "{\n\"kind\":\"inspector-s\\\\\\napshot\\u001b[31m\\u202e\",\n\"yohs\":[]\n}\n";
        BadInput e = assertThrows(BadInput.class, () -> SnapshotJson.parse(json, "hostile"));
        assertOneLine(e);
        assertEquals("hostile: /kind: not an inspector snapshot (kind is \"inspector-s\\\\\\napshot\\x1b[31m\\u202e\","
                + " expected \"inspector-snapshot\")", e.getMessage());
        BadInput k = assertThrows(BadInput.class, () -> {
            Path f = Files.writeString(Files.createTempFile("kind", ".json"), "{\"kind\":\"x\\ny\"}");
            try {
                SnapshotJson.kindOf(f);
            } finally {
                Files.delete(f);
            }
        });
        assertOneLine(k);
        assertTrue(k.getMessage().endsWith("(kind \"x\\ny\")"), k.getMessage());
    }

    /**
     * Found by fuzzing (JsonReadersFuzzTestInputs/snapshot/crash-371724...): a member name holding a newline went into
     * the JSON pointer of the message raw. Pointer tokens are quoted like any document string.
     */
    @Test
    void aHostileMemberNameInThePointerIsEscaped() throws Exception {
        String json = Files.readString(Path.of("src/test/resources/dev/inspector/core/json/JsonReadersFuzzTestInputs"
                + "/snapshot/crash-371724d8850c0cc72e02fd92e7ecf837779bb4c1"));
        BadInput e = assertThrows(BadInput.class, () -> SnapshotJson.parse(json, "hostile"));
        assertOneLine(e);
        assertTrue(e.getMessage().contains("/Shara\\ned_Clgs: expected an integer, found an array"), e.getMessage());
    }

    static void assertOneLine(BadInput e) {
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertTrue(e.getMessage().getBytes(StandardCharsets.UTF_8).length < 400, e.getMessage());
    }
}

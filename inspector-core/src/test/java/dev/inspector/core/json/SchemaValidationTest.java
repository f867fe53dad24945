package dev.inspector.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.inspector.core.diff.DiffOptions;
import dev.inspector.core.diff.SnapshotDiff;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.testing.LiveTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real output validated against docs/schema/snapshot-v2.schema.json with networknt json-schema-validator. */
@EnabledOnOs(OS.LINUX)
@LiveTest
class SchemaValidationTest {

    static final ObjectMapper M = new ObjectMapper();
    static JsonNode schemaNode;
    static JsonSchema snapshotSchema;
    static JsonSchema timelineRecordSchema;
    static JsonSchema diffSchema;
    static Snapshot before;
    static Snapshot after;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() throws Exception {
        Path schemaFile = Paths.get(System.getProperty("user.dir")).resolve("../docs/schema/snapshot-v2.schema.json").normalize();
        schemaNode = M.readTree(schemaFile.toFile());
        JsonSchemaFactory f = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        snapshotSchema = f.getSchema(schemaNode);
        timelineRecordSchema = f.getSchema(pointingAt("timelineRecord"));
        diffSchema = f.getSchema(pointingAt("diffDocument"));
        before = RealSnapshots.self(true);
        ByteBuffer b = ByteBuffer.allocateDirect(8 << 20);
        for (int i = 0; i < b.capacity(); i += 4096) {
            b.put(i, (byte) 1);
        }
        after = RealSnapshots.self(true);
        Reference.reachabilityFence(b);
    }

    /** The same schema document with its root replaced by a reference to one of its $defs. */
    static JsonNode pointingAt(String def) {
        ObjectNode o = M.createObjectNode();
        o.put("$schema", schemaNode.get("$schema").asText());
        o.put("$id", schemaNode.get("$id").asText() + "#" + def);
        o.set("$defs", schemaNode.get("$defs"));
        o.put("$ref", "#/$defs/" + def);
        return o;
    }

    static void assertValid(JsonSchema schema, JsonNode doc) {
        Set<ValidationMessage> errors = schema.validate(doc);
        assertEquals(Set.of(), errors);
    }

    @Test
    void realSnapshotIsValid() throws Exception {
        Path f = tmp.resolve("snap.json");
        SnapshotJson.write(before, f.toString());
        JsonNode doc = M.readTree(f.toFile());
        assertValid(snapshotSchema, doc);
        assertTrue(doc.get("regions").size() > 10);
    }

    @Test
    void schemaIsNotVacuous() throws Exception {
        JsonNode good = M.readTree(SnapshotJson.toJson(before));
        ObjectNode upper = good.deepCopy();
        ((ObjectNode) upper.get("regions").get(0).get("mapping")).put("start", "0x7FFD0000");
        assertFalse(snapshotSchema.validate(upper).isEmpty(), "uppercase hex");
        ObjectNode kb = good.deepCopy();
        ((ObjectNode) kb.get("regions").get(0).get("mapping")).put("size", 4.5);
        assertFalse(snapshotSchema.validate(kb).isEmpty(), "non-integer size");
        ObjectNode missing = good.deepCopy();
        ((ObjectNode) missing.get("process")).remove("pid");
        assertFalse(snapshotSchema.validate(missing).isEmpty(), "missing pid");
        ObjectNode kind = good.deepCopy();
        ((ObjectNode) kind.get("regions").get(0)).put("kind", "SPACESHIP");
        assertFalse(snapshotSchema.validate(kind).isEmpty(), "unknown region kind");
        ObjectNode extra = good.deepCopy();
        extra.put("undocumented", 1);
        assertFalse(snapshotSchema.validate(extra).isEmpty(), "a member the schema does not document");
        ObjectNode wrongKind = good.deepCopy();
        wrongKind.put("kind", SnapshotJson.TIMELINE_KIND);
        assertFalse(snapshotSchema.validate(wrongKind).isEmpty());
    }

    @Test
    void everyTimelineLineIsAValidRecord() throws Exception {
        Path f = tmp.resolve("t.ndjson");
        try (TimelineWriter w = TimelineWriter.create(f.toString())) {
            w.append(before);
            w.append(after);
            w.exit(Instant.now(), null, "process gone");
        }
        List<String> lines = Files.readAllLines(f);
        assertEquals(3, lines.size());
        for (String line : lines) {
            assertValid(timelineRecordSchema, M.readTree(line));
        }
        // A snapshot document is not a timeline record (wrong kind, no type).
        assertFalse(timelineRecordSchema.validate(M.readTree(SnapshotJson.toJson(before))).isEmpty());
    }

    @Test
    void diffJsonIsValidInBothMatchModes() throws Exception {
        assertValid(diffSchema, M.readTree(DiffJson.toJson(SnapshotDiff.compare(before, after))));
        assertValid(diffSchema, M.readTree(DiffJson.toJson(SnapshotDiff.compare(before, after, DiffOptions.byModule()))));
    }

    @Test
    void theMapsDocumentWithItsTotalsIsValid() throws Exception {
        java.io.StringWriter w = new java.io.StringWriter();
        dev.inspector.core.model.Smaps r = before.rollup();
        SnapshotJson.write(before, new MappingTotals(MappingTotals.ROLLUP, before.regions().size(), 1L << 20, r.rss(),
                r.pss(), r.swap(), 0L), w);
        JsonNode doc = M.readTree(w.toString());
        assertValid(snapshotSchema, doc);
        assertEquals(r.rss(), doc.get("totals").get("rss").asLong());
        ObjectNode bad = doc.deepCopy();
        ((ObjectNode) bad.get("totals")).put("source", "a guess");
        assertFalse(snapshotSchema.validate(bad).isEmpty(), "the source of the totals is one of two");
        // the reader takes the maps document as a snapshot (totals are derived, not read)
        assertEquals(before.regions(), SnapshotJson.parse(w.toString(), "maps.json").regions());
    }

    @Test
    void thePsDocumentIsValid() throws Exception {
        dev.inspector.core.model.ProcessList list = dev.inspector.core.procfs.ProcessScanner.scan(
                dev.inspector.core.procfs.ProcFs.system());
        java.io.StringWriter w = new java.io.StringWriter();
        ProcessListJson.write(list.rows().subList(0, Math.min(20, list.rows().size())), list, w);
        JsonNode doc = M.readTree(w.toString());
        assertValid(f().getSchema(pointingAt("psDocument")), doc);
        assertEquals(list.rows().size(), doc.get("totals").get("processes").asInt());
        assertEquals(list.rows().stream().filter(dev.inspector.core.model.ProcessList.Row::kernelThread).count(),
                doc.get("totals").get("kernelThreads").asLong());
    }

    /** A version 1 document (checked in) is valid under the version 1 schema, which stays beside version 2. */
    @Test
    void theOldSnapshotIsValidUnderTheOldSchema() throws Exception {
        Path v1schema = Paths.get(System.getProperty("user.dir")).resolve("../docs/schema/snapshot-v1.schema.json")
                .normalize();
        JsonSchema old = f().getSchema(M.readTree(v1schema.toFile()));
        JsonNode doc = M.readTree(getClass().getResource("/snapshots/typical-v1.json"));
        assertValid(old, doc);
        assertFalse(snapshotSchema.validate(doc).isEmpty(), "version 2 does not describe a version 1 document");
    }

    private static JsonSchemaFactory f() {
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    }
}

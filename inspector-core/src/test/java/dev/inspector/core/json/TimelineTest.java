package dev.inspector.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inspector.core.BadInput;
import dev.inspector.core.diff.DiffOptions;
import dev.inspector.core.diff.SnapshotDiff;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.testing.LiveTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@EnabledOnOs(OS.LINUX)
@LiveTest
class TimelineTest {

    static final List<Snapshot> POINTS = new ArrayList<>();
    static ByteBuffer direct;
    static MappedByteBuffer mapped;

    @TempDir
    static Path dir;

    @TempDir
    Path tmp;

    /** Three real points of this JVM: before, after a 64 MiB direct buffer, after mapping a file. */
    @BeforeAll
    static void takePoints() throws Exception {
        POINTS.add(RealSnapshots.self(true));
        direct = ByteBuffer.allocateDirect(64 << 20);
        for (int i = 0; i < direct.capacity(); i += 4096) {
            direct.put(i, (byte) 1);
        }
        POINTS.add(RealSnapshots.self(true));
        Path f = dir.resolve("mapped.bin");
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(1 << 20);
        }
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, 1 << 20);
        }
        mapped.get(0);
        POINTS.add(RealSnapshots.self(true));
        Reference.reachabilityFence(direct);
    }

    Path writeTimeline(boolean withExit) {
        Path f = tmp.resolve("timeline.ndjson");
        try (TimelineWriter w = TimelineWriter.create(f.toString())) {
            for (Snapshot s : POINTS) {
                w.append(s);
            }
            if (withExit) {
                w.exit(Instant.parse("2030-01-01T00:00:00Z"), 3, "exited");
            }
        }
        return f;
    }

    /**
     * Each record reaches the stream as one write holding exactly one complete line, so nothing of a record sits in
     * the stream (or its buffer) while the next snapshot is taken: the property a Ctrl-C during a watch relies on.
     */
    @Test
    void eachRecordIsHandedToTheStreamInOneWriteEndingWithItsNewline() throws Exception {
        List<byte[]> writes = new ArrayList<>();
        java.io.OutputStream recorder = new java.io.OutputStream() {
            @Override
            public void write(int b) {
                writes.add(new byte[] {(byte) b});
            }

            @Override
            public void write(byte[] b, int off, int len) {
                writes.add(java.util.Arrays.copyOfRange(b, off, off + len));
            }
        };
        try (TimelineWriter w = new TimelineWriter(recorder, false, "recorder")) {
            for (Snapshot s : POINTS) {
                w.append(s);
            }
            w.exit(Instant.parse("2030-01-01T00:00:00Z"), null, "exited");
        }
        assertEquals(POINTS.size() + 1, writes.size(), "one write per record");
        for (byte[] b : writes) {
            String line = new String(b, StandardCharsets.UTF_8);
            assertTrue(line.endsWith("\n") && line.indexOf('\n') == line.length() - 1, "one complete line per write");
            assertTrue(SnapshotReader.MAPPER.readTree(line).isObject(), line);
        }
    }

    @Test
    void everyPointIsRebuiltEqualToTheOriginal() {
        Timeline t = TimelineReader.read(writeTimeline(true));
        assertEquals(POINTS.size(), t.size());
        for (int i = 0; i < POINTS.size(); i++) {
            assertEquals(POINTS.get(i), t.snapshotAt(i), "point " + i);
        }
        // Out of order access too (the reader caches the last point it built).
        assertEquals(POINTS.get(0), t.snapshotAt(0));
        assertEquals(POINTS.get(2), t.snapshotAt(-1));
        assertEquals(new Timeline.Exit(Instant.parse("2030-01-01T00:00:00Z"), 3, "exited"), t.exit().orElseThrow());
        assertTrue(t.warning().isEmpty());
        assertEquals(POINTS.get(1).takenAt(), t.points().get(1).takenAt());
        assertEquals(SnapshotDiff.compare(POINTS.get(0), POINTS.get(2)), t.diff(0, 2, DiffOptions.byAddress()));
        BadInput e = assertThrows(BadInput.class, () -> t.snapshotAt(3));
        assertTrue(e.getMessage().contains("no point 3 (the timeline has 3 points"), e.getMessage());
    }

    @Test
    void everyLineIsOneJsonRecordAndDeltasAreSmall() throws Exception {
        List<String> lines = Files.readAllLines(writeTimeline(true), StandardCharsets.UTF_8);
        assertEquals(POINTS.size() + 1, lines.size());
        for (int i = 0; i < lines.size(); i++) {
            JsonNode n = SnapshotReader.MAPPER.readTree(lines.get(i));
            assertEquals(i, n.get("seq").asInt());
        }
        JsonNode first = SnapshotReader.MAPPER.readTree(lines.get(0));
        assertEquals(SnapshotJson.TIMELINE_KIND, first.get("kind").asText());
        assertEquals("snapshot", first.get("type").asText());
        assertEquals("delta", SnapshotReader.MAPPER.readTree(lines.get(1)).get("type").asText());
        assertEquals("exit", SnapshotReader.MAPPER.readTree(lines.get(3)).get("type").asText());
        assertTrue(lines.get(1).length() < lines.get(0).length(), "a delta carries only changed regions");
    }

    @Test
    void interruptedLastLineIsToleratedAndSaidSo() throws Exception {
        Path f = writeTimeline(false);
        byte[] all = Files.readAllBytes(f);
        // Cut the last record in the middle, as a killed writer would leave it.
        int lastStart = lastLineStart(all);
        int cut = lastStart + (all.length - lastStart) / 2;
        Files.write(f, java.util.Arrays.copyOf(all, cut));
        Timeline t = TimelineReader.read(f);
        assertEquals(POINTS.size() - 1, t.size());
        assertEquals(POINTS.get(1), t.snapshotAt(1));
        String w = t.warning().orElseThrow();
        assertTrue(w.startsWith(f + " line 3 is incomplete (the writer was interrupted)"), w);
        assertTrue(t.exit().isEmpty());
    }

    @Test
    void aBrokenCompleteLineIsAnErrorNamingIt() throws Exception {
        Path f = writeTimeline(true);
        List<String> lines = new ArrayList<>(Files.readAllLines(f));
        lines.set(1, lines.get(1).substring(0, 40));
        Files.write(f, lines);
        BadInput e = assertThrows(BadInput.class, () -> TimelineReader.read(f));
        assertTrue(e.getMessage().startsWith(f + " line 2, column "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void orderIsChecked() throws Exception {
        Path f = writeTimeline(true);
        List<String> lines = new ArrayList<>(Files.readAllLines(f));
        List<String> gap = new ArrayList<>(lines);
        gap.remove(1);
        Files.write(f, gap);
        BadInput e = assertThrows(BadInput.class, () -> TimelineReader.read(f));
        assertTrue(e.getMessage().contains("line 2: /seq: expected seq 1 after seq 0, found 2"), e.getMessage());

        List<String> afterExit = new ArrayList<>(lines);
        afterExit.add(lines.get(3).replace("\"seq\":3", "\"seq\":4"));
        Files.write(f, afterExit);
        e = assertThrows(BadInput.class, () -> TimelineReader.read(f));
        assertTrue(e.getMessage().contains("line 5: a record after the exit record"), e.getMessage());

        List<String> wrongRemove = new ArrayList<>(lines);
        wrongRemove.set(2, lines.get(2).replaceFirst("\"remove\":\\[\"0x", "\"remove\":[\"0x1"));
        Files.write(f, wrongRemove);
        e = assertThrows(BadInput.class, () -> TimelineReader.read(f));
        assertTrue(e.getMessage().contains("line 3: /regionChanges/remove/0: no region starts at"), e.getMessage());
    }

    @Test
    void aSnapshotFileIsNotATimeline() throws Exception {
        Path f = tmp.resolve("s.json");
        SnapshotJson.write(POINTS.get(0), f.toString());
        BadInput e = assertThrows(BadInput.class, () -> TimelineReader.read(f));
        assertTrue(e.getMessage().contains("it is a single snapshot, not a timeline"), e.getMessage());
    }

    @Test
    void aTargetThatExitedBeforeTheFirstSnapshotGivesAnEmptyTimeline() {
        Path f = tmp.resolve("e.ndjson");
        try (TimelineWriter w = TimelineWriter.create(f.toString())) {
            w.exit(Instant.parse("2030-01-01T00:00:00Z"), null, "process gone");
        }
        Timeline t = TimelineReader.read(f);
        assertEquals(0, t.size());
        assertEquals("process gone", t.exit().orElseThrow().reason());
        assertEquals(null, t.exit().orElseThrow().exitStatus());
    }

    static int lastLineStart(byte[] b) {
        int end = b.length - 1; // the final newline
        for (int i = end - 1; i >= 0; i--) {
            if (b[i] == '\n') {
                return i + 1;
            }
        }
        return 0;
    }
}

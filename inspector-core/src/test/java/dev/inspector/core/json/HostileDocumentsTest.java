package dev.inspector.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inspector.core.BadInput;
import dev.inspector.core.diff.SnapshotDiff;
import dev.inspector.core.model.Snapshot;
import org.junit.jupiter.api.BeforeAll;
import dev.inspector.core.testing.LiveTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Documents the inspector never writes, as a hostile or broken producer may: values no process can have are refused
 * by the readers with one line naming the member, so a diff never computes with them (no overflow, no exception from
 * date arithmetic); strings from the file are quoted escaped; and an input that never comes (a FIFO nobody writes to)
 * is given up after a bounded wait.
 */
@LiveTest
@EnabledOnOs(OS.LINUX)
class HostileDocumentsTest {

    @TempDir
    Path tmp;

    private static ObjectNode real;

    @BeforeAll
    static void snapshot() throws IOException {
        real = (ObjectNode) SnapshotReader.MAPPER.readTree(SnapshotJson.toJson(RealSnapshots.self(false)));
    }

    private static String edited(Consumer<ObjectNode> edit) {
        ObjectNode copy = real.deepCopy();
        edit.accept(copy);
        return copy.toString();
    }

    private static BadInput refused(Consumer<ObjectNode> edit) {
        return assertThrows(BadInput.class, () -> SnapshotJson.parse(edited(edit), "h.json"));
    }

    @Test
    void aFarFutureOrPastInstantIsRefusedNotAnArithmeticError() {
        for (String t : List.of("+1000000000-12-31T23:59:59.999999999Z", "-1000000000-01-01T00:00:00Z",
                "2262-04-12T00:00:00Z", "1969-12-31T23:59:59Z")) {
            BadInput e = refused(o -> o.put("takenAt", t));
            assertTrue(e.getMessage().startsWith("h.json: /takenAt: instant ") && e.getMessage().contains(
                    "is out of range (an inspector records instants from 1970-01-01T00:00:00Z to "
                    + "2262-04-11T23:47:16.854775807Z)"), e.getMessage());
        }
        // The edges themselves are fine, and a diff across the whole range computes its elapsed time.
        Snapshot early = SnapshotJson.parse(edited(o -> o.put("takenAt", "1970-01-01T00:00:00Z")), "e.json");
        Snapshot late = SnapshotJson.parse(edited(o -> o.put("takenAt", "2262-04-11T23:47:16.854775807Z")), "l.json");
        assertEquals(Long.MAX_VALUE, SnapshotDiff.compare(early, late).elapsed().toNanos());
        assertEquals(-Long.MAX_VALUE, SnapshotDiff.compare(late, early).elapsed().toNanos());
    }

    @Test
    void aPageSizeThatIsNoPowerOfTwoIsRefused() {
        for (int ps : new int[] {0, -4096, 4095, Integer.MIN_VALUE}) {
            BadInput e = refused(o -> ((ObjectNode) o.get("host")).put("pageSize", ps));
            assertEquals("h.json: /host/pageSize: page size " + ps + " is not a positive power of two", e.getMessage());
        }
    }

    @Test
    void aPidThatIsNotPositiveIsRefused() {
        for (int pid : new int[] {0, -5}) {
            BadInput e = refused(o -> ((ObjectNode) o.get("process")).put("pid", pid));
            assertEquals("h.json: /process/pid: pid " + pid + " is not a positive process id", e.getMessage());
        }
        BadInput e = refused(o -> ((ObjectNode) o.get("process")).put("startTime", -1));
        assertTrue(e.getMessage().startsWith("h.json: /process/startTime: expected a non-negative integer"),
                e.getMessage());
    }

    @Test
    void overlappingOrUnsortedRegionsAreRefused() {
        BadInput e = refused(o -> {
            ArrayNode r = (ArrayNode) o.get("regions");
            ((ObjectNode) r.get(1)).set("mapping", r.get(0).get("mapping").deepCopy());
        });
        assertTrue(e.getMessage().startsWith("h.json: /regions/1: starts at ") && e.getMessage().endsWith(
                "of the region before it (regions are sorted by address and never overlap)"), e.getMessage());
        BadInput swapped = refused(o -> {
            ArrayNode r = (ArrayNode) o.get("regions");
            JsonNode first = r.get(0);
            r.set(0, r.get(1));
            r.set(1, first);
        });
        assertTrue(swapped.getMessage().startsWith("h.json: /regions/1: starts at "), swapped.getMessage());
    }

    /** The totals of a diff cannot overflow: no region's figures exceed its size, and sizes add up below 2^63. */
    @Test
    void figuresLargerThanTheMappingAreRefusedSoTotalsCannotOverflow() {
        BadInput e = refused(o -> {
            for (JsonNode r : o.get("regions")) {
                if (r.get("smaps").isObject()) {
                    ((ObjectNode) r.get("smaps").get("bytes")).put("Rss", 1L << 62);
                }
            }
        });
        assertTrue(e.getMessage().matches("h\\.json: /regions/\\d+/smaps/bytes/Rss: Rss 4611686018427387904 is more"
                + " than the mapping's size \\d+"), e.getMessage());
        // Regions spanning 2^64 bytes (each below 2^63, disjoint): the sum is refused before any total is made.
        BadInput sum = refused(o -> {
            ArrayNode r = (ArrayNode) o.get("regions");
            while (r.size() > 3) {
                r.remove(r.size() - 1);
            }
            long[][] ranges = {{0, 0x7000000000000000L}, {0x7000000000000000L, 0xe000000000000000L},
                {0xe000000000000000L, 0xffffffffffff0000L}};
            for (int i = 0; i < 3; i++) {
                ObjectNode m = (ObjectNode) r.get(i).get("mapping");
                m.put("start", Hex.format(ranges[i][0]));
                m.put("end", Hex.format(ranges[i][1]));
                m.put("size", ranges[i][1] - ranges[i][0]);
            }
        });
        assertEquals("h.json: /regions/1: the regions' sizes add up to more than 2^63 bytes, more than any address"
                + " space", sum.getMessage());
    }

    @Test
    void aTimelineDeltaThatPutsAnOverlappingRegionIsRefused() throws IOException {
        Path f = tmp.resolve("t.ndjson");
        Snapshot s = RealSnapshots.self(false);
        try (TimelineWriter w = TimelineWriter.create(f.toString())) {
            w.append(s);
            w.append(s);
        }
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        ObjectNode delta = (ObjectNode) SnapshotReader.MAPPER.readTree(lines.get(1));
        ObjectNode region = real.get("regions").get(0).deepCopy();
        ObjectNode m = (ObjectNode) region.get("mapping");
        long start = Long.parseUnsignedLong(m.get("start").asText().substring(2), 16);
        m.put("start", Hex.format(start + 4096)); // inside the first region, which stays
        m.put("size", m.get("size").asLong() - 4096);
        ((ArrayNode) delta.get("regionChanges").get("put")).add(region);
        Files.writeString(f, lines.get(0) + "\n" + delta + "\n");
        BadInput e = assertThrows(BadInput.class, () -> TimelineReader.read(f).snapshotAt(1));
        assertTrue(e.getMessage().startsWith(f + " line 2: /regionChanges/put (the point it builds), region/"),
                e.getMessage());
    }

    @Test
    void stringsFromTheFileAreQuotedEscapedInMessages() throws IOException {
        BadInput kind = refused(o -> o.put("kind", "x\u001b[31mRED\u001b]0;title\u0007"));
        assertFalse(kind.getMessage().chars().anyMatch(c -> c < 0x20), kind.getMessage());
        assertTrue(kind.getMessage().contains("x\\x1b[31mRED\\x1b]0;title\\x07"), kind.getMessage());
        BadInput ps = refused(o -> ((ObjectNode) o.get("host")).put("pageSize", "\u001b[2J"));
        assertTrue(ps.getMessage().endsWith("found string \"\\x1b[2J\""), ps.getMessage());
        BadInput taken = refused(o -> o.put("takenAt", "\u202enow"));
        assertTrue(taken.getMessage().endsWith("found string \"\\u202enow\""), taken.getMessage());

        Path f = tmp.resolve("t.ndjson");
        Snapshot s = RealSnapshots.self(false);
        try (TimelineWriter w = TimelineWriter.create(f.toString())) {
            w.append(s);
            w.append(s);
        }
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        ObjectNode delta = (ObjectNode) SnapshotReader.MAPPER.readTree(lines.get(1));
        delta.put("type", "delta\u001b[2J\n");
        Files.writeString(f, lines.get(0) + "\n" + delta + "\n");
        BadInput type = assertThrows(BadInput.class, () -> TimelineReader.read(f));
        assertFalse(type.getMessage().chars().anyMatch(c -> c < 0x20), type.getMessage());
        assertTrue(type.getMessage().contains("\"delta\\x1b[2J\\n\""), type.getMessage());
    }

    @Test
    void aFifoNobodyWritesToIsGivenUpAfterTheBoundedWait() throws Exception {
        Path fifo = fifo("nobody");
        long t0 = System.nanoTime();
        BadInput e = assertThrows(BadInput.class, () -> InputFile.open(fifo, Duration.ofMillis(300)));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(fifo + ": nobody wrote to it for 300 ms (a FIFO without a writer?); stopped waiting",
                e.getMessage());
        assertTrue(ms < 10_000, ms + " ms");
    }

    @Test
    void aFifoWhoseWriterStallsIsGivenUpToo() throws Exception {
        Path fifo = fifo("stalls");
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (FileChannel ch = FileChannel.open(fifo, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap("{\"kind\":".getBytes(StandardCharsets.US_ASCII)));
                Thread.sleep(3000);
            } catch (IOException | InterruptedException ignored) {
                // the reader gave up
            }
        });
        BadInput e = assertThrows(BadInput.class, () -> InputFile.open(fifo, Duration.ofMillis(300)));
        assertEquals(fifo + ": no more data came for 300 ms (the writer stalled after 8 bytes); stopped waiting",
                e.getMessage());
        writer.get(10, TimeUnit.SECONDS);
    }

    /** A FIFO that does get a document is read once, named as itself in messages, and the copy is removed. */
    @Test
    void aFifoWithADocumentIsReadOnceAndItsCopyRemoved() throws Exception {
        Path fifo = fifo("doc");
        String doc = SnapshotJson.toJson(RealSnapshots.self(false));
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (FileChannel ch = FileChannel.open(fifo, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(doc.getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Path copy;
        try (InputFile in = InputFile.open(fifo, Duration.ofSeconds(10))) {
            copy = in.path();
            assertEquals(SnapshotJson.KIND, in.kind());
            assertEquals(SnapshotJson.parse(doc, "x").regions(), in.snapshot().regions());
        }
        writer.get(10, TimeUnit.SECONDS);
        assertFalse(Files.exists(copy), "the copy is removed");
        Path zero = Path.of("/dev/zero");
        try (InputFile in = InputFile.open(zero, Duration.ofSeconds(10))) {
            BadInput e = assertThrows(BadInput.class, in::kind);
            assertTrue(e.getMessage().startsWith("/dev/zero"), e.getMessage());
        }
    }

    private Path fifo(String name) throws IOException, InterruptedException {
        Path p = tmp.resolve(name);
        Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
        assertEquals(0, mk.waitFor());
        return p;
    }
}

package dev.inspector.core.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inspector.core.BadInput;
import dev.inspector.core.WriteFailed;
import dev.inspector.core.analysis.SnapshotOptions;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.testing.Live;
import dev.inspector.core.testing.Unprivileged;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import dev.inspector.core.testing.LiveTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writers on a real full file system: a 256 KiB tmpfs mounted for the test (root only; an ordinary user cannot
 * mount), filled so that a snapshot of this JVM does not fit. What a full disk may leave is checked: nothing of a
 * snapshot (the old file untouched), only whole lines of a timeline.
 */
@LiveTest
@EnabledOnOs(OS.LINUX)
class FullFilesystemLiveTest {

    @TempDir
    Path dir;
    private Path mnt;

    @BeforeEach
    void mount() throws Exception {
        Assumptions.assumeTrue(Unprivileged.root(), "mounting a small tmpfs needs root");
        mnt = Files.createDirectory(dir.resolve("full"));
        run("mount", "-t", "tmpfs", "-o", "size=256k,mode=0755", "inspector-full-test", mnt.toString());
    }

    @AfterEach
    void unmount() throws Exception {
        if (mnt != null) {
            run("umount", mnt.toString());
        }
    }

    @Test
    void aSnapshotOnAFullDiskIsWriteFailedLeavesTheOldFileAndNoTemporaryFile() throws Exception {
        Snapshot s = Live.host().session(ProcFs.selfPid()).snapshot(SnapshotOptions.full());
        Path target = mnt.resolve("snap.json");
        Files.writeString(target, "{\"old\":true}\n");
        Files.write(mnt.resolve("filler"), new byte[224 * 1024]); // leaves about 28 KiB
        assertTrue(SnapshotJson.toJson(s).length() > 64 * 1024, "a snapshot larger than the space left");
        WriteFailed e = assertThrows(WriteFailed.class, () -> SnapshotJson.write(s, target.toString()));
        assertEquals("cannot write " + target + ": No space left on device; nothing was written (the existing file"
                + " is untouched)", e.getMessage());
        assertEquals("{\"old\":true}\n", Files.readString(target));
        assertEquals(List.of("filler", "snap.json"), names());
    }

    @Test
    void aTimelineOnAFullDiskIsCutBackToItsLastCompleteRecord() throws Exception {
        Snapshot s = Live.host().session(ProcFs.selfPid()).snapshot(SnapshotOptions.full());
        Path target = mnt.resolve("t.ndjson");
        TimelineWriter w = TimelineWriter.create(target.toString());
        WriteFailed e;
        try {
            // Deltas of an unchanged process are small; the first snapshot is most of the file. Fill the disk with a
            // file of its own so that a record is cut whatever its size.
            Files.write(mnt.resolve("filler"), new byte[160 * 1024]);
            e = assertThrows(WriteFailed.class, () -> {
                for (int i = 0; i < 10_000; i++) {
                    w.append(Live.host().session(ProcFs.selfPid()).snapshot(SnapshotOptions.maps()));
                }
            });
        } finally {
            w.close();
        }
        int points = w.points();
        assertTrue(e.getMessage().startsWith("cannot write " + target + ": No space left on device; " + target
                + " was cut back to its last complete record (" + points + " point"), e.getMessage());
        byte[] b = Files.readAllBytes(target);
        assertTrue(b.length == 0 || b[b.length - 1] == '\n', "ends with a complete line");
        List<String> lines = Files.readAllLines(target, StandardCharsets.UTF_8);
        assertEquals(points, lines.size());
        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            json.readTree(line); // each line parses
        }
        if (points > 0) {
            assertEquals(points, TimelineReader.read(target).size());
        }
        assertFalse(s.regions().isEmpty());
    }

    @Test
    void aReadOnlyFileSystemIsBadInputBeforeAnythingIsWritten() throws Exception {
        run("mount", "-o", "remount,ro", mnt.toString());
        BadInput e = assertThrows(BadInput.class, () -> AtomicFile.write(mnt.resolve("x.json"), out -> out.write('x')));
        assertEquals("cannot write " + mnt.resolve("x.json") + ": cannot create a file in " + mnt
                + ": Read-only file system", e.getMessage());
        assertThrows(BadInput.class, () -> TimelineWriter.create(mnt.resolve("t.ndjson").toString()));
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(mnt)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}

package dev.inspector.core.json;

import dev.inspector.core.BadInput;
import dev.inspector.core.ExitStatus;
import dev.inspector.core.WriteFailed;
import dev.inspector.core.ProcessGone;
import dev.inspector.core.testing.LiveTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@LiveTest
class AtomicFileTest {

    @TempDir
    Path dir;

    List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void writerThatThrowsLeavesTheOldFileAndNoTemporaryFile() throws Exception {
        Path target = dir.resolve("snap.json");
        Files.writeString(target, "old content");
        ProcessGone boom = new ProcessGone(4242, "smaps vanished");
        ProcessGone thrown = assertThrows(ProcessGone.class, () -> AtomicFile.write(target.toString(), out -> {
            out.write("half of a new docu".getBytes(StandardCharsets.UTF_8));
            out.flush();
            throw boom;
        }));
        assertSame(boom, thrown);
        assertEquals("old content", Files.readString(target));
        assertEquals(List.of("snap.json"), names());
    }

    @Test
    void ioFailureInTheWriterIsWriteFailedAndCleansUp() throws Exception {
        Path target = dir.resolve("snap.json");
        WriteFailed e = assertThrows(WriteFailed.class, () -> AtomicFile.write(target, out -> {
            throw new IOException("No space left on device");
        }));
        assertEquals("cannot write " + target + ": No space left on device; nothing was written", e.getMessage());
        assertEquals(ExitStatus.OUTPUT_FAILED, e.exitStatus());
        assertEquals(List.of(), names(), "neither the target nor a temporary file");
    }

    @Test
    void successReplacesAndKeepsPermissions() throws Exception {
        Path target = dir.resolve("snap.json");
        Files.writeString(target, "old");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r-----"));
        AtomicFile.write(target, out -> out.write("new".getBytes(StandardCharsets.UTF_8)));
        assertEquals("new", Files.readString(target));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        assertEquals(List.of("snap.json"), names());

        Path fresh = dir.resolve("fresh.json");
        AtomicFile.write(fresh, out -> out.write('x'));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));
    }

    @Test
    void missingDirectoryIsBadInputNamingIt() {
        Path target = dir.resolve("no/such/dir/snap.json");
        BadInput e = assertThrows(BadInput.class, () -> AtomicFile.write(target, out -> out.write('x')));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    /** Core never prints: "-" (standard output) is the front end's to write, and no file named "-" appears. */
    @Test
    void dashIsLeftToTheFrontEnd() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> AtomicFile.write("-", out -> out.write('x')));
        assertEquals(List.of(), names());
    }

    @Test
    void aFifoIsWrittenInPlaceAndStaysAFifo() throws Exception {
        // Renaming a temporary file over a device or FIFO would destroy it (for /dev/null as root: the system's).
        Path fifo = dir.resolve("pipe");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, mk.waitFor());
        java.util.concurrent.CompletableFuture<String> read = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readString(fifo);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        AtomicFile.write(fifo, out -> out.write("{\"through\":\"the pipe\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("{\"through\":\"the pipe\"}", read.get(30, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(Files.readAttributes(fifo, java.nio.file.attribute.BasicFileAttributes.class,
                java.nio.file.LinkOption.NOFOLLOW_LINKS).isOther(), "still a FIFO, not a regular file");
        assertEquals(List.of("pipe"), names(), "no temporary file beside it");
    }

    @Test
    void aSymbolicLinkIsFollowedAndKept() throws Exception {
        Path real = dir.resolve("real.json");
        Files.writeString(real, "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), real.getFileName());
        AtomicFile.write(link, out -> out.write("new".getBytes(StandardCharsets.UTF_8)));
        assertTrue(Files.isSymbolicLink(link), "the link is still a link");
        assertEquals("new", Files.readString(real));
        assertEquals(List.of("link.json", "real.json"), names());
    }

    @Test
    void aDanglingSymbolicLinkIsOneClearError() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("dangling.json"), dir.resolve("missing/x.json"));
        BadInput e = assertThrows(BadInput.class, () -> AtomicFile.write(link, out -> out.write('x')));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
        assertTrue(Files.isSymbolicLink(link));
    }
}

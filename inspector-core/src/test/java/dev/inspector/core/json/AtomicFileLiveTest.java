package dev.inspector.core.json;

import dev.inspector.core.BadInput;
import dev.inspector.core.ExitStatus;
import dev.inspector.core.testing.LiveTest;
import dev.inspector.core.testing.Unprivileged;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link AtomicFile} against real processes: a writer killed with SIGKILL, owners alive and gone, this user's rights. */
@LiveTest
class AtomicFileLiveTest {

    @TempDir
    Path dir;

    List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    /**
     * A run killed outright (SIGKILL) cannot remove its temporary file; the next write of the same name removes every
     * one whose owner is gone, and nothing else: not a live run's, not another name's, not a file of another pattern.
     */
    @Test
    void temporaryFilesOfDeadRunsAreRemovedByTheNextWriteAndNothingElse() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        Process running = new ProcessBuilder("sleep", "30").start();
        try {
            List<String> stale = List.of(".snap.json.inspector-" + ended.pid() + "-123.tmp");
            List<String> kept = List.of(".snap.json.inspector-" + running.pid() + "-456.tmp",
                    ".other.json.inspector-" + ended.pid() + "-789.tmp", ".snap.json.4711.tmp", "snap.json.bak");
            for (String n : stale) {
                Files.writeString(dir.resolve(n), "half a snapshot");
            }
            for (String n : kept) {
                Files.writeString(dir.resolve(n), "not ours to remove");
            }
            AtomicFile.write(dir.resolve("snap.json"), out -> out.write('x'));
            List<String> expected = new java.util.ArrayList<>(kept);
            expected.add("snap.json");
            expected.sort(null);
            assertEquals(expected, names());
        } finally {
            running.destroyForcibly();
            running.waitFor();
        }
    }

    /** The real thing: a writer in another JVM, killed with SIGKILL in the middle of its write. */
    @Test
    void aWriterKilledMidWriteLeavesATemporaryFileTheNextWriteRemoves() throws Exception {
        Path target = dir.resolve("big.json");
        String java = ProcessHandle.current().info().command().orElseThrow();
        String cp = System.getProperty("java.class.path");
        Process p = new ProcessBuilder(java, "-XX:-UsePerfData", "-cp", cp, SlowWriter.class.getName(),
                target.toString()).redirectErrorStream(true).start();
        try {
            byte[] line = p.getInputStream().readNBytes(8);
            assertEquals("WRITING\n", new String(line, StandardCharsets.US_ASCII));
            p.destroyForcibly(); // SIGKILL: no shutdown hook runs
            p.waitFor();
        } finally {
            p.destroyForcibly();
        }
        List<String> left = names();
        assertEquals(1, left.size(), left.toString());
        assertTrue(left.get(0).startsWith(".big.json.inspector-" + p.pid() + "-") && left.get(0).endsWith(".tmp"),
                left.toString());
        AtomicFile.write(target, out -> out.write('x'));
        assertEquals(List.of("big.json"), names());
    }

    /** Run by the test above in a JVM of its own: writes part of a file atomically, says so, then waits to be killed. */
    public static final class SlowWriter {
        public static void main(String[] args) {
            AtomicFile.write(Path.of(args[0]), out -> {
                out.write(new byte[1 << 20]);
                out.flush();
                System.out.println("WRITING");
                System.out.flush();
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    /** A directory this user may not create files in (root may anywhere: run by the non-root lane). */
    @Test
    void anUnwritableDirectoryIsBadInputNotAccessDenied() throws Exception {
        Assumptions.assumeFalse(Unprivileged.root(),
                "root may create files in any directory");
        Path ro = Files.createDirectory(dir.resolve("ro"));
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            BadInput e = assertThrows(BadInput.class, () -> AtomicFile.write(ro.resolve("x.json"), out -> out.write('x')));
            assertEquals("cannot write " + ro.resolve("x.json") + ": no permission to create a file in " + ro
                    + "; choose another output path", e.getMessage());
            assertEquals(ExitStatus.BAD_INPUT, e.exitStatus());
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}

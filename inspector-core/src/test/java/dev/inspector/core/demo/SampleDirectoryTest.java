package dev.inspector.core.demo;

import dev.inspector.core.BadInput;
import dev.inspector.core.testing.LiveTest;
import dev.inspector.core.testing.Unprivileged;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@LiveTest
class SampleDirectoryTest {

    @Test
    void samplesAreFoundAboveAStartingDirectory(@TempDir Path tmp) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("native-samples/target/bin"));
        Path deep = Files.createDirectories(tmp.resolve("inspector-tui/target/classes"));
        assertEquals(Optional.of(bin), SampleDirectory.findAbove(deep));
        assertEquals(Optional.of(bin), SampleDirectory.findAbove(tmp));
        assertEquals(Optional.empty(), SampleDirectory.findAbove(tmp.getRoot()));
        assertEquals(Path.of("/given"), SampleDirectory.find(Path.of("/given")).orElseThrow().path());
    }

    @Test
    void theSystemPropertyComesBeforeTheSearch(@TempDir Path tmp) {
        String before = System.getProperty(SampleDirectory.DIR_PROPERTY);
        try {
            System.setProperty(SampleDirectory.DIR_PROPERTY, tmp.toString());
            assertEquals(tmp, SampleDirectory.find(null).orElseThrow().path());
            assertEquals(tmp, SampleDirectory.locate().path());
            System.setProperty(SampleDirectory.DIR_PROPERTY, tmp.resolve("missing").toString());
            BadInput e = assertThrows(BadInput.class, SampleDirectory::locate);
            assertTrue(e.getMessage().contains("mvn -pl native-samples compile"), e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(SampleDirectory.DIR_PROPERTY);
            } else {
                System.setProperty(SampleDirectory.DIR_PROPERTY, before);
            }
        }
    }

    @Test
    void aMissingOrNonExecutableProgramSaysHowToBuildIt(@TempDir Path tmp) throws Exception {
        SampleDirectory dir = SampleDirectory.at(tmp);
        BadInput e = assertThrows(BadInput.class, () -> dir.program("sparse_big"));
        assertTrue(e.getMessage().contains("'sparse_big'") && e.getMessage().contains("mvn -pl native-samples compile")
                && e.getMessage().contains("--samples DIR"), e.getMessage());
        // access(X_OK) fails without any x bit, for root too
        Files.writeString(tmp.resolve("typical"), "not executable");
        assertThrows(BadInput.class, () -> dir.program("typical"));
        assertThrows(BadInput.class, () -> dir.start("sparse_big"));
        assertThrows(BadInput.class, () -> dir.run(java.time.Duration.ofSeconds(1), "sparse_big"));
    }

    @Test
    void aCheckoutWithSourcesButNoBuildIsFoundAndBuildable(@TempDir Path tmp) throws Exception {
        Path src = copySources(tmp);
        Path bin = tmp.resolve("native-samples/target/bin");
        assertEquals(Optional.of(bin), SampleDirectory.findAbove(tmp.resolve("inspector-tui")));
        assertEquals(Optional.of(src), SampleDirectory.at(bin).sources());
        assertEquals(Optional.empty(), SampleDirectory.at(tmp).sources(), "not a checkout's target/bin");
        String before = System.getProperty(SampleDirectory.DIR_PROPERTY);
        try {
            System.setProperty(SampleDirectory.DIR_PROPERTY, bin.toString());
            assertEquals(bin, SampleDirectory.locate().path(), "buildable, so found although bin does not exist");
        } finally {
            System.setProperty(SampleDirectory.DIR_PROPERTY, before == null ? "" : before);
            if (before == null) {
                System.clearProperty(SampleDirectory.DIR_PROPERTY);
            }
        }
    }

    /** A temporary copy of the sources, nothing built: asking for a program builds them, and the program runs. */
    @Test
    void aMissingProgramIsBuiltFromTheSourcesOnFirstUse(@TempDir Path tmp) throws Exception {
        assumeTrue(onPath("gcc") && onPath("make"), "building the samples needs gcc and make");
        copySources(tmp);
        Path bin = tmp.resolve("native-samples/target/bin");
        SampleDirectory dir = SampleDirectory.at(bin);
        Path typical = dir.program("typical");
        assertEquals(bin.resolve("typical"), typical);
        assertTrue(Files.isExecutable(typical));
        ProgramRun run = dir.run(Duration.ofSeconds(30), "typical", "1");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.stdout().startsWith("@@STEP 1 ready pid=" + run.stdout().split("pid=")[1].split(" ")[0]
                + " threads=1 "), run.stdout());
        // make builds them all at once; nothing of the private build directory is left behind
        for (String p : List.of("many_vmas", "sparse_big", "pagemap_pread_ref", "pagemap_scan_ref")) {
            assertTrue(Files.isExecutable(bin.resolve(p)), p);
        }
        try (Stream<Path> s = Files.list(bin)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith(".build-")).toList());
        }
    }

    /** Two threads asking at once for a missing program: make runs once (counted by a make that logs and execs). */
    @Test
    void concurrentFirstUsesBuildOnce(@TempDir Path tmp) throws Exception {
        assumeTrue(onPath("gcc") && onPath("make"), "building the samples needs gcc and make");
        Path src = copySources(tmp);
        Path tools = Files.createDirectories(tmp.resolve("tools"));
        Path log = tmp.resolve("make.log");
        Path make = tools.resolve("make");
        Files.writeString(make, "#!/bin/sh\necho run >> '" + log + "'\nexec " + which("make") + " \"$@\"\n");
        Files.setPosixFilePermissions(make, PosixFilePermissions.fromString("rwxr-xr-x"));
        SampleDirectory dir = SampleDirectory.at(tmp.resolve("native-samples/target/bin"), src,
                tools + ":" + System.getenv("PATH"));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Path>> got = new ArrayList<>();
            for (String name : List.of("sparse_big", "typical")) {
                got.add(pool.submit((Callable<Path>) () -> dir.program(name)));
            }
            for (Future<Path> f : got) {
                assertTrue(Files.isExecutable(f.get()));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of("run"), Files.readAllLines(log));
    }

    /** gcc taken away through PATH (make still there): one line naming what to install, and nothing half-built. */
    @Test
    void withoutGccOneLineSaysWhatToInstall(@TempDir Path tmp) throws Exception {
        assumeTrue(onPath("make"), "the PATH below keeps make; it needs one to link to");
        Path src = copySources(tmp);
        Path tools = Files.createDirectories(tmp.resolve("tools"));
        Files.createSymbolicLink(tools.resolve("make"), Paths.get(which("make")));
        Path bin = tmp.resolve("native-samples/target/bin");
        BadInput e = assertThrows(BadInput.class, () -> SampleDirectory.at(bin, src, tools.toString())
                .program("typical"));
        assertEquals("the native samples are not built and gcc is not installed; to build them: apt-get install -y"
                + " gcc make", e.getMessage());
        BadInput both = assertThrows(BadInput.class, () -> SampleDirectory.at(bin, src, tmp.resolve("empty")
                .toString()).program("typical"));
        assertTrue(both.getMessage().contains("gcc and make are not installed"), both.getMessage());
        assertFalse(Files.exists(bin.resolve("typical")));
    }

    @Test
    void aCheckoutThisUserCannotWriteSaysSo(@TempDir Path tmp) throws Exception {
        assumeFalse(Unprivileged.root(), "root writes anywhere: the non-root lane runs this");
        assumeTrue(onPath("gcc") && onPath("make"), "the check for gcc and make comes first");
        copySources(tmp);
        Path target = Files.createDirectories(tmp.resolve("native-samples/target"));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            BadInput e = assertThrows(BadInput.class, () -> SampleDirectory.at(target.resolve("bin"))
                    .program("typical"));
            assertTrue(e.getMessage().startsWith("cannot build the native samples: " + target.resolve("bin")
                    + " is not writable by this user"), e.getMessage());
        } finally {
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /** The checkout's own sources, copied to {@code tmp/native-samples/src}. */
    private static Path copySources(Path tmp) throws IOException {
        Path from = SampleDirectory.locate().sources().orElseThrow(() -> new AssertionError(
                "the checkout's native-samples/src was not found from " + SampleDirectory.locate()));
        Path to = Files.createDirectories(tmp.resolve("native-samples/src"));
        try (Stream<Path> s = Files.list(from)) {
            for (Path f : (Iterable<Path>) s::iterator) {
                if (Files.isRegularFile(f) && !f.getFileName().toString().endsWith(".o")) {
                    Files.copy(f, to.resolve(f.getFileName()));
                }
            }
        }
        return to;
    }

    private static boolean onPath(String tool) {
        return !which(tool).isEmpty();
    }

    private static String which(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Paths.get(d, tool))) {
                return Paths.get(d, tool).toString();
            }
        }
        return "";
    }
}

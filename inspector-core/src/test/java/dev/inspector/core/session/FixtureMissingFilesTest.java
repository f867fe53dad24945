package dev.inspector.core.session;

import dev.inspector.core.InspectorException;
import dev.inspector.core.model.KernelRegion;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.procfs.HostFacts;
import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A captured tree without one of the files the snapshot reads, as from a kernel that lacks it: the fact becomes "not
 * known" (null, or a note saying why) and the rest of the snapshot stands; the files every kernel has are required,
 * and their absence is a typed error naming the file, never a crash.
 */
class FixtureMissingFilesTest {

    private static final String TREE = "tricky";

    @TempDir
    Path tmp;

    /** A copy of the tree (the exe link kept a link) without {@code relative}; returns the copy's proc root. */
    private Path without(String relative) throws IOException {
        Path from = Fixtures.dir(TREE);
        Path to = tmp.resolve(TREE);
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q, LinkOption.NOFOLLOW_LINKS, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        Path gone = to.resolve("proc").resolve(relative.replace("PID", Integer.toString(Fixtures.pid(TREE))));
        assertTrue(Files.deleteIfExists(gone), "the capture holds " + gone);
        return to.resolve("proc");
    }

    private Snapshot snapshotWithout(String relative) throws IOException {
        return Host.fixture(without(relative), "test").session(Fixtures.pid(TREE)).snapshot(Fixtures.OPTIONS);
    }

    private void check(String relative, Consumer<Snapshot> notKnown) throws IOException {
        Snapshot s = snapshotWithout(relative);
        assertEquals(Fixtures.snapshot(TREE).regions().size(), s.regions().size(), "the rest stands");
        notKnown.accept(s);
    }

    @Test
    void personality() throws IOException {
        check("PID/personality", s -> {
            assertNull(s.bases().personalityNoRandomize());
            // unknown stays unknown through the JSON document (a reader without ptrace access sees no personality)
            Snapshot back = dev.inspector.core.json.SnapshotJson.parse(dev.inspector.core.json.SnapshotJson.toJson(s),
                    "no personality");
            assertNull(back.bases().personalityNoRandomize());
        });
    }

    @Test
    void smapsRollup() throws IOException {
        check("PID/smaps_rollup", s -> assertNull(s.rollup()));
    }

    @Test
    void limits() throws IOException {
        check("PID/limits", s -> assertNotNull(s.process()));
    }

    @Test
    void exeLink() throws IOException {
        check("PID/exe", s -> {
            assertNull(s.process().exe());
            assertNull(s.bases().exeBase());
        });
    }

    @Test
    void syscallOfAThread() throws IOException {
        int pid = Fixtures.pid(TREE);
        check("PID/task/" + pid + "/syscall", s -> {
            var main = s.threads().stream().filter(t -> t.tid() == pid).findFirst().orElseThrow();
            assertNull(main.stackPointer());
            assertNull(main.programCounter());
            assertEquals(Fixtures.snapshot(TREE).threads().size(), s.threads().size());
        });
    }

    @Test
    void kallsyms() throws IOException {
        check("kallsyms", s -> {
            assertNull(s.kernel().kernelText());
            assertNull(s.kernel().kaslr(), "neither kallsyms nor a nokaslr parameter: not known");
            assertTrue(observed(s, "kernel text").contains("kallsyms"), observed(s, "kernel text"));
        });
    }

    @Test
    void iomem() throws IOException {
        check("iomem", s -> {
            assertTrue(s.kernel().ram().isEmpty());
            assertTrue(observed(s, "direct map").startsWith("System RAM not known"), observed(s, "direct map"));
        });
    }

    @Test
    void kernelCmdline() throws IOException {
        check("cmdline", s -> assertEquals(Fixtures.snapshot(TREE).kernel().kaslr(), s.kernel().kaslr(),
                "kallsyms alone decides KASLR"));
    }

    @Test
    void transparentHugepages() throws IOException {
        check("../sys/kernel/mm/transparent_hugepage/enabled", s -> assertNull(s.host().thpMode()));
    }

    @Test
    void loadAverage() throws IOException {
        assertEquals("? ? ?", new HostFacts(new ProcFs(without("loadavg"))).loadAverage());
    }

    /** Files every kernel the inspector supports has: without them there is no snapshot, only a typed error. */
    @ParameterizedTest
    @ValueSource(strings = {"PID/stat", "PID/status", "PID/smaps", "PID/cmdline", "sys/kernel/osrelease",
            "sys/kernel/randomize_va_space", "self/auxv", "cpuinfo"})
    void requiredFilesAreTypedErrors(String relative) throws IOException {
        InspectorException e = assertThrows(InspectorException.class, () -> snapshotWithout(relative));
        String name = relative.substring(relative.lastIndexOf('/') + 1);
        assertTrue(e.getMessage().contains(name), e.getMessage());
    }

    private static String observed(Snapshot s, String region) {
        return s.kernel().regions().stream().filter(r -> r.name().equals(region)).map(KernelRegion::observed)
                .findFirst().orElseThrow();
    }
}

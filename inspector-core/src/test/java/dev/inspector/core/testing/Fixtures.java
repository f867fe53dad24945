package dev.inspector.core.testing;

import dev.inspector.core.analysis.SnapshotOptions;
import dev.inspector.core.model.KernelLayout;
import dev.inspector.core.model.KernelRegion;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.session.Host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The captured /proc trees of {@code inspector-core/src/test/resources/fixtures} (see FIXTURES.md there), read in
 * place: the system property {@code inspector.fixtures.dir} (set by surefire in the parent pom), else that folder above
 * the working directory. For the parsers, the readers and deterministic snapshots that presenter golden tests render.
 */
public final class Fixtures {

    /** What a fixture snapshot reads: everything but page residency, which a captured tree cannot answer. */
    public static final SnapshotOptions OPTIONS =
            new SnapshotOptions(true, true, true, SnapshotOptions.Residency.NONE, false);

    /** The tool version fixture snapshots carry. */
    public static final String TOOL_VERSION = "test";

    private static final String IN_REPO = "inspector-core/src/test/resources/fixtures";

    private Fixtures() {
    }

    /** The folder holding every tree, FIXTURES.md and capture.sh. */
    public static Path home() {
        String prop = System.getProperty("inspector.fixtures.dir");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path p = d.resolve(IN_REPO);
            if (Files.isRegularFile(p.resolve("FIXTURES.md"))) {
                return p;
            }
        }
        throw new IllegalStateException("no " + IN_REPO + " above " + Path.of("").toAbsolutePath()
                + " (set -Dinspector.fixtures.dir)");
    }

    /** The captured trees, by name (each a folder with a {@code captured-at} file). */
    public static List<String> trees() {
        try (Stream<Path> s = Files.list(home())) {
            List<String> out = new ArrayList<>();
            s.filter(p -> Files.isRegularFile(p.resolve("captured-at"))).map(p -> p.getFileName().toString())
                    .sorted().forEach(out::add);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The folder of one tree: {@code proc/}, {@code sys/}, {@code captured-at}. */
    public static Path dir(String tree) {
        Path d = home().resolve(tree);
        if (!Files.isDirectory(d.resolve("proc"))) {
            throw new IllegalArgumentException("no fixture tree " + d);
        }
        return d;
    }

    /** The tree's proc root, for {@code new ProcFs(...)} and {@link Host#fixture}. */
    public static Path proc(String tree) {
        return dir(tree).resolve("proc");
    }

    /** The one captured pid of a tree (capture.sh stores a single process). */
    public static int pid(String tree) {
        try (Stream<Path> s = Files.list(proc(tree))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .mapToInt(Integer::parseInt).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no pid directory in fixture " + tree));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path pidDir(String tree) {
        return proc(tree).resolve(Integer.toString(pid(tree)));
    }

    /** When capture.sh copied the tree (its {@code captured-at} file, UTC). */
    public static Instant capturedAt(String tree) {
        try {
            return Instant.parse(Files.readString(dir(tree).resolve("captured-at")).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A host over the tree whose clock stands still at the capture's time. */
    public static Host host(String tree) {
        return Host.fixture(proc(tree), TOOL_VERSION, Clock.fixed(capturedAt(tree), ZoneOffset.UTC));
    }

    /**
     * The tree's process as {@link #OPTIONS} reads it, the same on every run and in every checkout: taken at the
     * capture's time, and with the notes that name a kernel file (iomem, modules, kallsyms) saying {@code /proc/...}
     * as on the captured machine instead of this checkout's path to the tree.
     */
    public static Snapshot snapshot(String tree) {
        Snapshot s = host(tree).session(pid(tree)).snapshot(OPTIONS);
        return new Snapshot(s.schemaVersion(), s.toolVersion(), s.takenAt(), s.host(), s.process(), s.regions(),
                s.threads(), s.bases(), asCaptured(s.kernel(), proc(tree).toString()), s.rollup());
    }

    private static KernelLayout asCaptured(KernelLayout k, String root) {
        if (k == null) {
            return null;
        }
        List<KernelRegion> regions = new ArrayList<>();
        for (KernelRegion r : k.regions()) {
            regions.add(new KernelRegion(r.name(), r.start(), r.end(), r.description(),
                    r.observed().replace(root, "/proc")));
        }
        return new KernelLayout(k.pagingLevels(), regions, k.kernelText(), k.kaslr(),
                k.kaslrEvidence() == null ? null : k.kaslrEvidence().replace(root, "/proc"), k.ram());
    }
}

package dev.inspector.cli.bench;

import dev.inspector.core.BadInput;
import dev.inspector.core.demo.SampleDirectory;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Where the benchmarks find the repository: the launcher, the jar and the built samples. */
final class BenchEnv {
    private BenchEnv() {
    }

    /** The repository root: three levels above inspector-tui/target/inspector.jar, or the working directory. */
    static Path repo() {
        try {
            Path jar = Paths.get(BenchEnv.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = jar; p != null; p = p.getParent()) {
                if (Files.isRegularFile(p.resolve("inspector")) && Files.isDirectory(p.resolve("native-samples"))) {
                    return p;
                }
            }
        } catch (URISyntaxException | SecurityException e) {
            // fall back below
        }
        return Paths.get("").toAbsolutePath();
    }

    static Path launcher() {
        return repo().resolve("inspector");
    }

    /** A program of the samples directory; a missing one is a usage error (exit 2), like a wrong --samples. */
    static Path program(SampleDirectory dir, String name) {
        try {
            return dir.program(name);
        } catch (BadInput e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}

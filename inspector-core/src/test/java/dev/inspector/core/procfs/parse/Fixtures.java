package dev.inspector.core.procfs.parse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Locates the captured fixture trees (surefire runs with the module directory as working directory). */
public final class Fixtures {

    private Fixtures() {
    }

    public static Path root(String name) {
        return Path.of("src/test/resources/fixtures", name, "proc").toAbsolutePath();
    }

    /** The one captured pid of a fixture (capture.sh stores a single process). */
    public static int pid(String name) {
        try (Stream<Path> s = Files.list(root(name))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .mapToInt(Integer::parseInt).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no pid directory in fixture " + name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path pidDir(String name) {
        return root(name).resolve(Integer.toString(pid(name)));
    }
}

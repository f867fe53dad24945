package dev.inspector.core.testing;

import dev.inspector.core.demo.ProgramRun;
import dev.inspector.core.demo.SampleDirectory;
import dev.inspector.core.demo.SampleProgram;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Shortcuts for live tests over {@link SampleDirectory#locate()} (the system property {@code inspector.samples.dir}
 * set by surefire in the parent pom, else {@code native-samples/target/bin} above the classes or the working
 * directory), plus small /proc helpers. The STEP protocol itself is {@link SampleProgram}'s; its typed errors fail a
 * test with their one-line message. Always use a {@link SampleProgram} in try-with-resources.
 */
public final class Samples {

    private Samples() {
    }

    /** Starts a sample in pause mode (it stops at every STEP, no hold). */
    public static SampleProgram start(String name, String... args) {
        return SampleDirectory.locate().start(name, args);
    }

    /** Starts a sample with environment overrides (a null value removes the variable); see SampleDirectory. */
    public static SampleProgram start(Map<String, String> env, String name, String... args) {
        return SampleDirectory.locate().start(env, name, args);
    }

    /** Runs a program of the samples directory to completion, stdin from /dev/null and SAMPLE_NOPAUSE=1. */
    public static ProgramRun run(Duration timeout, String name, String... args) {
        return SampleDirectory.locate().run(timeout, name, args);
    }

    /** The state letter of a process from /proc/PID/stat ('?' when it is gone). */
    public static char state(int pid) {
        return SampleProgram.state(pid);
    }

    /**
     * Reads a small proc file with one large read: Files.readString reads one byte first when the size is 0, and
     * /proc/sys files answer any read at a nonzero offset with EOF.
     */
    public static String readProcFile(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
        }
    }

    /** Environment overrides as a mutable map that may hold null (= remove the variable). */
    public static Map<String, String> env(String... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("env needs key, value pairs");
        }
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}

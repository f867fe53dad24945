package dev.inspector.core.demo;

import dev.inspector.core.BadInput;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The directory of the built native samples ({@code native-samples/target/bin}): where each program is, and the two
 * ways to run one, {@link #start} (a {@link SampleProgram} followed step by step) and {@link #run} (to completion).
 */
public final class SampleDirectory {

    /** The system property naming the directory (surefire sets it to the build's). */
    public static final String DIR_PROPERTY = "inspector.samples.dir";

    private static final String BUILD_HINT = "build the native samples with 'mvn -pl native-samples compile' (needs"
            + " gcc and make), or pass --samples DIR (-D" + DIR_PROPERTY + "=DIR)";

    private final Path path;

    private SampleDirectory(Path path) {
        this.path = path;
    }

    /** The samples in {@code dir}, as given: a missing directory shows when a program is asked for. */
    public static SampleDirectory at(Path dir) {
        return new SampleDirectory(dir);
    }

    /**
     * {@code explicit} when given, else the system property {@value #DIR_PROPERTY}, else {@code
     * native-samples/target/bin} in the first directory above the running jar (or classes directory), then above the
     * working directory, that has one. Empty when none is found.
     */
    public static Optional<SampleDirectory> find(Path explicit) {
        if (explicit != null) {
            return Optional.of(at(explicit));
        }
        String prop = System.getProperty(DIR_PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return Optional.of(at(Paths.get(prop)));
        }
        List<Path> starts = new ArrayList<>();
        try {
            starts.add(Paths.get(SampleDirectory.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (Exception e) {
            // no code source (e.g. a custom class loader): the working directory is still tried
        }
        starts.add(Paths.get("").toAbsolutePath());
        for (Path start : starts) {
            Optional<Path> found = findAbove(start);
            if (found.isPresent()) {
                return Optional.of(at(found.get()));
            }
        }
        return Optional.empty();
    }

    /** {@link #find} without an explicit directory: an existing directory, or {@link BadInput} saying how to build. */
    public static SampleDirectory locate() {
        SampleDirectory d = find(null).orElseThrow(() -> new BadInput("native samples not found (no"
                + " native-samples/target/bin above the jar or the working directory): " + BUILD_HINT));
        if (!Files.isDirectory(d.path)) {
            throw new BadInput("native samples not found: " + d.path + " is not a directory; " + BUILD_HINT);
        }
        return d;
    }

    /** {@code native-samples/target/bin} in {@code start} or the nearest directory above it that has one. */
    static Optional<Path> findAbove(Path start) {
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            Path bin = p.resolve("native-samples").resolve("target").resolve("bin");
            if (Files.isDirectory(bin)) {
                return Optional.of(bin);
            }
        }
        return Optional.empty();
    }

    public Path path() {
        return path;
    }

    /** The executable {@code name}, or {@link BadInput} saying how to build it. */
    public Path program(String name) {
        Path p = path.resolve(name);
        if (!Files.isExecutable(p)) {
            throw new BadInput("no executable '" + name + "' in " + path + ": " + BUILD_HINT);
        }
        return p;
    }

    /**
     * Why {@code name} cannot run here, from the marker files the build leaves beside a program it could not build
     * ({@code NAME.missing}: no toolchain) or built but saw refused by this kernel ({@code NAME.noexec}); empty when
     * neither exists. The first line of the marker says what is missing and how to get it.
     */
    public Optional<String> unavailable(String name) {
        for (String suffix : List.of(".missing", ".noexec")) {
            Path marker = path.resolve(name + suffix);
            if (Files.isRegularFile(marker)) {
                try {
                    String text = Files.readString(marker).strip();
                    int nl = text.indexOf('\n');
                    return Optional.of(nl < 0 ? text : text.substring(0, nl));
                } catch (java.io.IOException e) {
                    return Optional.of(marker + " exists but cannot be read: " + e.getMessage());
                }
            }
        }
        return Optional.empty();
    }

    /** Starts a sample in pause mode: it stops (SIGSTOP) after each STEP line, and does not hold. */
    public SampleProgram start(String name, String... args) {
        return start(Map.of(), name, args);
    }

    /**
     * Starts a sample with environment overrides on top of this process's environment without SAMPLE_NOPAUSE and
     * SAMPLE_HOLD; a null value removes a variable. {@code SAMPLE_NOPAUSE=1}: no stops, so
     * {@link SampleProgram#awaitStep} does not wait for one; {@code SAMPLE_HOLD=1}: the sample blocks after its
     * "ready" step until {@link SampleProgram#releaseHold()} or {@link SampleProgram#close()}.
     */
    public SampleProgram start(Map<String, String> env, String name, String... args) {
        return SampleProgram.start(name, command(name, args), env);
    }

    /** Runs {@code name} to completion with stdin from /dev/null and no pauses; see {@link ProgramRun}. */
    public ProgramRun run(Duration timeout, String name, String... args) {
        return ProgramRun.run(command(name, args), timeout);
    }

    private List<String> command(String name, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(program(name).toString());
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

    @Override
    public String toString() {
        return path.toString();
    }
}

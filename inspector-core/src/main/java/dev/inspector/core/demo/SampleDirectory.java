package dev.inspector.core.demo;

import dev.inspector.core.BadInput;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The directory of the built native samples ({@code native-samples/target/bin}): where each program is, and the two
 * ways to run one, {@link #start} (a {@link SampleProgram} followed step by step) and {@link #run} (to completion).
 *
 * <p>When that directory is the standard one of a checkout ({@code native-samples/target/bin} beside
 * {@code native-samples/src/Makefile}), a missing program is built on demand: the first caller runs {@code make} once
 * under a lock (a file lock across processes, a monitor across threads) into a private directory, and moves each
 * program into place with an atomic rename, so a concurrent caller never runs half a binary. So the build needs no
 * gcc until a demo or a test first needs a sample.
 */
public final class SampleDirectory {

    /** The system property naming the directory (surefire sets it to the build's). */
    public static final String DIR_PROPERTY = "inspector.samples.dir";

    private static final String BUILD_HINT = "build the native samples with 'mvn -pl native-samples compile' (needs"
            + " gcc and make), or pass --samples DIR (-D" + DIR_PROPERTY + "=DIR)";

    /** What a machine without a C toolchain needs, said in every message about it. */
    static final String INSTALL_HINT = "apt-get install -y gcc make";

    /** Serialises the builds of this JVM: a FileLock is held by the process, so threads need their own exclusion. */
    private static final Object BUILD_MONITOR = new Object();

    /** Compiling the five programs takes a second or two; this bounds a hung compiler. */
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(5);

    private final Path path;
    /** {@code native-samples/src} when the programs can be built on demand, else null. */
    private final Path sources;
    /** Where gcc and make are looked up (the PATH given to make); a parameter so a test can take them away. */
    private final String searchPath;

    private SampleDirectory(Path path, Path sources, String searchPath) {
        this.path = path;
        this.sources = sources;
        this.searchPath = searchPath;
    }

    /**
     * The samples in {@code dir}, as given: a missing directory shows when a program is asked for. When {@code dir} is
     * a checkout's {@code native-samples/target/bin}, missing programs are built from {@code native-samples/src}.
     */
    public static SampleDirectory at(Path dir) {
        return new SampleDirectory(dir, sourcesOf(dir).orElse(null), System.getenv().getOrDefault("PATH",
                "/usr/local/bin:/usr/bin:/bin"));
    }

    /** Samples in {@code dir} built on demand from {@code sources}, with gcc and make looked up in {@code path}. */
    static SampleDirectory at(Path dir, Path sources, String searchPath) {
        return new SampleDirectory(dir, sources, searchPath);
    }

    /** {@code native-samples/src} for {@code native-samples/target/bin}, when it holds the samples' Makefile. */
    static Optional<Path> sourcesOf(Path bin) {
        Path abs = bin.toAbsolutePath().normalize();
        Path target = abs.getParent();
        if (abs.getFileName() == null || !abs.getFileName().toString().equals("bin") || target == null
                || target.getFileName() == null || !target.getFileName().toString().equals("target")
                || target.getParent() == null) {
            return Optional.empty();
        }
        Path src = target.getParent().resolve("src");
        return Files.isRegularFile(src.resolve("Makefile")) ? Optional.of(src) : Optional.empty();
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

    /**
     * {@link #find} without an explicit directory: an existing directory or one whose programs can be built, or
     * {@link BadInput} saying how to build them.
     */
    public static SampleDirectory locate() {
        SampleDirectory d = find(null).orElseThrow(() -> new BadInput("native samples not found (no"
                + " native-samples/target/bin above the jar or the working directory): " + BUILD_HINT));
        if (!Files.isDirectory(d.path) && d.sources == null) {
            throw new BadInput("native samples not found: " + d.path + " is not a directory; " + BUILD_HINT);
        }
        return d;
    }

    /**
     * {@code native-samples/target/bin} in {@code start} or the nearest directory above it that has one, or that has
     * the samples' sources ({@code native-samples/src/Makefile}) to build it from.
     */
    static Optional<Path> findAbove(Path start) {
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            Path samples = p.resolve("native-samples");
            Path bin = samples.resolve("target").resolve("bin");
            if (Files.isDirectory(bin) || Files.isRegularFile(samples.resolve("src").resolve("Makefile"))) {
                return Optional.of(bin);
            }
        }
        return Optional.empty();
    }

    public Path path() {
        return path;
    }

    /** The sources the programs are built from on demand; empty when this directory is not a checkout's. */
    public Optional<Path> sources() {
        return Optional.ofNullable(sources);
    }

    /**
     * The executable {@code name}, built first when it is missing and the sources are known (see the class comment);
     * {@link BadInput} saying how to build it, or what to install, when it cannot be had.
     */
    public Path program(String name) {
        Path p = path.resolve(name);
        if (!Files.isExecutable(p) && sources != null && Files.isRegularFile(sources.resolve(name + ".c"))) {
            build(name);
        }
        if (!Files.isExecutable(p)) {
            throw new BadInput("no executable '" + name + "' in " + path + ": " + BUILD_HINT);
        }
        return p;
    }

    /** True when {@code name} is built (an executable in the directory); never builds it. */
    public boolean isBuilt(String name) {
        return Files.isExecutable(path.resolve(name));
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

    /** Builds every program with make, once, unless another thread or process did while we waited for the lock. */
    private void build(String wanted) {
        List<String> missing = new ArrayList<>();
        for (String tool : List.of("gcc", "make")) {
            if (onSearchPath(tool).isEmpty()) {
                missing.add(tool);
            }
        }
        if (!missing.isEmpty()) {
            throw new BadInput("the native samples are not built and " + String.join(" and ", missing)
                    + (missing.size() == 1 ? " is" : " are") + " not installed; to build them: " + INSTALL_HINT);
        }
        synchronized (BUILD_MONITOR) {
            try {
                Files.createDirectories(path);
                try (FileChannel lockFile = FileChannel.open(path.resolve(".build.lock"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
                    if (Files.isExecutable(path.resolve(wanted))) {
                        return; // built by another process while we waited
                    }
                    Path out = Files.createTempDirectory(path, ".build-");
                    try {
                        make(out);
                        try (Stream<Path> built = Files.list(out)) {
                            for (Path b : (Iterable<Path>) built::iterator) {
                                Files.move(b, path.resolve(b.getFileName().toString()),
                                        StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                            }
                        }
                    } finally {
                        deleteTree(out);
                    }
                }
            } catch (AccessDeniedException e) {
                throw new BadInput("cannot build the native samples: " + e.getFile() + " is not writable by this user;"
                        + " build them as the owner of the checkout ('mvn -pl native-samples compile') or pass"
                        + " --samples DIR", e);
            } catch (IOException e) {
                throw new BadInput("cannot build the native samples in " + path + ": " + e, e);
            }
        }
    }

    private void make(Path out) throws IOException {
        // By its full path: ProcessBuilder looks a bare name up in this JVM's PATH, not in the one given to make.
        List<String> cmd = List.of(onSearchPath("make").orElseThrow().toString(), "-s", "-C", sources.toString(),
                "OUT=" + out);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("PATH", searchPath);
        StringBuffer output = new StringBuffer();
        Process p = pb.redirectErrorStream(true).start();
        Thread drain = Children.daemon("make-output", () -> Children.drain(p.getInputStream(), output));
        try {
            if (!p.waitFor(BUILD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new BadInput(String.join(" ", cmd) + " did not finish within "
                        + Children.seconds(BUILD_TIMEOUT) + ": " + Children.tail(output.toString()));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new BadInput("interrupted while building the native samples", e);
        }
        Children.join(drain, 1000);
        if (p.exitValue() != 0) {
            throw new BadInput("building the native samples failed (" + String.join(" ", cmd) + ": exit "
                    + p.exitValue() + "): " + Children.tail(output.toString()));
        }
    }

    private Optional<Path> onSearchPath(String tool) {
        for (String dir : searchPath.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Paths.get(dir, tool))) {
                return Optional.of(Paths.get(dir, tool));
            }
        }
        return Optional.empty();
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a leftover hidden .build-* directory costs a few kilobytes; the build itself succeeded or said why not
        }
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

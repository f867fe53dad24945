package dev.inspector.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.sun.jna.Native;
import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.testing.Unprivileged;
import picocli.CommandLine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the real CLI as an ordinary user in a child JVM, against a target that user owns too: the only honest way to
 * see what an unprivileged user sees, since a root JVM is never refused. As root the child and the target run as
 * uid/gid 65534 (nobody) through setpriv; in a JVM that is already an ordinary user (the non-root test lane) they run
 * as that user ({@link Unprivileged}). The classpath (our classes and the dependency jars, which may live under
 * /root/.m2 where nobody cannot read) is copied once into a world-readable temporary directory.
 */
final class Nobody {

    private static Path classpathCopy;

    private Nobody() {
    }

    record Run(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    /** A {@code sleep} owned by nobody; killed on close. */
    static final class Target implements AutoCloseable {
        private final Process process;

        Target(Process process) {
            this.process = process;
        }

        long pid() {
            return process.pid();
        }

        @Override
        public void close() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static boolean available() {
        return Unprivileged.prefix().isPresent();
    }

    /** Why {@link #available()} is false, for a JUnit assumption. */
    static String whyNot() {
        return Unprivileged.whyNot();
    }

    private static List<String> asNobody(String... cmd) {
        return Unprivileged.command(cmd);
    }

    /** Starts {@code sleep 120} as nobody and waits until it runs sleep (not setpriv) under its pid. */
    static Target sleep() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(asNobody("sleep", "120")).redirectErrorStream(true).start();
        Path comm = Paths.get("/proc", Long.toString(p.pid()), "comm");
        for (int i = 0; i < 500; i++) {
            if (Files.exists(comm) && "sleep".equals(Files.readString(comm).trim())) {
                return new Target(p);
            }
            Thread.sleep(10);
        }
        p.destroyForcibly();
        throw new AssertionError("setpriv sleep did not start as 'sleep'");
    }

    /**
     * Starts {@code dev.inspector.cli.Main args...} as nobody and returns it running (a long-running command such as
     * the exporter); the caller reads its streams and ends it.
     */
    static Process startCli(String... args) throws IOException {
        return new ProcessBuilder(asNobody(javaCommand(args).toArray(new String[0]))).start();
    }

    private static List<String> javaCommand(String... args) throws IOException {
        return javaCommand(Main.class.getName(), args);
    }

    private static List<String> javaCommand(String main, String... args) throws IOException {
        Path cp = classpath();
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:-UsePerfData", "-Djna.tmpdir=" + cp.resolve("jna"),
                "-cp", classpathString(cp), main));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Runs {@code dev.inspector.cli.Main args...} as nobody. */
    static Run cli(String... args) throws IOException, InterruptedException {
        return java(Main.class.getName(), args);
    }

    /** Runs the main class {@code main} (test classes included: see {@link #classpath}) as nobody. */
    static Run java(String main, String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(asNobody(javaCommand(main, args).toArray(new String[0])));
        pb.environment().put("HOME", classpath().toString());
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the CLI as nobody did not finish");
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8),
                new String(err, StandardCharsets.UTF_8));
    }

    private static String classpathString(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return String.join(":", s.filter(x -> !x.getFileName().toString().equals("jna")).map(Path::toString)
                    .sorted().toList());
        }
    }

    /** Our classes and every dependency, located by a class each holds, copied where nobody can read them. */
    private static synchronized Path classpath() throws IOException {
        if (classpathCopy != null) {
            return classpathCopy;
        }
        Set<Path> sources = new LinkedHashSet<>();
        for (Class<?> c : new Class<?>[] {Main.class, Nobody.class, ProcFs.class, CommandLine.class, Native.class,
            com.sun.jna.platform.linux.ErrNo.class, ObjectMapper.class, JsonFactory.class, JsonProperty.class}) {
            try {
                sources.add(Paths.get(c.getProtectionDomain().getCodeSource().getLocation().toURI()));
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        // The Prometheus client's jars (the exporter), whatever their number: every one on the test classpath.
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (Paths.get(entry).getFileName().toString().startsWith("prometheus-metrics-")) {
                sources.add(Paths.get(entry));
            }
        }
        Path dir = Files.createTempDirectory("inspector-nobody-cp");
        dir.toFile().deleteOnExit();
        int i = 0;
        for (Path src : sources) {
            Path dst = dir.resolve(String.format("%02d-%s", i++, src.getFileName()));
            copy(src, dst);
        }
        Files.createDirectory(dir.resolve("jna"));
        Files.setPosixFilePermissions(dir.resolve("jna"), PosixFilePermissions.fromString("rwxrwxrwx"));
        openUp(dir);
        classpathCopy = dir;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
        return dir;
    }

    private static void copy(Path src, Path dst) throws IOException {
        if (!Files.isDirectory(src)) {
            Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        try (Stream<Path> s = Files.walk(src)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void openUp(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.getFileName() != null && p.getFileName().toString().equals("jna")) {
                    continue;
                }
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x"
                        : "rw-r--r--"));
            }
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort at exit; the directory lives under /tmp
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // best effort at exit
        }
    }
}

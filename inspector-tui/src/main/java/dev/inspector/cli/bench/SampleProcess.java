package dev.inspector.cli.bench;

import dev.inspector.core.ProcessGone;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A native sample (native-samples/src) run as a benchmark target, and the sample directory's other programs (the C
 * reference readers) run to completion. Speaks the STEP protocol of native-samples/README.md: wait for the
 * {@code @@STEP <n> <name> pid=<pid> key=value...} line on stdout, then until every thread reads state {@code T}. The
 * target stays stopped while it is measured, so its page tables cannot change between rounds; {@link #close()}
 * always terminates it (SIGTERM, SIGCONT so a stopped sample handles it and cleans up, SIGKILL after 5 s).
 */
public final class SampleProcess implements AutoCloseable {

    /** Where {@link #locate} looks when {@code --samples} is not given. */
    public static final String DIR_PROPERTY = "inspector.samples.dir";

    private static final String EOF = new String("<eof>");

    private final String name;
    private final Process process;
    private final int pid;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuffer stderr = new StringBuffer();
    private final Thread reaper;
    private boolean closed;

    private SampleProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.pid = (int) process.pid();
        // Ctrl-C during a benchmark must not leave a stopped multi-GiB sample behind; SIGKILL works on stopped ones.
        this.reaper = new Thread(process::destroyForcibly, name + "-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        daemon(name + "-stdout", () -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    lines.add(l);
                }
            } catch (IOException e) {
                stderr.append("[reading stdout failed: ").append(e.getMessage()).append("]");
            } finally {
                lines.add(EOF);
            }
        });
        daemon(name + "-stderr", () -> drain(process.getErrorStream(), stderr));
    }

    /**
     * The directory of the built samples: {@code explicit} when given, else the system property
     * {@value #DIR_PROPERTY}, else {@code native-samples/target/bin} in the first directory above the running jar (or
     * classes directory), then above the working directory, that has one. Empty when none is found.
     */
    public static Optional<Path> locate(Path explicit) {
        if (explicit != null) {
            return Optional.of(explicit);
        }
        String prop = System.getProperty(DIR_PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return Optional.of(Paths.get(prop));
        }
        List<Path> starts = new ArrayList<>();
        try {
            starts.add(Paths.get(SampleProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (Exception e) {
            // no code source (e.g. a custom class loader): the working directory is still tried
        }
        starts.add(Paths.get("").toAbsolutePath());
        for (Path start : starts) {
            Optional<Path> found = findAbove(start);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
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

    /** The executable {@code name} in {@code dir}, or an IllegalArgumentException saying how to build it. */
    public static Path program(Path dir, String name) {
        Path p = dir.resolve(name);
        if (!Files.isExecutable(p)) {
            throw new IllegalArgumentException("no executable '" + name + "' in " + dir + ": build the native samples "
                    + "with 'mvn -pl native-samples compile' (needs gcc and make) or pass --samples DIR");
        }
        return p;
    }

    /** Starts a sample in pause mode: it stops (SIGSTOP) after each STEP line. */
    public static SampleProcess start(Path dir, String name, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(program(dir, name).toString());
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("SAMPLE_NOPAUSE");
        pb.environment().remove("SAMPLE_HOLD");
        try {
            return new SampleProcess(name, pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + cmd + ": " + e.getMessage(), e);
        }
    }

    public int pid() {
        return pid;
    }

    /**
     * Waits for the next STEP line, which must be named {@code stepName}, and until every thread of the sample is
     * stopped; returns its {@code key=value} fields (with {@code pid}).
     */
    public Map<String, String> awaitStep(String stepName, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String l;
            try {
                l = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name + " to reach '" + stepName
                        + "'");
            }
            if (l == null) {
                throw new IllegalStateException(name + " (pid " + pid + ") did not reach step '" + stepName + "' in "
                        + timeout.toSeconds() + " s; stderr: " + stderr.toString().strip());
            }
            if (l == EOF) {
                String status = waitBriefly() ? "exited with status " + process.exitValue() : "closed its stdout";
                throw new ProcessGone(pid, name + " " + status + " before step '" + stepName + "': "
                        + stderr.toString().strip());
            }
            Optional<Step> s = Step.parse(l);
            if (s.isEmpty()) {
                continue;
            }
            if (!s.get().name().equals(stepName)) {
                throw new IllegalStateException(name + " announced step '" + s.get().name() + "', expected '"
                        + stepName + "': " + l);
            }
            awaitStopped(deadline);
            return s.get().fields();
        }
    }

    private boolean waitBriefly() {
        try {
            return process.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void awaitStopped(long deadline) {
        while (!allThreadsStopped(pid)) {
            if (!process.isAlive()) {
                throw new ProcessGone(pid, name + " exited instead of stopping: " + stderr.toString().strip());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(name + " (pid " + pid + ") did not stop in time");
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name + " to stop");
            }
        }
    }

    /** One parsed {@code @@STEP <n> <name> pid=<pid> key=value ...} line. */
    public record Step(int number, String name, Map<String, String> fields) {

        /** The step of a stdout line, or empty when the line is not a STEP line. */
        public static Optional<Step> parse(String line) {
            if (!line.startsWith("@@STEP ")) {
                return Optional.empty();
            }
            String[] t = line.split(" ");
            if (t.length < 4 || !t[3].startsWith("pid=")) {
                throw new IllegalStateException("malformed STEP line: '" + line + "'");
            }
            try {
                return Optional.of(new Step(Integer.parseInt(t[1]), t[2], SampleProcess.fields(t, 3)));
            } catch (NumberFormatException e) {
                throw new IllegalStateException("malformed STEP line: '" + line + "'", e);
            }
        }
    }

    /** {@code key=value} tokens from {@code from} on; an empty token is skipped, a token without '=' is an error. */
    static Map<String, String> fields(String[] tokens, int from) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = from; i < tokens.length; i++) {
            if (tokens[i].isEmpty()) {
                continue;
            }
            int eq = tokens[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalStateException("'" + tokens[i] + "' is not key=value in '"
                        + String.join(" ", tokens) + "'");
            }
            out.put(tokens[i].substring(0, eq), tokens[i].substring(eq + 1));
        }
        return out;
    }

    /** The exit status, output and wall time (fork/exec to exit, in ns) of a program run to completion. */
    public record Run(List<String> command, int status, String stdout, String stderr, long wallNs) {
        /** The {@code key=value} fields of the first stdout line. */
        public Map<String, String> fields() {
            String first = stdout.lines().findFirst().orElse("");
            return SampleProcess.fields(first.split(" "), 0);
        }
    }

    /** Runs {@code name} from {@code dir} with stdin from /dev/null and no pauses, waiting up to {@code timeout}. */
    public static Run run(Path dir, Duration timeout, String name, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(program(dir, name).toString());
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("SAMPLE_NOPAUSE", "1");
        StringBuffer out = new StringBuffer();
        StringBuffer err = new StringBuffer();
        long t0 = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + cmd + ": " + e.getMessage(), e);
        }
        Thread to = daemon("run-stdout", () -> drain(p.getInputStream(), out));
        Thread te = daemon("run-stderr", () -> drain(p.getErrorStream(), err));
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " did not finish within "
                        + timeout.toSeconds() + " s");
            }
            long wall = System.nanoTime() - t0;
            to.join(5000);
            te.join(5000);
            return new Run(List.copyOf(cmd), p.exitValue(), out.toString(), err.toString(), wall);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + cmd);
        }
    }

    /** SIGTERM, then SIGCONT (a stopped sample handles SIGTERM only once continued), SIGKILL after 5 s. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (process.isAlive()) {
                process.destroy();
                sigcont(pid);
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
            try {
                process.getOutputStream().close();
            } catch (IOException ignored) {
                // the pipe went away with the process
            }
        }
    }

    /** Java cannot send SIGCONT itself: kill(1) does. A failure here is covered by the SIGKILL that follows. */
    private static void sigcont(int target) {
        String kill = Files.isExecutable(Paths.get("/bin/kill")) ? "/bin/kill" : "/usr/bin/kill";
        try {
            Process k = new ProcessBuilder(kill, "-CONT", Integer.toString(target))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            k.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no kill(1): close() falls back to SIGKILL after its timeout
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean allThreadsStopped(int pid) {
        Path task = Paths.get("/proc", Integer.toString(pid), "task");
        boolean any = false;
        try (DirectoryStream<Path> tids = Files.newDirectoryStream(task)) {
            for (Path t : tids) {
                char st = state(t.resolve("stat"));
                if (st != 'T' && st != '?') {
                    return false;
                }
                any |= st == 'T';
            }
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
        return any;
    }

    /** The state letter of a stat file; it follows the last ')' because the command name may contain ") ". */
    static char state(Path stat) {
        String text;
        try (InputStream in = Files.newInputStream(stat)) {
            text = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return '?';
        }
        int close = text.lastIndexOf(')');
        return close < 0 || close + 2 >= text.length() ? '?' : text.charAt(close + 2);
    }

    private static void drain(InputStream in, StringBuffer into) {
        byte[] buf = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buf)) > 0; ) {
                into.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            into.append("[read failed: ").append(e.getMessage()).append("]");
        }
    }

    private static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}

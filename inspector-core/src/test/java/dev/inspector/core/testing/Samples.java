package dev.inspector.core.testing;

import java.io.BufferedReader;
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
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Locates and launches the native sample programs (native-samples/src) for live tests and speaks their STEP protocol
 * (native-samples/README.md): read stdout, wait for an {@code @@STEP} line by name, wait until every thread of the
 * sample is stopped ('T'), let the test look at it, then {@link Sample#cont()}.
 *
 * <p>The directory comes from the system property {@code inspector.samples.dir} (set by surefire in the parent pom),
 * else {@code <repo>/native-samples/target/bin} found by walking up from the working directory.
 *
 * <p>Failures are {@link AssertionError}s whose message carries the sample's stdout and stderr. Always use a
 * {@link Sample} in try-with-resources: {@link Sample#close()} terminates a stopped sample too (SIGTERM, SIGCONT, then
 * SIGKILL), and a shutdown hook kills what a crashed test left behind.
 */
public final class Samples {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    public static final String DIR_PROPERTY = "inspector.samples.dir";

    private static final Set<Sample> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Sample s : LIVE) {
                s.process.destroyForcibly();
            }
        }, "samples-reaper"));
    }

    private Samples() {
    }

    /** The directory holding the built samples; fails with a hint when it does not exist. */
    public static Path dir() {
        String prop = System.getProperty(DIR_PROPERTY);
        Path dir;
        if (prop != null && !prop.isBlank()) {
            dir = Paths.get(prop);
        } else {
            dir = findRepoRoot().resolve("native-samples").resolve("target").resolve("bin");
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("native samples not built: " + dir + " is missing; build them with "
                    + "'mvn -pl native-samples compile' (needs gcc and make)");
        }
        return dir;
    }

    /** The executable of one sample, e.g. {@code path("many_vmas")}. */
    public static Path path(String name) {
        Path p = dir().resolve(name);
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException("no executable sample '" + name + "' in " + p.getParent()
                    + "; rebuild with 'mvn -pl native-samples compile'");
        }
        return p;
    }

    /** Starts a sample in pause mode (it stops at every STEP) with the inherited environment. */
    public static Sample start(String name, String... args) {
        return start(Map.of(), name, args);
    }

    /**
     * Starts a sample with environment overrides; a null value removes the variable. {@code SAMPLE_NOPAUSE=1} makes
     * {@link Sample#awaitStep} return without waiting for a stop; {@code SAMPLE_HOLD=1} keeps the sample alive after
     * its "ready" step until {@link Sample#releaseHold()} or {@link Sample#close()}.
     */
    public static Sample start(Map<String, String> env, String name, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(path(name).toString());
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (e.getValue() == null) {
                pb.environment().remove(e.getKey());
            } else {
                pb.environment().put(e.getKey(), e.getValue());
            }
        }
        boolean pauses = !"1".equals(pb.environment().get("SAMPLE_NOPAUSE"));
        try {
            return new Sample(name, cmd, pb.start(), pauses);
        } catch (IOException e) {
            throw new UncheckedIOException("starting sample " + cmd + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs a program from the samples directory to completion (e.g. a reference reader) with stdin from /dev/null
     * and SAMPLE_NOPAUSE=1, and returns its exit code and output.
     */
    public static Result run(Duration timeout, String name, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(path(name).toString());
        cmd.addAll(Arrays.asList(args));
        return exec(cmd, timeout);
    }

    /** The exit code and output of a finished program. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {

        /** The {@code key=value} pairs of the first stdout line. */
        public Map<String, String> fields() {
            String first = stdout.lines().findFirst().orElse("");
            return parseFields(first.split(" "), 0, String.join(" ", command) + " printed '" + first + "'");
        }

        /** A numeric field of the first stdout line. */
        public long number(String key) {
            String v = fields().get(key);
            if (v == null) {
                throw new AssertionError("no '" + key + "=' in the output of " + this);
            }
            return Long.parseLong(v);
        }

        @Override
        public String toString() {
            return String.join(" ", command) + " (exit " + exitCode + ")\nstdout: " + stdout + "\nstderr: " + stderr;
        }
    }

    /** An address range [lo, hi) from a {@code range.*} key; unsigned. */
    public record Range(long lo, long hi) {

        public boolean contains(long addr) {
            return Long.compareUnsigned(addr, lo) >= 0 && Long.compareUnsigned(addr, hi) < 0;
        }

        public long size() {
            return hi - lo;
        }

        /** As the reference readers take it: {@code 0xLO-0xHI}. */
        public String toArg() {
            return "0x" + Long.toHexString(lo) + "-0x" + Long.toHexString(hi);
        }
    }

    /** One parsed {@code @@STEP <n> <name> pid=<pid> key=value...} line. */
    public record Step(int number, String name, int pid, Map<String, String> values, String line) {

        public static Step parse(String line) {
            String[] t = line.split(" ");
            if (t.length < 4 || !t[0].equals("@@STEP") || !t[3].startsWith("pid=")) {
                throw new AssertionError("not a STEP line: '" + line + "'");
            }
            try {
                Map<String, String> values = parseFields(t, 4, line);
                return new Step(Integer.parseInt(t[1]), t[2], Integer.parseInt(t[3].substring(4)),
                        Collections.unmodifiableMap(values), line);
            } catch (NumberFormatException e) {
                throw new AssertionError("bad number in STEP line '" + line + "': " + e.getMessage(), e);
            }
        }

        public boolean has(String key) {
            return values.containsKey(key);
        }

        public String value(String key) {
            String v = values.get(key);
            if (v == null) {
                throw new AssertionError("step '" + name + "' has no key '" + key + "': " + line);
            }
            return v;
        }

        /** A decimal informational value, e.g. {@code count}. */
        public long number(String key) {
            return Long.parseLong(value(key));
        }

        /** {@code addr.<label>} as an unsigned address. */
        public long addr(String label) {
            return parseHex(value("addr." + label), line);
        }

        /** {@code range.<label>} as [lo, hi). */
        public Range range(String label) {
            String v = value("range." + label);
            int dash = v.indexOf('-');
            if (dash < 0) {
                throw new AssertionError("range." + label + " is not LO-HI: " + line);
            }
            return new Range(parseHex(v.substring(0, dash), line), parseHex(v.substring(dash + 1), line));
        }
    }

    /** A running sample. Not thread-safe: drive it from one test thread. */
    public static final class Sample implements AutoCloseable {

        private static final String EOF = new String("<eof>");

        private final String name;
        private final List<String> command;
        private final Process process;
        private final boolean pauses;
        private final int pid;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final List<String> stdout = Collections.synchronizedList(new ArrayList<>());
        private final StringBuffer stderr = new StringBuffer();
        private final Thread outReader;
        private final Thread errReader;
        private boolean closed;
        private int lastStepPid;

        private Sample(String name, List<String> command, Process process, boolean pauses) {
            this.name = name;
            this.command = command;
            this.process = process;
            this.pauses = pauses;
            this.pid = (int) process.pid();
            this.lastStepPid = pid;
            LIVE.add(this);
            outReader = daemon(name + "-stdout", () -> {
                try (BufferedReader r = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) {
                        stdout.add(l);
                        lines.add(l);
                    }
                } catch (IOException e) {
                    stderr.append("[reading stdout failed: ").append(e.getMessage()).append("]\n");
                } finally {
                    lines.add(EOF);
                }
            });
            errReader = daemon(name + "-stderr", () -> drain(process.getErrorStream(), stderr));
        }

        public int pid() {
            return pid;
        }

        public String name() {
            return name;
        }

        /** Everything the sample wrote to stderr so far. */
        public String stderr() {
            return stderr.toString();
        }

        /** Every stdout line so far. */
        public List<String> stdoutLines() {
            synchronized (stdout) {
                return List.copyOf(stdout);
            }
        }

        /** Waits (up to {@link Samples#DEFAULT_TIMEOUT}) for the next step, which must be named {@code stepName}. */
        public Step awaitStep(String stepName) {
            return awaitStep(stepName, DEFAULT_TIMEOUT);
        }

        /**
         * Waits for the next STEP line, which must be named {@code stepName}, and (in pause mode) until every thread
         * of the sample has stopped. Another step first is a failure: use {@link #runTo} to pass over steps.
         */
        public Step awaitStep(String stepName, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            Step s = nextStep(stepName, deadline);
            if (!s.name().equals(stepName)) {
                throw failure("expected step '" + stepName + "' but the sample announced '" + s.name() + "'");
            }
            awaitStopped(s.pid(), deadline);
            return s;
        }

        /** {@link #runTo(String, Duration)} with {@link Samples#DEFAULT_TIMEOUT}. */
        public Step runTo(String stepName) {
            return runTo(stepName, DEFAULT_TIMEOUT);
        }

        /** Continues over any other steps until the one named {@code stepName}, which is returned stopped. */
        public Step runTo(String stepName, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                Step s = nextStep(stepName, deadline);
                awaitStopped(s.pid(), deadline);
                if (s.name().equals(stepName)) {
                    return s;
                }
                cont();
            }
        }

        /**
         * Sends SIGCONT to the process that announced the last step (the sample, or a child it forked), through
         * kill(1) because Java cannot send SIGCONT itself.
         */
        public void cont() {
            sigcont(lastStepPid);
        }

        private void sigcont(int target) {
            Result r = exec(List.of(killCommand(), "-CONT", Integer.toString(target)), Duration.ofSeconds(10));
            if (r.exitCode() != 0 && state(target) != '?') {
                throw failure("kill -CONT " + target + " failed: " + r);
            }
        }

        /** Closes the sample's stdin: a sample holding under SAMPLE_HOLD=1 goes on to its "done" step. */
        public void releaseHold() {
            try {
                process.getOutputStream().close();
            } catch (IOException e) {
                throw new UncheckedIOException("closing the stdin of " + this, e);
            }
        }

        /** Waits for the sample to exit and returns its exit code (128+n when killed by signal n). */
        public int awaitExit(Duration timeout) {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw failure("did not exit within " + timeout + " (state " + state(pid) + ")");
                }
                outReader.join(timeout.toMillis());
                errReader.join(timeout.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure("interrupted while waiting for the exit");
            }
            LIVE.remove(this);
            return process.exitValue();
        }

        /** Terminates the sample, stopped or not, and reaps it. Safe to call twice. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (process.isAlive()) {
                    process.destroy(); // SIGTERM: lets the sample clean up (many_vmas removes its temp dir)
                    try {
                        sigcont(pid); // a stopped sample handles SIGTERM only once continued
                    } catch (AssertionError | RuntimeException ignored) {
                        // it may have exited between the two signals
                    }
                    if (!process.waitFor(5, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                        process.waitFor(10, TimeUnit.SECONDS);
                    }
                }
                outReader.join(2000);
                errReader.join(2000);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            } finally {
                LIVE.remove(this);
                try {
                    process.getOutputStream().close();
                } catch (IOException ignored) {
                    // the pipe is already gone with the process
                }
            }
        }

        @Override
        public String toString() {
            return "sample " + String.join(" ", command) + " (pid " + pid + ")";
        }

        private Step nextStep(String wanted, long deadline) {
            while (true) {
                String l;
                try {
                    l = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw failure("interrupted while waiting for step '" + wanted + "'");
                }
                if (l == null) {
                    throw failure("no step '" + wanted + "' in time (state " + state(pid) + ")");
                }
                if (l == EOF) {
                    String exit;
                    try {
                        exit = process.waitFor(5, TimeUnit.SECONDS) ? "exited with " + process.exitValue()
                                : "closed stdout";
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        exit = "closed stdout";
                    }
                    try {
                        errReader.join(2000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw failure(exit + " before step '" + wanted + "'");
                }
                if (l.startsWith("@@STEP ")) {
                    return Step.parse(l);
                }
            }
        }

        /**
         * Polls /proc/TARGET/task/TID/stat until every thread is stopped ('T'): raise(SIGSTOP) is a group stop. The
         * target is the pid named in the step line (a forked child announces its own).
         */
        private void awaitStopped(int target, long deadline) {
            lastStepPid = target;
            if (!pauses) {
                return;
            }
            while (true) {
                if (target == pid ? !process.isAlive() : state(target) == '?') {
                    throw failure("process " + target + " exited instead of stopping");
                }
                if (allThreadsStopped(target)) {
                    return;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw failure("process " + target + " did not stop in time (state " + state(target) + ")");
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw failure("interrupted while waiting for the stop");
                }
            }
        }

        private AssertionError failure(String what) {
            return new AssertionError(this + ": " + what + "\nstdout:\n" + String.join("\n", stdoutLines())
                    + "\nstderr:\n" + stderr);
        }
    }

    /** The state letter of a process from /proc/PID/stat ('?' when it is gone). */
    public static char state(int pid) {
        return stateOf(Paths.get("/proc", Integer.toString(pid), "stat"));
    }

    private static boolean allThreadsStopped(int pid) {
        Path task = Paths.get("/proc", Integer.toString(pid), "task");
        boolean any = false;
        try (DirectoryStream<Path> tids = Files.newDirectoryStream(task)) {
            for (Path t : tids) {
                char st = stateOf(t.resolve("stat"));
                if (st != 'T' && st != '?') {
                    return false;
                }
                any |= st == 'T';
            }
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + task, e);
        }
        return any;
    }

    private static char stateOf(Path stat) {
        String text;
        try {
            text = readProcFile(stat);
        } catch (NoSuchFileException e) {
            return '?';
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).contains("No such process")) {
                return '?';
            }
            throw new UncheckedIOException("reading " + stat, e);
        }
        // The command name may contain ") ", so the state follows the last ')'.
        int close = text.lastIndexOf(')');
        if (close < 0 || close + 2 >= text.length()) {
            throw new AssertionError("unexpected " + stat + ": " + text);
        }
        return text.charAt(close + 2);
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

    private static Map<String, String> parseFields(String[] tokens, int from, String context) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = from; i < tokens.length; i++) {
            if (tokens[i].isEmpty()) {
                continue;
            }
            int eq = tokens[i].indexOf('=');
            if (eq <= 0) {
                throw new AssertionError("'" + tokens[i] + "' is not key=value in " + context);
            }
            values.put(tokens[i].substring(0, eq), tokens[i].substring(eq + 1));
        }
        return values;
    }

    private static long parseHex(String text, String context) {
        String digits = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
        try {
            return Long.parseUnsignedLong(digits, 16);
        } catch (NumberFormatException e) {
            throw new AssertionError("'" + text + "' is not a hex address in " + context, e);
        }
    }

    private static String killCommand() {
        for (String p : new String[] {"/bin/kill", "/usr/bin/kill"}) {
            if (Files.isExecutable(Paths.get(p))) {
                return p;
            }
        }
        return "kill";
    }

    private static Result exec(List<String> cmd, Duration timeout) {
        Process p;
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().put("SAMPLE_NOPAUSE", "1"); // nobody would continue a stopped STEP program here
            pb.environment().remove("SAMPLE_HOLD");
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + cmd + ": " + e.getMessage(), e);
        }
        StringBuffer out = new StringBuffer();
        StringBuffer err = new StringBuffer();
        Thread to = daemon("exec-stdout", () -> drain(p.getInputStream(), out));
        Thread te = daemon("exec-stderr", () -> drain(p.getErrorStream(), err));
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroy(); // SIGTERM first, so a sample can remove its temp files
                if (!cmd.get(0).equals(killCommand())) {
                    exec(List.of(killCommand(), "-CONT", Long.toString(p.pid())), Duration.ofSeconds(10));
                }
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
                throw new AssertionError(cmd + " did not finish within " + timeout + "; stdout: " + out
                        + " stderr: " + err);
            }
            to.join(5000);
            te.join(5000);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + cmd, e);
        }
        return new Result(List.copyOf(cmd), p.exitValue(), out.toString(), err.toString());
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

    private static Path findRepoRoot() {
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("native-samples").resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository root (a directory with native-samples/pom.xml) "
                + "above " + Paths.get("").toAbsolutePath() + "; set -D" + DIR_PROPERTY);
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

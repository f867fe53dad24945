package dev.inspector.core.demo;

import dev.inspector.core.BadInput;
import dev.inspector.core.InspectorException;
import dev.inspector.core.ProcessGone;
import dev.inspector.core.SampleFailed;
import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.procfs.ProcessFiles;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A running native sample, followed through its STEP protocol (native-samples/README.md): the sample writes
 * {@code @@STEP <n> <name> pid=<pid> ...} on stdout, then stops its whole thread group (SIGSTOP). {@link #awaitStep}
 * reads the line and waits until every thread reads state 'T'; the caller inspects the stopped process, then
 * {@link #cont()} lets it go on.
 *
 * <p>Always use it in try-with-resources: {@link #close()} ends the sample even when it is stopped (SIGTERM, SIGCONT,
 * then SIGKILL after 5 s), and a shutdown hook kills (SIGKILL works on stopped processes) what is still open at exit,
 * so Ctrl-C never leaves a stopped multi-GiB sample behind. Not thread-safe: drive it from one thread.
 */
public final class SampleProgram implements AutoCloseable {

    /** How long {@link #awaitStep(String)} and {@link #runTo(String)} wait. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private static final String EOF = new String("<eof>");
    private static final Set<SampleProgram> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (SampleProgram s : LIVE) {
                s.process.destroyForcibly();
            }
        }, "samples-reaper"));
    }

    private final String name;
    private final List<String> command;
    private final Process process;
    private final boolean pauses;
    private final int pid;
    private final ProcFs procFs = ProcFs.system();
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> stdout = Collections.synchronizedList(new ArrayList<>());
    private final StringBuffer stderr = new StringBuffer();
    private final Thread outReader;
    private final Thread errReader;
    private boolean closed;
    private int lastStepPid;

    private SampleProgram(String name, List<String> command, Process process, boolean pauses) {
        this.name = name;
        this.command = List.copyOf(command);
        this.process = process;
        this.pauses = pauses;
        this.pid = (int) process.pid();
        this.lastStepPid = pid;
        LIVE.add(this);
        outReader = Children.daemon(name + "-stdout", () -> {
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
        errReader = Children.daemon(name + "-stderr", () -> Children.drain(process.getErrorStream(), stderr));
    }

    static SampleProgram start(String name, List<String> command, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("SAMPLE_NOPAUSE");
        pb.environment().remove("SAMPLE_HOLD");
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (e.getValue() == null) {
                pb.environment().remove(e.getKey());
            } else {
                pb.environment().put(e.getKey(), e.getValue());
            }
        }
        boolean pauses = !"1".equals(pb.environment().get("SAMPLE_NOPAUSE"));
        try {
            return new SampleProgram(name, command, pb.start(), pauses);
        } catch (IOException e) {
            throw new SampleFailed("cannot start " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
    }

    public int pid() {
        return pid;
    }

    public String name() {
        return name;
    }

    public List<String> command() {
        return command;
    }

    /** Everything the sample wrote to stderr so far. */
    public String stderr() {
        return stderr.toString();
    }

    /** Every stdout line so far, STEP lines included. */
    public List<String> stdoutLines() {
        synchronized (stdout) {
            return List.copyOf(stdout);
        }
    }

    /** {@link #awaitStep(String, Duration)} with {@link #DEFAULT_TIMEOUT}. */
    public SampleStep awaitStep(String stepName) {
        return awaitStep(stepName, DEFAULT_TIMEOUT);
    }

    /**
     * Waits for the next STEP line, which must be named {@code stepName}, and (in pause mode) until every thread of
     * the process that announced it is stopped. Another step first is a {@link SampleFailed}: {@link #runTo} passes
     * over steps. An exit first is {@link ProcessGone}; no step or no stop within {@code timeout} is
     * {@link SampleFailed}.
     */
    public SampleStep awaitStep(String stepName, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        SampleStep s = nextStep(stepName, timeout, deadline);
        if (!s.name().equals(stepName)) {
            throw failed("announced step '" + s.name() + "' where step '" + stepName + "' was awaited: \""
                    + SampleStep.abbreviate(s.line()) + "\"");
        }
        awaitStopped(s.pid(), timeout, deadline);
        return s;
    }

    /**
     * Waits for the next STEP line, whatever its name, and (in pause mode) until every thread of the process that
     * announced it is stopped: for drivers that follow a program's steps as they come (the guided demos). An exit first
     * is {@link ProcessGone}; no step or no stop within {@code timeout} is {@link SampleFailed}.
     */
    public SampleStep awaitNext(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        SampleStep s = nextStep("(next)", timeout, deadline);
        awaitStopped(s.pid(), timeout, deadline);
        return s;
    }

    /** {@link #runTo(String, Duration)} with {@link #DEFAULT_TIMEOUT}. */
    public SampleStep runTo(String stepName) {
        return runTo(stepName, DEFAULT_TIMEOUT);
    }

    /** Continues over any other steps until the one named {@code stepName}, which is returned (stopped). */
    public SampleStep runTo(String stepName, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            SampleStep s = nextStep(stepName, timeout, deadline);
            awaitStopped(s.pid(), timeout, deadline);
            if (s.name().equals(stepName)) {
                return s;
            }
            cont();
        }
    }

    /** Sends SIGCONT to the process that announced the last step (the sample, or a child it forked). */
    public void cont() {
        if (!Children.sigcont(lastStepPid) && state(lastStepPid) != '?') {
            throw failed("kill -CONT " + lastStepPid + " failed; is kill(1) (procps) installed?");
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

    /**
     * Waits for the sample to exit and returns its exit code (128+n when killed by signal n); a sample still there
     * after {@code timeout} is {@link SampleFailed}.
     */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw failed("did not exit within " + Children.seconds(timeout) + " (state " + state(pid) + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed("interrupted while waiting for the exit");
        }
        Children.join(outReader, timeout.toMillis());
        Children.join(errReader, timeout.toMillis());
        LIVE.remove(this);
        return process.exitValue();
    }

    /** Ends the sample, stopped or not (SIGTERM, SIGCONT, SIGKILL after 5 s), and reaps it. Safe to call twice. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Children.terminate(process);
            Children.join(outReader, 2000);
            Children.join(errReader, 2000);
        } finally {
            LIVE.remove(this);
            try {
                process.getOutputStream().close();
            } catch (IOException ignored) {
                // the pipe went away with the process
            }
        }
    }

    @Override
    public String toString() {
        return "sample " + String.join(" ", command) + " (pid " + pid + ")";
    }

    /**
     * The state letter of a process from /proc/PID/stat ('T' stopped, 'S' sleeping, 'Z' zombie...), or '?' when it
     * is gone.
     */
    public static char state(int pid) {
        try {
            return new ProcessFiles(ProcFs.system(), pid).stat().state();
        } catch (InspectorException e) {
            return '?';
        }
    }

    private SampleStep nextStep(String wanted, Duration timeout, long deadline) {
        while (true) {
            String l;
            try {
                l = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failed("interrupted while waiting for step '" + wanted + "'");
            }
            if (l == null) {
                throw failed("did not reach step '" + wanted + "' within " + Children.seconds(timeout) + " (state "
                        + state(pid) + ")");
            }
            if (l == EOF) {
                String how;
                try {
                    how = process.waitFor(5, TimeUnit.SECONDS) ? "exited with status " + process.exitValue()
                            : "closed its stdout";
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    how = "closed its stdout";
                }
                Children.join(errReader, 2000);
                throw new ProcessGone(pid, name + " " + how + " before step '" + wanted + "'; stderr: "
                        + Children.tail(stderr.toString()));
            }
            if (SampleStep.isStep(l)) {
                try {
                    return SampleStep.parse(l);
                } catch (BadInput e) {
                    throw new BadInput(this + " printed " + e.getMessage() + "; rebuild the samples with 'mvn -pl"
                            + " native-samples compile'", e);
                }
            }
        }
    }

    /**
     * Polls /proc/TARGET/task/TID/stat until every thread is stopped ('T'): raise(SIGSTOP) is a group stop. The
     * target is the pid named in the step line (a forked child announces its own).
     */
    private void awaitStopped(int target, Duration timeout, long deadline) {
        lastStepPid = target;
        if (!pauses) {
            return;
        }
        ProcessFiles files = new ProcessFiles(procFs, target);
        while (!allThreadsStopped(files)) {
            if (target == pid ? !process.isAlive() : state(target) == '?') {
                throw new ProcessGone(target, name + " exited instead of stopping at its step; stderr: "
                        + Children.tail(stderr.toString()));
            }
            if (System.nanoTime() - deadline > 0) {
                throw failed("process " + target + " did not stop within " + Children.seconds(timeout) + " (state "
                        + state(target) + ")");
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failed("interrupted while waiting for the stop");
            }
        }
    }

    /** True when at least one thread reads 'T' and every other one is gone. */
    private static boolean allThreadsStopped(ProcessFiles files) {
        List<Integer> tids;
        try {
            tids = files.taskIds();
        } catch (InspectorException e) {
            return false;
        }
        boolean any = false;
        for (int tid : tids) {
            char st;
            try {
                st = files.taskStat(tid).state();
            } catch (InspectorException e) {
                continue; // the thread exited between the listing and the read
            }
            if (st != 'T') {
                return false;
            }
            any = true;
        }
        return any;
    }

    private SampleFailed failed(String what) {
        return new SampleFailed(this + ": " + what + "; last stdout: " + Children.tail(String.join("\n",
                stdoutLines())) + "; stderr: " + Children.tail(stderr.toString()));
    }
}

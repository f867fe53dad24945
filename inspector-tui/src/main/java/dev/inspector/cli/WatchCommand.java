package dev.inspector.cli;

import dev.inspector.core.BadInput;
import dev.inspector.core.InspectorException;
import dev.inspector.core.NoSuchProcess;
import dev.inspector.core.ProcessGone;
import dev.inspector.core.diff.DiffResult;
import dev.inspector.core.json.AtomicFile;
import dev.inspector.core.json.TimelineWriter;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.procfs.Target;
import dev.inspector.core.procfs.parse.Stat;
import dev.inspector.present.Style;
import dev.inspector.present.TextRenderer;
import dev.inspector.present.WatchView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {"Record a timeline of a process as newline-delimited JSON: a full snapshot first, then one delta"
            + " per interval (what changed since the previous point), usable with jq and log pipelines.",
            "When the target exits, a last record says so (with its exit status where it can be known) and the"
                + " command ends with status 0. Ctrl-C ends it with status 130 and leaves a valid file: every line"
                + " written is complete. 'inspector diff FILE' compares any two points."})
public final class WatchCommand extends BaseCommand {

    /** How long a Ctrl-C waits for a record being written to finish before the JVM exits anyway. */
    static final long SHUTDOWN_WAIT_SECONDS = 10;

    @Parameters(index = "0", paramLabel = "PID", converter = PidConverter.class,
            description = "Process id, or 'self' for the inspector itself.")
    int pid;

    @Option(names = {"-i", "--interval"}, paramLabel = "DURATION", defaultValue = "1s",
            description = "Time between points: a whole number and ms, s, m or h (default: ${DEFAULT-VALUE}).")
    String interval;

    @Option(names = {"-n", "--count"}, paramLabel = "N",
            description = "Stop after N points (the first snapshot counts); default: until the target exits or"
                + " Ctrl-C.")
    Integer count;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = "-",
            description = "Write the timeline to FILE (created or truncated) instead of standard output ('-').")
    String output;

    @Option(names = "--pages", description = "Record every page's state in each point, run-length encoded.")
    boolean pages;

    @Override
    protected int execute() throws Exception {
        Duration every = option(() -> Durations.parse("--interval", interval));
        if (count != null && count < 1) {
            throw usage("--count must be at least 1, not " + count);
        }
        SnapshotCommand.Taker taker = SnapshotCommand.Taker.system();
        // The first snapshot before any file is created: a PID that does not exist leaves nothing behind.
        long t0 = System.nanoTime();
        Snapshot first = taker.take(pid, pages, false);
        boolean toFile = !AtomicFile.STDOUT.equals(output);
        WriterSink sink = toFile ? null : new WriterSink(out());
        TimelineWriter w = toFile ? TimelineWriter.create(output) : new TimelineWriter(sink, false, "standard output");
        Guard guard = new Guard(w);
        Thread hook = new Thread(guard::shutdown, "watch-sigint");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return loop(taker, first, t0, every, toFile, guard);
        } catch (BadInput e) {
            if (sink != null && sink.broken) {
                err().println("inspector: standard output was closed after " + w.points() + " points; stopping");
                return ExitCodes.OK;
            }
            throw e;
        } finally {
            guard.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C arrived: the hook is running and owns the end of the file.
            }
        }
    }

    /** A closed standard output ends the watch with one line and status 0 (see {@link #execute}). */
    @Override
    protected boolean checksOutput() {
        return false;
    }

    /** Points are due at fixed times from the start of the first snapshot, {@code t0}. */
    private int loop(SnapshotCommand.Taker taker, Snapshot first, long t0, Duration every, boolean toFile,
                     Guard guard) throws InterruptedException {
        PrintWriter err = err();
        TextRenderer progress = new TextRenderer(Style.plain());
        if (!guard.append(first)) {
            return ExitCodes.INTERRUPTED;
        }
        if (toFile) {
            progress.render(WatchView.first(first, pid), err);
        }
        long intervalNs = every.toNanos();
        for (int k = 1; count == null || k < count; k++) {
            long due = t0 + k * intervalNs;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            } else {
                t0 -= wait; // a slow snapshot: keep the interval from now on instead of bursting to catch up
            }
            Snapshot s;
            try {
                s = taker.take(pid, pages, false);
            } catch (NoSuchProcess | ProcessGone e) {
                return exited(guard, toFile, null);
            }
            if (s.process().startTime() != first.process().startTime()) {
                return exited(guard, toFile, "exited (PID " + pid + " now belongs to another process)");
            }
            if ("Z".equals(s.process().state())) {
                return exited(guard, toFile, null);
            }
            DiffResult d = guard.appendDiff(s);
            if (d == null) {
                return ExitCodes.INTERRUPTED;
            }
            if (toFile) {
                progress.render(WatchView.progress(k, first, s, d), err);
            }
        }
        return ExitCodes.OK;
    }

    /** Writes the exit record: status from stat's exit_code while the target is still a zombie, else unknown. */
    private int exited(Guard guard, boolean toFile, String reason) {
        Integer status = null;
        String why = reason;
        if (why == null) {
            Integer wstatus = zombieStatus(pid);
            if (wstatus != null) {
                status = decode(wstatus);
                why = describe(wstatus);
            } else {
                why = "exited (status not visible to a non-parent)";
            }
        }
        if (!guard.exit(Instant.now(), status, why)) {
            return ExitCodes.INTERRUPTED;
        }
        if (toFile) {
            int n = guard.writer.points();
            err().println("pid " + pid + " " + why + "; " + output + " holds " + n + (n == 1 ? " point" : " points")
                    + " and the exit record");
        }
        return ExitCodes.OK;
    }

    /**
     * The wait status in stat field 52 (exit_code, Linux 3.5+, shown to readers that may ptrace the target) while the
     * process is a zombie, i.e. exited but not yet reaped by its parent; null once it is gone or when hidden.
     */
    static Integer zombieStatus(int pid) {
        try {
            Stat st = Target.open(ProcFs.system(), pid).stat();
            return st.state() == 'Z' ? st.exitCode() : null;
        } catch (InspectorException e) {
            return null;
        }
    }

    /** waitpid(2) form: exit code in bits 8-15 when it exited, the signal in bits 0-6 when killed (as -signal). */
    static int decode(int wstatus) {
        int sig = wstatus & 0x7f;
        return sig == 0 ? (wstatus >> 8) & 0xff : -sig;
    }

    static String describe(int wstatus) {
        int sig = wstatus & 0x7f;
        if (sig == 0) {
            return "exited with status " + ((wstatus >> 8) & 0xff);
        }
        return "killed by " + signalName(sig) + ((wstatus & 0x80) != 0 ? " (core dumped)" : "");
    }

    static String signalName(int sig) {
        String[] names = {null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
            "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM"};
        return sig > 0 && sig < names.length ? names[sig] : "signal " + sig;
    }

    /**
     * Serialises record writes with the Ctrl-C shutdown hook: the hook waits for a record in progress, then marks the
     * timeline stopped so no later record starts, and closes the writer. Every line in the output is then complete.
     */
    static final class Guard {
        final TimelineWriter writer;
        private final ReentrantLock lock = new ReentrantLock();
        private boolean stopped;

        Guard(TimelineWriter writer) {
            this.writer = writer;
        }

        /** False when the watch was stopped (Ctrl-C) and the record was not written. */
        boolean append(Snapshot s) {
            lock.lock();
            try {
                if (stopped) {
                    return false;
                }
                writer.append(s);
                return true;
            } finally {
                lock.unlock();
            }
        }

        /** The diff from the previous point, or null when stopped. */
        DiffResult appendDiff(Snapshot s) {
            lock.lock();
            try {
                return stopped ? null : writer.append(s);
            } finally {
                lock.unlock();
            }
        }

        boolean exit(Instant at, Integer status, String reason) {
            lock.lock();
            try {
                if (stopped) {
                    return false;
                }
                writer.exit(at, status, reason);
                return true;
            } finally {
                lock.unlock();
            }
        }

        /** The shutdown hook (SIGINT, SIGTERM): let the record in progress finish, then end the file there. */
        void shutdown() {
            boolean locked = false;
            try {
                locked = lock.tryLock(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                stopped = true;
                writer.close();
            } catch (BadInput ignored) {
                // The output is gone (closed pipe); nothing more can be saved.
            } finally {
                if (locked) {
                    lock.unlock();
                }
            }
        }

        /** Normal end: close once. */
        void close() {
            lock.lock();
            try {
                if (!stopped) {
                    stopped = true;
                    writer.close();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Standard output for the timeline: picocli's writer (so tests capture it). TimelineWriter hands over each record
     * whole and then flushes, so bytes are decoded per complete record; a writer error (closed pipe) becomes an
     * IOException, which PrintWriter alone would swallow.
     */
    static final class WriterSink extends OutputStream {
        private final PrintWriter out;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        volatile boolean broken;

        WriterSink(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void write(int b) {
            pending.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            pending.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            if (broken) {
                return; // already reported once; the closing flush must not report it again
            }
            if (pending.size() > 0) {
                out.write(pending.toString(StandardCharsets.UTF_8));
                pending.reset();
            }
            out.flush();
            if (out.checkError()) {
                broken = true;
                throw new IOException("standard output was closed");
            }
        }
    }
}

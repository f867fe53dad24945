package dev.inspector.cli;

import dev.inspector.core.InspectorException;
import dev.inspector.core.analysis.SnapshotOptions;
import dev.inspector.core.diff.Aspect;
import dev.inspector.core.diff.DiffResult;
import dev.inspector.core.json.AtomicFile;
import dev.inspector.core.json.TimelineWriter;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.session.InspectionSession;
import dev.inspector.core.session.Refresh;
import dev.inspector.core.session.TargetExit;
import dev.inspector.present.Escape;
import dev.inspector.present.Format;
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
        header = "A timeline of a process as NDJSON: a snapshot, then deltas.",
        description = {"Record a timeline of a process as newline-delimited JSON: a full snapshot first, then one delta"
            + " per interval (what changed since the previous point), usable with jq and log pipelines.",
            "When the target exits, a last record says so (with its exit status where it can be known) and the"
                + " command ends with status 0. Ctrl-C ends it with status 130, SIGTERM with 143, and both leave a"
                + " valid file: every line written is complete. A full disk cuts the file back to its last complete"
                + " record (status 11); a closed standard output ends it quietly (141).",
            "'inspector diff FILE' compares any two points."})
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
        boolean toFile = !AtomicFile.STDOUT.equals(output);
        WriterSink sink = toFile ? null : new WriterSink(out());
        Recorder rec = new Recorder(toFile, sink);
        InspectionSession session = host().session(pid);
        Refresh refresh = session.refresh(pages ? SnapshotOptions.fullWithPages(false) : SnapshotOptions.full(), every,
                rec);
        rec.refresh = refresh;
        try {
            refresh.run(count);
            return rec.code;
        } finally {
            rec.close();
        }
    }

    /**
     * Writes each point of the refresh loop to the timeline. The first snapshot comes before any file is created, so
     * a PID that does not exist leaves nothing behind; the Ctrl-C hook is installed with the file.
     */
    private final class Recorder implements Refresh.Listener {
        private final boolean toFile;
        private final WriterSink sink;
        Refresh refresh;
        Guard guard;
        private Thread hook;
        private Snapshot first;
        private final TextRenderer progress = new TextRenderer(Style.plain());
        int code = ExitCodes.OK;

        Recorder(boolean toFile, WriterSink sink) {
            this.toFile = toFile;
            this.sink = sink;
        }

        @Override
        public void snapshot(Snapshot s, DiffResult d, Refresh.Stats stats) {
            if (guard == null) {
                TimelineWriter w = toFile ? TimelineWriter.create(output)
                        : new TimelineWriter(sink, false, "standard output");
                guard = new Guard(w);
                hook = new Thread(guard::shutdown, "watch-sigint");
                Runtime.getRuntime().addShutdownHook(hook);
                first = s;
            }
            if (!guard.append(s, d)) {
                code = ExitCodes.INTERRUPTED;
                refresh.stop();
                return;
            }
            if (toFile) {
                progress.render(d == null ? WatchView.first(s, pid, stats.retries())
                        : WatchView.progress(stats.point(), first, s, d, stats.retries()),
                        err());
            }
        }

        @Override
        public void exited(TargetExit exit) {
            if (!guard.exit(exit.at(), exit.status(), exit.reason())) {
                code = ExitCodes.INTERRUPTED;
                return;
            }
            if (toFile) {
                int n = guard.writer.points();
                err().println("pid " + pid + " " + exit.reason() + "; " + output + " holds " + n
                        + (n == 1 ? " point" : " points") + " and the exit record");
            }
        }

        @Override
        public void failed(InspectorException e, Refresh.Stats stats) {
            err().println("inspector: warning: no point at this interval: " + Escape.controls(e.getMessage()));
        }

        void close() {
            if (guard == null) {
                return;
            }
            guard.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C arrived: the hook is running and owns the end of the file.
            }
        }
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
        boolean append(Snapshot s, DiffResult sincePrevious) {
            lock.lock();
            try {
                if (stopped) {
                    return false;
                }
                writer.append(s, sincePrevious);
                return true;
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
            } catch (InspectorException ignored) {
                // The output is gone (closed pipe, full disk); nothing more can be saved.
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
     * whole and then flushes, so bytes are decoded per complete record; a writer error (closed pipe, full disk)
     * becomes the IOException behind it ({@link StandardOutput}), which PrintWriter alone would swallow. Main then
     * ends a closed pipe quietly (141) and reports any other error in one line (11), as for every command.
     */
    static final class WriterSink extends OutputStream {
        private final PrintWriter out;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private boolean broken;

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
                IOException cause = StandardOutput.failureOf(out);
                throw cause != null ? cause : new IOException("standard output could not be written");
            }
        }
    }
}

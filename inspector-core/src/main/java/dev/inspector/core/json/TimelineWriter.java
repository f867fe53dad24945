package dev.inspector.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.inspector.core.BadInput;
import dev.inspector.core.WriteFailed;
import dev.inspector.core.diff.DiffOptions;
import dev.inspector.core.diff.DiffResult;
import dev.inspector.core.diff.RegionChange;
import dev.inspector.core.diff.SnapshotDiff;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.Snapshot;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Writes a watch timeline as newline-delimited JSON: a full snapshot first ({@code "type": "snapshot"}), then one
 * {@code "type": "delta"} line per later snapshot carrying what changed since the previous point (enough to rebuild it,
 * see {@link TimelineReader}), and finally, when the target exits, one {@code "type": "exit"} line. Each record is
 * built in memory and handed to the stream with its newline in a single {@code write} followed by a flush, so the
 * stream never holds part of a line between records: a Ctrl-C leaves a file whose lines are all complete, valid JSON
 * (a caller that must also survive a signal during that one write serialises it with its shutdown hook, as
 * {@code inspector watch} does).
 */
public final class TimelineWriter implements Closeable {

    private final OutputStream out;
    private final boolean closeOut;
    private final String name;
    /** The file written, when this writer opened it: a record cut by a failed write is truncated away through it. */
    private final FileChannel file;
    /** Bytes of complete records written so far. */
    private long committed;
    /** A write failed: nothing more is written (not even by close). */
    private boolean failed;
    /** The record being built; reused, so only the largest record's size stays allocated. */
    private final ByteArrayOutputStream record = new ByteArrayOutputStream(1 << 16);
    private Snapshot previous;
    private int seq = -1;
    private boolean exited;

    /** Writes to {@code out}; {@code close()} closes it when {@code closeOut}. {@code name} names it in errors. */
    public TimelineWriter(OutputStream out, boolean closeOut, String name) {
        this(out, closeOut, name, null);
    }

    private TimelineWriter(OutputStream out, boolean closeOut, String name, FileChannel file) {
        this.out = out;
        this.closeOut = closeOut;
        this.name = name;
        this.file = file;
    }

    /** Creates (or truncates) the file {@code target}; standard output is the caller's ({@link #TimelineWriter}). */
    public static TimelineWriter create(String target) {
        if (AtomicFile.STDOUT.equals(target)) {
            throw new IllegalArgumentException("standard output is written by the caller: new TimelineWriter(out, ...)");
        }
        Path p = Paths.get(target);
        try {
            FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            // No buffer in between: each record is handed over whole (endLine), so a failed write can be cut back.
            return new TimelineWriter(Channels.newOutputStream(ch), true, target, ch);
        } catch (AccessDeniedException e) {
            throw new BadInput("cannot write " + target + ": no permission to create or replace it; choose another"
                    + " output path");
        } catch (NoSuchFileException e) {
            throw new BadInput("cannot write " + target + ": directory " + p.toAbsolutePath().getParent() + " does not exist");
        } catch (IOException e) {
            throw new BadInput("cannot write " + target + ": " + WriteFailed.reason(e), e);
        }
    }

    /** Number of snapshot points written so far. */
    public int points() {
        return seq + 1;
    }

    /** The last snapshot appended, or null. */
    public Snapshot previous() {
        return previous;
    }

    /**
     * Appends a point: the full snapshot the first time, a delta against the previous point afterwards. Returns the
     * diff from the previous point (null for the first), so a caller can also show it.
     */
    public DiffResult append(Snapshot s) {
        return append(s, null);
    }

    /**
     * The same with the diff from the previous point already computed ({@code diff}, ignored for the first point; null
     * computes it here), as a refresh loop that shows it too has.
     */
    public DiffResult append(Snapshot s, DiffResult known) {
        if (exited) {
            throw new IllegalStateException("the timeline already ended with an exit record");
        }
        DiffResult diff = null;
        try {
            JsonGenerator g = generator();
            g.writeStartObject();
            if (previous == null) {
                SnapshotWriter.writeHeader(g, SnapshotJson.TIMELINE_KIND, s);
                g.writeStringField("type", "snapshot");
                g.writeNumberField("seq", 0);
                SnapshotWriter.writeSnapshotMembers(g, s);
            } else {
                if (!previous.toolVersion().equals(s.toolVersion()) || previous.schemaVersion() != s.schemaVersion()) {
                    throw new IllegalArgumentException("a timeline holds snapshots of one inspector version");
                }
                diff = known != null && known.match() == DiffOptions.Match.ADDRESS
                        && known.before().takenAt().equals(previous.takenAt())
                        && known.after().takenAt().equals(s.takenAt()) ? known : SnapshotDiff.compare(previous, s);
                writeDelta(g, s, diff);
            }
            g.writeEndObject();
            endLine(g);
        } catch (IOException e) {
            throw failed(e);
        }
        previous = s;
        seq++;
        return diff;
    }

    private void writeDelta(JsonGenerator g, Snapshot s, DiffResult diff) throws IOException {
        g.writeStringField("type", "delta");
        g.writeNumberField("seq", seq + 1);
        g.writeStringField("takenAt", s.takenAt().toString());
        g.writeFieldName("process");
        SnapshotWriter.writeProcess(g, s.process());
        g.writeFieldName("bases");
        SnapshotWriter.writeBases(g, s.bases());
        g.writeFieldName("rollup");
        SnapshotWriter.writeSmaps(g, s.rollup());
        g.writeFieldName("threads");
        SnapshotWriter.writeThreads(g, s.threads());
        // Host and kernel layout rarely change: present only when they did.
        if (!Objects.equals(previous.host(), s.host())) {
            g.writeFieldName("host");
            SnapshotWriter.writeHost(g, s.host());
        }
        if (!Objects.equals(previous.kernel(), s.kernel())) {
            g.writeFieldName("kernel");
            SnapshotWriter.writeKernel(g, s.kernel());
        }
        List<Long> removed = new ArrayList<>();
        List<Region> put = new ArrayList<>();
        for (RegionChange c : diff.changes()) {
            for (Region r : c.before()) {
                removed.add(r.mapping().start());
            }
            put.addAll(c.after());
        }
        g.writeObjectFieldStart("regionChanges");
        g.writeArrayFieldStart("remove");
        for (long start : removed) {
            g.writeString(Hex.format(start));
        }
        g.writeEndArray();
        g.writeFieldName("put");
        SnapshotWriter.writeRegions(g, put);
        g.writeEndObject();
        g.writeFieldName("diff");
        DiffJson.writeObject(g, diff);
    }

    /**
     * Ends the timeline: the target exited. {@code exitStatus} is the exit code or -signal when known (only a parent
     * can reap its child's status), null otherwise; {@code reason} says what was seen ("exited", "killed by SIGKILL",
     * "process gone").
     */
    public void exit(Instant at, Integer exitStatus, String reason) {
        if (exited) {
            throw new IllegalStateException("the timeline already ended with an exit record");
        }
        try {
            JsonGenerator g = generator();
            g.writeStartObject();
            if (previous == null) {
                // Nothing was captured: keep the file identifiable as a timeline.
                g.writeStringField("kind", SnapshotJson.TIMELINE_KIND);
                g.writeNumberField("schemaVersion", Snapshot.SCHEMA_VERSION);
            }
            g.writeStringField("type", "exit");
            g.writeNumberField("seq", seq + 1);
            g.writeStringField("takenAt", at.toString());
            if (exitStatus == null) {
                g.writeNullField("exitStatus");
            } else {
                g.writeNumberField("exitStatus", exitStatus);
            }
            g.writeStringField("reason", Objects.requireNonNull(reason, "reason"));
            g.writeEndObject();
            endLine(g);
        } catch (IOException e) {
            throw failed(e);
        }
        exited = true;
    }

    private JsonGenerator generator() throws IOException {
        record.reset();
        JsonGenerator g = SnapshotWriter.FACTORY.createGenerator(record);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        return g;
    }

    /** The complete record and its newline reach the stream in one write (ByteArrayOutputStream.writeTo). */
    private void endLine(JsonGenerator g) throws IOException {
        if (failed) {
            throw new IOException("an earlier write failed");
        }
        g.close();
        record.write('\n');
        record.writeTo(out);
        out.flush();
        committed += record.size();
    }

    /**
     * A write failed part-way (a full disk): a file this writer opened is cut back to its last complete record, so
     * every line left is whole; on a stream that cannot be cut (standard output) the message says the last line may
     * be incomplete. Nothing more is written after this.
     */
    private WriteFailed failed(IOException e) {
        failed = true;
        String kept;
        if (file == null) {
            kept = WriteFailed.isBrokenPipe(e) ? "" : "; the last line written may be incomplete";
        } else {
            try {
                file.truncate(committed);
                kept = "; " + name + " was cut back to its last complete record (" + points() + (points() == 1
                        ? " point)" : " points)");
            } catch (IOException t) {
                kept = "; cutting " + name + " back to its last complete record failed too (" + WriteFailed.reason(t)
                        + "): its last line may be incomplete";
            }
        }
        return new WriteFailed("cannot write " + name + ": " + WriteFailed.reason(e) + kept, e);
    }

    @Override
    public void close() {
        try {
            if (!failed) {
                out.flush();
            }
            if (closeOut) {
                out.close();
            }
        } catch (IOException e) {
            throw failed(e);
        }
    }
}

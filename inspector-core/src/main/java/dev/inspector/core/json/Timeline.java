package dev.inspector.core.json;

import dev.inspector.core.diff.DiffOptions;
import dev.inspector.core.diff.DiffResult;
import dev.inspector.core.diff.SnapshotDiff;
import dev.inspector.core.model.AslrBases;
import dev.inspector.core.model.HostInfo;
import dev.inspector.core.model.KernelLayout;
import dev.inspector.core.model.ProcessInfo;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.Smaps;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.model.ThreadInfo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A watch timeline read back by {@link TimelineReader}: the base snapshot and the deltas after it. Any point can be
 * rebuilt as a full {@link Snapshot} (equal to the one that was written), so two points can be diffed.
 */
public final class Timeline {

    /** One point: its index (0 is the full snapshot) and when it was taken. */
    public record Point(int index, Instant takenAt) {
    }

    /** The last record: the target exited. {@code exitStatus} is null when it could not be known. */
    public record Exit(Instant takenAt, Integer exitStatus, String reason) {
    }

    /** What one delta line carries; {@code host}/{@code kernel} are set only when they changed. */
    record Delta(Instant takenAt, ProcessInfo process, List<ThreadInfo> threads, AslrBases bases, Smaps rollup,
                 boolean hostChanged, HostInfo host, boolean kernelChanged, KernelLayout kernel, List<Long> remove,
                 List<Region> put) {
    }

    private final String name;
    private final Snapshot base;
    private final List<Delta> deltas;
    private final Exit exit;
    private final String warning;
    private int cachedIndex = -1;
    private Snapshot cached;

    Timeline(String name, Snapshot base, List<Delta> deltas, Exit exit, String warning) {
        this.name = name;
        this.base = base;
        this.deltas = List.copyOf(deltas);
        this.exit = exit;
        this.warning = warning;
    }

    /** Number of snapshot points (0 when the target exited before the first snapshot). */
    public int size() {
        return base == null ? 0 : deltas.size() + 1;
    }

    public List<Point> points() {
        List<Point> out = new ArrayList<>(size());
        if (base != null) {
            out.add(new Point(0, base.takenAt()));
            for (int i = 0; i < deltas.size(); i++) {
                out.add(new Point(i + 1, deltas.get(i).takenAt()));
            }
        }
        return out;
    }

    /** The exit record, if the timeline has one (it has none when the watcher was interrupted). */
    public Optional<Exit> exit() {
        return Optional.ofNullable(exit);
    }

    /**
     * A note about what was tolerated while reading, e.g. an incomplete last line left by an interrupted writer; empty
     * when the file was complete.
     */
    public Optional<String> warning() {
        return Optional.ofNullable(warning);
    }

    /** The snapshot at point {@code index} (0-based; negative counts from the end, -1 being the last). */
    public Snapshot snapshotAt(int index) {
        int n = size();
        int i = index < 0 ? n + index : index;
        if (i < 0 || i >= n) {
            throw new dev.inspector.core.BadInput(name + ": no point " + index + " (the timeline has " + n
                    + " point" + (n == 1 ? "" : "s") + ": 0 to " + (n - 1) + ", or -1 for the last)");
        }
        Snapshot s;
        int from;
        if (cached != null && cachedIndex <= i) {
            s = cached;
            from = cachedIndex;
        } else {
            s = base;
            from = 0;
        }
        for (int k = from; k < i; k++) {
            s = TimelineReader.apply(s, deltas.get(k));
        }
        cached = s;
        cachedIndex = i;
        return s;
    }

    /** Diffs point {@code i} with point {@code j}. */
    public DiffResult diff(int i, int j, DiffOptions opts) {
        return SnapshotDiff.compare(snapshotAt(i), snapshotAt(j), opts);
    }
}

package dev.inspector.tui;

import dev.inspector.core.diff.DiffOptions;
import dev.inspector.core.diff.DiffResult;
import dev.inspector.core.diff.SnapshotDiff;
import dev.inspector.core.json.Timeline;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.session.InspectionSession;
import dev.inspector.core.session.TargetExit;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Points from a recording: a timeline written by {@code inspector watch} (or a single snapshot document, one point).
 * Steps, jumps and play move through it; each point is rebuilt from the timeline's deltas on this source's own
 * thread and shown with its diff from the point before, so the same highlights appear as when it was live. Playing
 * keeps the recorded pace between points, at most {@link #MAX_STEP} per step.
 */
public final class ReplaySource implements TuiApp.Source {

    static final Duration MAX_STEP = Duration.ofSeconds(2);

    private final Timeline timeline;
    private final Snapshot single;
    private final ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tui-replay");
        t.setDaemon(true);
        return t;
    });
    private int index;
    private ScheduledFuture<?> playing;
    private TuiApp app;

    public ReplaySource(Timeline timeline) {
        this.timeline = timeline;
        this.single = null;
    }

    public ReplaySource(Snapshot single) {
        this.timeline = null;
        this.single = single;
    }

    public int points() {
        return timeline == null ? 1 : timeline.size();
    }

    @Override
    public void start(TuiApp a) {
        this.app = a;
        exec.execute(() -> show(0));
    }

    /** Builds point {@code i} and hands it to the screen (this source's thread). */
    private void show(int i) {
        int n = points();
        i = Math.max(0, Math.min(n - 1, i));
        index = i;
        // The timeline caches its last point and walks forward from it: the predecessor first, then this one.
        Snapshot before = i == 0 ? null : timeline.snapshotAt(i - 1);
        Snapshot s = timeline == null ? single : timeline.snapshotAt(i);
        DiffResult prev = before == null ? null : SnapshotDiff.compare(before, s, DiffOptions.byAddress());
        Snapshot base = app.baseline();
        DiffResult vsBase = base == null ? null : SnapshotDiff.compare(base, s);
        Frame f = new Frame(s, prev, vsBase, null, i, n);
        boolean last = i == n - 1;
        TargetExit exit = last && timeline != null && timeline.exit().isPresent() ? new TargetExit(s.process().pid(),
                timeline.exit().get().takenAt(), timeline.exit().get().exitStatus(), timeline.exit().get().reason(),
                false) : null;
        app.post(() -> {
            app.apply(app.model().frame(f));
            if (exit != null) {
                app.model().exited(exit);
            }
        });
        if (last) {
            stopPlaying();
        }
    }

    @Override
    public synchronized void effect(Effect e, TuiApp a) {
        if (e instanceof Effect.Step s) {
            stopPlaying();
            int target = s.absolute() ? (s.delta() < 0 ? points() + s.delta() : s.delta()) : index + s.delta();
            exec.execute(() -> show(target));
        } else if (e instanceof Effect.Play p) {
            if (p.playing()) {
                if (index >= points() - 1) {
                    exec.execute(() -> show(0)); // at the end: play from the start
                }
                scheduleNext();
            } else {
                stopPlaying();
            }
        } else if (e instanceof Effect.Baseline) {
            exec.execute(() -> show(index));
        }
    }

    private synchronized void scheduleNext() {
        long ms = 1000;
        if (timeline != null && index + 1 < timeline.size()) {
            var pts = timeline.points();
            ms = Duration.between(pts.get(index).takenAt(), pts.get(index + 1).takenAt()).toMillis();
            ms = Math.max(100, Math.min(MAX_STEP.toMillis(), ms));
        }
        playing = exec.schedule(() -> {
            show(index + 1);
            synchronized (this) {
                if (playing != null && index < points() - 1) {
                    scheduleNext();
                }
            }
        }, ms, TimeUnit.MILLISECONDS);
    }

    private synchronized void stopPlaying() {
        if (playing != null) {
            playing.cancel(false);
            playing = null;
            if (app != null) {
                app.post(() -> app.model().playing(false));
            }
        }
    }

    @Override
    public InspectionSession session() {
        return null;
    }

    @Override
    public void stop() {
        exec.shutdownNow();
    }
}

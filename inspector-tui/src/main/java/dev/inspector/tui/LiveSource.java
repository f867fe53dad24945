package dev.inspector.tui;

import dev.inspector.core.InspectorException;
import dev.inspector.core.analysis.SnapshotOptions;
import dev.inspector.core.diff.DiffResult;
import dev.inspector.core.diff.SnapshotDiff;
import dev.inspector.core.model.HostInfo;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.session.Host;
import dev.inspector.core.session.InspectionSession;
import dev.inspector.core.session.Refresh;
import dev.inspector.core.session.TargetExit;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Points from a live process: core's {@link Refresh} loop on its own thread (snapshot, diff with the previous one,
 * exit with its status, PID reuse, torn reads retried, a CPU budget that lengthens the interval). The diff with the
 * baseline is computed on that thread too, so a 60,000-mapping diff never holds up a key. The first point is awaited
 * before the screen starts ({@link #awaitFirst}), so a PID that does not exist or may not be read is one line on
 * the terminal, not a broken screen.
 */
public class LiveSource implements TuiApp.Source, Refresh.Listener {

    /**
     * What the screen reads per point: mappings, smaps and threads. Residency is read on demand (the selected
     * mapping's heat map); the kernel layout (kallsyms, iomem) is not read at all: the column draws the kernel half
     * from the paging depth, and reading kallsyms every second cost more than the maps of a 1,000-mapping process.
     */
    public static final SnapshotOptions OPTIONS = new SnapshotOptions(true, true, false,
            SnapshotOptions.Residency.NONE, false);

    private final InspectionSession session;
    private final InspectionSession detail;
    private final Refresh refresh;
    private final CountDownLatch first = new CountDownLatch(1);
    private volatile InspectorException firstError;
    private volatile TuiApp app;
    private volatile Frame pending;
    private volatile boolean started;
    /** Stopped: nothing more reaches the screen (a demo that moved the view to another process). */
    private volatile boolean closed;
    /** The last frame made (the refresh loop's thread only). */
    private Frame lastFrame;

    public LiveSource(Host host, int pid, Duration interval, double cpuBudget) {
        this.session = host.session(pid);
        this.detail = host.session(pid); // heat maps and translations read on the worker, never on the loop's thread
        this.refresh = session.refresh(OPTIONS, interval, this).cpuBudget(cpuBudget);
    }

    public int pid() {
        return session.pid();
    }

    /** Starts the refresh loop; points wait until {@link #start(TuiApp)} connects the screen. */
    public LiveSource begin() {
        refresh.start();
        return this;
    }

    /**
     * Waits for the first point (or the error that prevented it) up to {@code timeout}: a missing process, access
     * denied and the like are thrown here, before any screen is drawn.
     */
    public void awaitFirst(Duration timeout) {
        try {
            if (!first.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return; // slow (a huge process): the screen says "reading" until the point arrives
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (firstError != null) {
            refresh.stop();
            throw firstError;
        }
    }

    @Override
    public synchronized void start(TuiApp a) {
        this.app = a;
        started = true;
        if (pending != null) {
            Frame f = pending;
            pending = null;
            a.post(() -> a.apply(a.model().frame(f)));
        }
        if (firstError != null) {
            InspectorException e = firstError;
            a.post(() -> a.fail(e));
        }
    }

    @Override
    public void snapshot(Snapshot s, DiffResult sincePrevious, Refresh.Stats stats) {
        TuiApp a = app;
        Snapshot base = a == null ? null : a.baseline();
        DiffResult vsBase = base == null ? null : SnapshotDiff.compare(base, s);
        Frame last = lastFrame;
        Frame f;
        if (last != null && last.snapshot().regions() == s.regions() && java.util.Objects.equals(
                last.snapshot().rollup(), s.rollup())) {
            // The session took the regions over (nothing moved): so do the summary and the column's preparation.
            f = new Frame(s, sincePrevious, vsBase, stats, stats.point(), -1, last.summary(), last.column(),
                    features() != null ? features() : s.host().features());
        } else {
            f = Frame.live(s, sincePrevious, vsBase, stats, features());
        }
        lastFrame = f;
        first.countDown();
        deliver(f, stats);
    }

    private synchronized void deliver(Frame f, Refresh.Stats stats) {
        if (closed) {
            return;
        }
        if (!started) {
            pending = f; // before the screen: keep the latest
            return;
        }
        TuiApp a = app;
        a.post(() -> {
            if (closed) {
                return; // stopped after this was posted: another view owns the screen now
            }
            a.model().clearFailure();
            a.model().interval(stats.interval());
            a.apply(a.model().frame(f));
        });
    }

    private HostInfo.Features features;

    /** The kernel paths this host offers, probed once (on the refresh loop's thread, never the screen's). */
    private HostInfo.Features features() {
        if (features == null && session.host().isLive()) {
            try {
                features = session.host().features().toModel();
            } catch (InspectorException e) {
                return null;
            }
        }
        return features;
    }

    @Override
    public void exited(TargetExit exit) {
        first.countDown();
        TuiApp a = app;
        if (a != null && !closed) {
            a.post(() -> {
                if (!closed) {
                    a.model().exited(exit);
                }
            });
        }
    }

    @Override
    public synchronized void failed(InspectorException error, Refresh.Stats stats) {
        if (first.getCount() > 0) {
            firstError = error;
            first.countDown();
            if (started) {
                TuiApp a = app;
                a.post(() -> a.fail(error));
            }
            return;
        }
        TuiApp a = app;
        if (a != null && !closed) {
            a.post(() -> {
                if (!closed) {
                    a.model().failed(error.getMessage());
                }
            });
        }
    }

    @Override
    public void effect(Effect e, TuiApp a) {
        if (e instanceof Effect.Pause p) {
            if (p.paused()) {
                refresh.pause();
            } else {
                refresh.resume();
            }
        } else if (e instanceof Effect.RefreshNow) {
            refresh.refreshNow();
        } else if (e instanceof Effect.SetInterval i) {
            refresh.setInterval(i.interval());
        } else if (e instanceof Effect.Baseline) {
            refresh.refreshNow(); // the next point is diffed against the new baseline (or without one)
        }
    }

    @Override
    public InspectionSession session() {
        return detail;
    }

    @Override
    public void stop() {
        closed = true;
        refresh.stop();
    }
}

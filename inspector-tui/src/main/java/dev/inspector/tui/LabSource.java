package dev.inspector.tui;

import dev.inspector.core.InspectorException;
import dev.inspector.core.claims.Outcome;
import dev.inspector.core.claims.Verdict;
import dev.inspector.core.lab.Lab;
import dev.inspector.core.lab.LabStep;
import dev.inspector.core.lab.StepResult;
import dev.inspector.core.session.Host;
import dev.inspector.present.LabView;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code inspector lab --tui}: the lab's steps run one by one on the inspector's own process while the map screen
 * shows that process live, so each mmap, mprotect split, madvise and brk appears in the table and the address-space
 * column as it happens. A step runs every {@code pace} (or at once with {@code x}); the header line says which step
 * ran and its verdict. The lab runs on its own thread (it counts its faults there) and is closed when the screen ends.
 */
public final class LabSource extends LiveSource {

    private final Lab lab;
    private final Duration pace;
    private final ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tui-lab");
        t.setDaemon(true);
        return t;
    });
    private final List<StepResult> results = new ArrayList<>();
    private int next;
    private ScheduledFuture<?> timer;
    private volatile boolean paused;
    private TuiApp app;

    public LabSource(Host host, Lab lab, Duration interval, double cpuBudget, Duration pace) {
        super(host, host.selfPid(), interval, cpuBudget);
        this.lab = lab;
        this.pace = pace;
    }

    @Override
    public synchronized void start(TuiApp a) {
        this.app = a;
        super.start(a);
        a.post(() -> a.model().lab("step 0/" + Lab.STEPS.size() + ": the lab starts in "
                + MapModel.durationText(pace) + " (x: now, Space: pause)", Paint.LABEL));
        schedule();
    }

    private synchronized void schedule() {
        if (next < Lab.STEPS.size() && !paused) {
            timer = exec.schedule(this::runNext, pace.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void runNext() {
        int i;
        synchronized (this) {
            if (next >= Lab.STEPS.size()) {
                return;
            }
            i = next++;
        }
        LabStep step = Lab.STEPS.get(i);
        String status;
        Paint paint;
        Long touched = null;
        try {
            StepResult r = lab.runThrough(step.name()).get(0);
            touched = touched(r);
            synchronized (results) {
                results.add(r);
            }
            status = "step " + (i + 1) + "/" + Lab.STEPS.size() + " " + step.name() + ": " + LabView.word(r.verdict())
                    + " · " + r.reason() + " · " + r.call();
            paint = paint(r.verdict());
        } catch (InspectorException | IllegalStateException e) {
            status = "step " + (i + 1) + " " + step.name() + " failed: " + e.getMessage();
            paint = Paint.ERROR;
        }
        if (i == Lab.STEPS.size() - 1) {
            Outcome all;
            synchronized (results) {
                all = Lab.overall(results);
            }
            status += "  ·  all " + Lab.STEPS.size() + " steps ran: " + all.reason();
        }
        String s = status;
        Paint p = paint;
        TuiApp a = app;
        Long at = touched;
        a.post(() -> {
            a.model().lab(s, p);
            if (at != null) {
                a.apply(a.model().focusAddress(at)); // the mapping the step made or changed, selected and in view
            }
        });
        a.post(() -> effect(new Effect.RefreshNow(), a)); // show the map the step left behind at once
        schedule();
    }

    /**
     * The address a step is about: the start of the range it worked on while something is mapped there after it
     * (an mmap, an madvise), or of the part whose protection changed (an mprotect split); after an munmap, the mapping below the hole; a step without a range
     * (brk), the heap.
     */
    static Long touched(StepResult r) {
        dev.inspector.core.lab.Observation after = r.after();
        dev.inspector.core.lab.Observation before = r.before();
        if (Lab.BRK.equals(r.name()) && after.heap() != null) {
            return after.heap().start(); // the break is moved back at once: the range above it is gone again
        }
        if (after.range() != null && !after.unmapped()) {
            // The part whose protection changed (the middle of an mprotect split), else the range's start.
            for (dev.inspector.core.model.Mapping m : after.lines()) {
                int i = dev.inspector.core.model.Mapping.indexContaining(before.lines(), m.start());
                if (i >= 0 && !before.lines().get(i).perms().equals(m.perms())) {
                    return m.start();
                }
            }
            return after.range().start();
        }
        if (after.range() != null) {
            return after.previous() != null ? after.previous().start() : after.range().start();
        }
        if (after.heap() != null) {
            return after.heap().start();
        }
        return before.range() == null ? null : before.range().start();
    }

    static Paint paint(Verdict v) {
        switch (v) {
            case HOLDS:
                return Paint.ADDED;
            case HOLDS_WITH_NUANCE:
                return Paint.CHANGED;
            case DIFFERS:
                return Paint.ERROR;
            default:
                return Paint.WARNING;
        }
    }

    @Override
    public void effect(Effect e, TuiApp a) {
        if (e instanceof Effect.NextLabStep) {
            synchronized (this) {
                if (timer != null) {
                    timer.cancel(false);
                }
            }
            exec.execute(this::runNext);
            return;
        }
        if (e instanceof Effect.Pause p) {
            synchronized (this) {
                paused = p.paused();
                if (paused && timer != null) {
                    timer.cancel(false);
                } else if (!paused) {
                    schedule();
                }
            }
        }
        super.effect(e, a);
    }

    /** The steps that ran, for the exit status (a step that differs fails the run, as in the text lab). */
    public List<StepResult> results() {
        synchronized (results) {
            return List.copyOf(results);
        }
    }

    @Override
    public void stop() {
        super.stop();
        exec.shutdownNow();
        try {
            exec.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lab.close();
    }
}

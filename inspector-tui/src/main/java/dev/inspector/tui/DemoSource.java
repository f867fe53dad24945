package dev.inspector.tui;

import dev.inspector.core.InspectorException;
import dev.inspector.core.claims.Verdict;
import dev.inspector.core.demo.Demo;
import dev.inspector.core.demo.DemoRun;
import dev.inspector.core.demo.DemoRunner;
import dev.inspector.core.demo.SampleStep;
import dev.inspector.core.demo.StepReport;
import dev.inspector.core.diff.RegionChange;
import dev.inspector.core.session.Host;
import dev.inspector.core.session.InspectionSession;
import dev.inspector.core.session.TargetExit;
import dev.inspector.present.Block;
import dev.inspector.present.DemoView;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * {@code inspector demo NAME --tui}: core's {@link DemoRunner} plays the demo on its own thread while the map screen
 * shows the sample's process live (a {@link LiveSource} on its pid, started when the runner has started it). At each
 * stop the sample is held stopped (the runner's protocol) while the step's narration, the change in its map and every
 * claim with its verdict go to the "Step" pane, the header says the step and its verdicts, the map is refreshed at
 * once and the mapping the step touched is selected; Enter (or {@code x}) lets the runner go on. With a pace (the
 * command's {@code --yes}) it goes on by itself after that time. The run's result gives the exit status afterwards.
 */
public final class DemoSource implements TuiApp.Source {

    /** Thrown into the runner when the screen ends mid-demo: the runner then ends the sample. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super("the screen was closed", null, false, false);
        }
    }

    private final Host host;
    private final DemoRunner runner;
    private final Demo demo;
    private final List<String> args;
    private final Duration interval;
    private final double cpuBudget;
    private final Duration pace;
    private final Semaphore next = new Semaphore(0);
    private volatile boolean stopped;
    private volatile LiveSource live;
    private volatile TuiApp app;
    private volatile DemoRun run;
    private volatile RuntimeException error;
    private volatile List<String> command = List.of();
    private volatile int pid;
    private Thread thread;
    private final List<StepReport> reports = new ArrayList<>();

    /** {@code pace}: null waits for Enter at each stop; otherwise goes on after that long. */
    public DemoSource(Host host, DemoRunner runner, Demo demo, List<String> args, Duration interval, double cpuBudget,
                      Duration pace) {
        this.host = host;
        this.runner = runner;
        this.demo = demo;
        this.args = List.copyOf(args);
        this.interval = interval;
        this.cpuBudget = cpuBudget;
        this.pace = pace;
    }

    @Override
    public synchronized void start(TuiApp a) {
        this.app = a;
        a.post(() -> a.model().story("starting " + demo.program() + " · " + demo.title(), Paint.LABEL,
                Styled.of(DemoView.header(demo, List.of(), 0))));
        thread = new Thread(this::play, "tui-demo");
        thread.setDaemon(true);
        thread.start();
    }

    private void play() {
        TuiApp a = app;
        try {
            DemoRun r = runner.run(demo, args, new DemoRunner.Listener() {
                @Override
                public void started(Demo d, List<String> command, int pid) {
                    DemoSource.this.command = List.copyOf(command);
                    DemoSource.this.pid = pid;
                    LiveSource l = new LiveSource(host, pid, interval, cpuBudget);
                    live = l;
                    l.begin();
                    l.start(a);
                    List<Block> head = DemoView.header(d, command, pid);
                    a.post(() -> a.model().story("started " + d.program() + " (pid " + pid + ") · " + d.title(),
                            Paint.LABEL, Styled.of(head)));
                }

                @Override
                public void stopped(StepReport r) {
                    synchronized (reports) {
                        reports.add(r);
                    }
                    show(a, r);
                    if (!demo.last().contains(r.name())) {
                        await();
                    }
                }
            });
            run = r;
            List<Styled> end = Styled.of(DemoView.summary(r));
            String line = "the demo ended: " + r.outcome().reason() + " · q quits";
            Paint p = LabSource.paint(r.outcome().verdict());
            // The runner is the sample's parent and has its status; the map, reading /proc, could only say "not
            // visible to a non-parent". Its loop is stopped so that guess never replaces the status.
            LiveSource l = live;
            if (l != null) {
                l.stop();
            }
            TargetExit exit = exit(r.pid(), r.exitStatus());
            a.post(() -> {
                a.model().exited(exit);
                List<Styled> all = new ArrayList<>(a.model().story());
                all.addAll(end);
                a.model().story(line, p, all);
            });
        } catch (Stopped e) {
            // the screen ended first; the runner has ended the sample
        } catch (InspectorException | IllegalStateException | java.io.UncheckedIOException e) {
            if (!stopped) {
                error = e;
                String why = e.getMessage();
                a.post(() -> a.model().story("the demo stopped: " + why + " · q quits", Paint.ERROR,
                        List.of(new Styled("the demo stopped: " + why, Paint.ERROR, null))));
            }
        }
    }

    /** How the sample ended, from the status its parent (the runner) collected: 128 + N is signal N. */
    static TargetExit exit(int pid, int status) {
        if (status > 128) {
            return new TargetExit(pid, java.time.Instant.now(), -(status - 128), "killed by "
                    + TargetExit.signalName(status - 128), false);
        }
        return new TargetExit(pid, java.time.Instant.now(), status, "exited with status " + status, false);
    }

    /** A stop on the screen: narration and verdicts, the map refreshed now, the touched mapping selected. */
    private void show(TuiApp a, StepReport r) {
        List<Styled> lines = Styled.of(DemoView.step(r));
        while (!lines.isEmpty() && lines.get(0).text().isBlank()) {
            lines.remove(0);
        }
        if (!demo.last().contains(r.name())) {
            lines.add(new Styled(pace == null
                    ? "Enter: next step (the sample stays stopped until then)"
                    : "next step in " + MapModel.durationText(pace) + " (x: now)", Paint.MUTED, null));
        }
        Verdict v = r.outcome() == null ? null : r.outcome().verdict();
        String status = "step " + r.index() + " " + r.name() + (r.outcome() == null ? "" : ": "
                + DemoView.word(v) + " · " + r.outcome().reason());
        Paint p = v == null ? Paint.LABEL : LabSource.paint(v);
        Long at = touched(r);
        LiveSource l = follow(a, r.announced().pid());
        a.post(() -> {
            a.model().story(status, p, lines);
            if (at != null) {
                a.apply(a.model().focusAddress(at));
            }
            if (l != null) {
                l.effect(new Effect.RefreshNow(), a); // the map as the stopped sample has it now
            }
        });
    }

    /**
     * The live map of the process that announced the stop: a forked child's own (cow_fork's child steps), the
     * sample's again when it announces next. The old view is stopped first, so its process's exit (the child's, which
     * ends after its steps) never reaches the screen as the sample's.
     */
    private LiveSource follow(TuiApp a, int pid) {
        LiveSource old = live;
        if (pid <= 0 || old == null || old.pid() == pid) {
            return old;
        }
        old.stop();
        LiveSource l = new LiveSource(host, pid, interval, cpuBudget);
        live = l;
        a.post(() -> a.model().follow());
        l.begin();
        l.start(a);
        return l;
    }

    /**
     * The address the step is about: the last range or address the sample announced (the most specific: a demo's
     * "range.read" after its "range.anon"), else the first mapping the step changed.
     */
    static Long touched(StepReport r) {
        SampleStep s = r.announced();
        Long at = null;
        for (Map.Entry<String, String> e : s.values().entrySet()) {
            String k = e.getKey();
            try {
                if (k.startsWith("range.")) {
                    at = s.range(k.substring(6)).lo();
                } else if (k.startsWith("addr.")) {
                    at = s.addr(k.substring(5));
                }
            } catch (InspectorException ignored) {
                // a value that is not an address: not one to select
            }
        }
        if (at == null && r.change() != null) {
            for (RegionChange c : r.change().mappings()) {
                if (!c.after().isEmpty()) {
                    return c.after().get(0).mapping().start();
                }
            }
        }
        return at;
    }

    /** Waits for Enter (or the pace), or throws {@link Stopped} when the screen ended. */
    private void await() {
        try {
            if (pace == null) {
                next.acquire();
            } else {
                next.tryAcquire(pace.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopped();
        }
        next.drainPermits();
        if (stopped) {
            throw new Stopped();
        }
    }

    @Override
    public void effect(Effect e, TuiApp a) {
        if (e instanceof Effect.NextLabStep) {
            next.release();
            return;
        }
        LiveSource l = live;
        if (l != null) {
            l.effect(e, a);
        }
    }

    @Override
    public InspectionSession session() {
        LiveSource l = live;
        return l == null ? null : l.session();
    }

    /** The stops shown so far. */
    public List<StepReport> reports() {
        synchronized (reports) {
            return List.copyOf(reports);
        }
    }

    /** The sample's command line as started (empty until then). */
    public List<String> command() {
        return command;
    }

    /** The sample's pid (0 until it started). */
    public int pid() {
        return pid;
    }

    /** The finished run (null when it did not finish: the screen was closed first, or it failed). */
    public DemoRun run() {
        return run;
    }

    /** What stopped the run (a sample that misbehaved ...), or null. */
    public RuntimeException error() {
        return error;
    }

    @Override
    public void stop() {
        stopped = true;
        next.release();
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(10)); // the runner ends the sample on its way out
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LiveSource l = live;
        if (l != null) {
            l.stop();
        }
    }
}

package dev.inspector.tui;

import com.googlecode.lanterna.TerminalPosition;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.Screen;
import com.googlecode.lanterna.screen.TerminalScreen;
import dev.inspector.core.InspectorException;
import dev.inspector.core.json.SnapshotJson;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.PageRun;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.residency.AddressTranslation;
import dev.inspector.core.residency.HeatMap;
import dev.inspector.core.residency.MappingResidency;
import dev.inspector.core.residency.ResidencyOptions;
import dev.inspector.core.residency.ResidencyReport;
import dev.inspector.core.session.InspectionSession;
import dev.inspector.present.TranslateView;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the map screen: the screen's thread owns the {@link MapModel} and draws it; a reader thread turns key presses
 * into events; the {@link Source} (a refresh loop, a replay, the lab) delivers points from its own thread; a worker
 * reads heat maps, translations, the baseline's pages and saves files. Nothing that reads /proc runs on the screen's
 * thread, so keys are answered while a 60,000-mapping smaps is being read. Everything reaches the model as a task on
 * one queue, in order.
 */
public final class TuiApp {

    /** Where points come from. */
    public interface Source {
        /** Starts delivering to {@code app} ({@link #post}); called before the screen starts. */
        void start(TuiApp app);

        /** Carries out what the model asked (pause, refresh now, interval, baseline, replay steps, lab steps). */
        void effect(Effect e, TuiApp app);

        /** The live session for heat maps and translations, or null (a replay reads nothing). */
        InspectionSession session();

        void stop();
    }

    private final Screen screen;
    private final MapModel model;
    private final Palette palette;
    private final Source source;
    private final BlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(daemon("tui-worker"));
    private final ExecutorService detailWorker = Executors.newSingleThreadExecutor(daemon("tui-detail"));
    private final AtomicLong latestDetail = new AtomicLong();
    private final AtomicReference<PageDiff> baselinePages = new AtomicReference<>();
    private final AtomicReference<Snapshot> baseline = new AtomicReference<>();
    private volatile boolean done;
    private int code;
    private Throwable failure;
    private boolean dirty = true;
    private boolean complete;
    /** Time of the last draw's start and its cost, for the bench. */
    private volatile long lastDrawNanos;
    private final List<Runnable> afterDraw = new ArrayList<>();

    private final Keyboard keyboard;

    public TuiApp(Screen screen, Keyboard keyboard, MapModel model, Palette palette, Source source) {
        this.screen = screen;
        this.keyboard = keyboard;
        this.model = model;
        this.palette = palette;
        this.source = source;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    public MapModel model() {
        return model;
    }

    /** The baseline a source diffs against (null: none); set from the screen's thread by the 'b' key. */
    public Snapshot baseline() {
        return baseline.get();
    }

    /** Runs {@code task} on the screen's thread, after what is queued. Any thread. */
    public void post(Runnable task) {
        queue.add(task);
    }

    /** Runs the screen until quit; returns the exit code. The terminal is restored by the caller's finally. */
    public int run() throws IOException {
        TerminalSize size = screen.getTerminalSize();
        apply(model.resize(size.getColumns(), size.getRows()));
        keyboard.to(this::key, e -> post(() -> fail(e)));
        try {
            while (!done) {
                Runnable r;
                try {
                    r = queue.poll(250, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                while (r != null && !done) {
                    r.run();
                    dirty = true;
                    r = queue.poll();
                }
                TerminalSize ns = screen.doResizeIfNecessary();
                if (ns != null) {
                    apply(model.resize(ns.getColumns(), ns.getRows()));
                    dirty = true;
                    complete = true; // the terminal reflowed what it showed: redraw every cell, not the differences
                }
                if (dirty && !done) {
                    draw();
                }
            }
        } finally {
            done = true;
            source.stop();
            worker.shutdownNow();
            detailWorker.shutdownNow();
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof IOException io) {
            throw io;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
        return code;
    }

    /** Draws the model now (the screen's thread). */
    public void draw() throws IOException {
        long t0 = System.nanoTime();
        TerminalSize s = screen.getTerminalSize();
        Canvas c = new Canvas(screen.newTextGraphics(), palette, s.getColumns(), s.getRows());
        MapScreen.draw(model, c);
        if (model.prompt() != null && !model.layout().tooSmall()) {
            int x = Math.min(s.getColumns() - 1, model.prompt().label().length() + model.promptText().length());
            screen.setCursorPosition(new TerminalPosition(x, s.getRows() - 1));
        } else {
            screen.setCursorPosition(null);
        }
        screen.refresh(complete ? Screen.RefreshType.COMPLETE : Screen.RefreshType.DELTA);
        complete = false;
        lastDrawNanos = System.nanoTime() - t0;
        dirty = false;
        if (firstFrameDrawn != null && model.frame() != null && !model.layout().tooSmall()) {
            Runnable r = firstFrameDrawn;
            firstFrameDrawn = null;
            r.run();
        }
        for (Runnable r : afterDraw) {
            r.run();
        }
        afterDraw.clear();
    }

    /** Runs {@code r} on the screen's thread after the next draw (the bench times keys to the screen). */
    public void afterNextDraw(Runnable r) {
        post(() -> afterDraw.add(r));
    }

    public long lastDrawNanos() {
        return lastDrawNanos;
    }

    private void key(KeyStroke k) {
        if (k.getKeyType() == KeyType.EOF) {
            post(() -> quit(0));
        } else {
            post(() -> {
                apply(model.key(k));
                if (keyDrawn != null) {
                    afterDraw.add(() -> keyDrawn.accept(k));
                }
            });
        }
    }

    private volatile java.util.function.Consumer<KeyStroke> keyDrawn;
    private volatile Runnable firstFrameDrawn;

    /** Called on the screen's thread once the draw that follows a key has reached the terminal (the bench). */
    public void onKeyDrawn(java.util.function.Consumer<KeyStroke> c) {
        keyDrawn = c;
    }

    /** Called once, after the first draw that shows a point (the bench's time to first full screen). */
    public void onFirstFrameDrawn(Runnable r) {
        firstFrameDrawn = r;
    }

    /** Ends the run with {@code code}. */
    public void quit(int exitCode) {
        code = exitCode;
        done = true;
    }

    /** Ends the run with an error the caller reports after the terminal is restored. */
    public void fail(Throwable t) {
        failure = t;
        done = true;
    }

    public boolean done() {
        return done;
    }

    /** Carries out what the model asked for. Screen's thread. */
    public void apply(List<Effect> effects) {
        for (Effect e : effects) {
            if (e instanceof Effect.Quit q) {
                quit(q.code());
            } else if (e instanceof Effect.LoadDetail d) {
                loadDetail(d);
            } else if (e instanceof Effect.Translate t) {
                translate(t.address());
            } else if (e instanceof Effect.Save s) {
                save(s.path());
            } else if (e instanceof Effect.Baseline b) {
                baseline(b.set());
                source.effect(e, this);
            } else {
                source.effect(e, this);
            }
        }
    }

    private void loadDetail(Effect.LoadDetail d) {
        InspectionSession s = source.session();
        if (s == null) {
            return;
        }
        latestDetail.set(d.generation());
        detailWorker.execute(() -> {
            if (latestDetail.get() != d.generation() || done) {
                return; // a newer request came while this one waited
            }
            Detail out = readDetail(s, d, baselinePages.get());
            post(() -> model.detail(out));
        });
    }

    /** One residency read for the detail pane: the heat map of the window, frames when asked, the baseline's diff. */
    static Detail readDetail(InspectionSession s, Effect.LoadDetail d, PageDiff base) {
        Mapping w = d.window();
        if (w.start() < 0) {
            return Detail.failed(d.generation(), d.mapping(), w, "pagemap has no entries for "
                    + d.mapping().path().kernelText() + ": it lies in the kernel half, outside the task's page tables");
        }
        try {
            int ps = s.host().basicInfo().pageSize();
            HeatMap h = new HeatMap(w.start(), w.end(), d.cells(), ps);
            boolean kp = d.frames() && s.host().features().kpageflags().available();
            ResidencyOptions o = ResidencyOptions.summary().withRuns(d.runs() && base != null).withPfns(d.frames())
                    .withKpageflags(kp);
            ResidencyReport r = s.residency(List.of(w), o, h);
            MappingResidency mr = r.mappings().isEmpty() ? null : r.mappings().get(0);
            long[] changed = null;
            if (mr != null && base != null && mr.runs() != null) {
                changed = base.changedPerCell(Long.divideUnsigned(w.start(), ps), w.size() / ps, d.cells(), mr.runs());
            }
            return new Detail(d.generation(), d.mapping(), w, HeatSource.of(h), mr,
                    r.path() == null ? null : r.path().source(), r.reason(), r.pfns(), changed, null);
        } catch (InspectorException e) {
            return Detail.failed(d.generation(), d.mapping(), w, e.getMessage());
        }
    }

    private void translate(long address) {
        InspectionSession s = source.session();
        if (s == null) {
            model.message("translation needs a live process (a replay has no page tables to walk)", Paint.WARNING);
            return;
        }
        worker.execute(() -> {
            String title = "translate 0x" + Long.toHexString(address) + " (Esc closes)";
            List<Styled> lines = new ArrayList<>();
            try {
                AddressTranslation.Result r = s.translate(address);
                // The translate presenter's own rows: the same walk 'inspector translate' prints.
                lines.addAll(Styled.of(TranslateView.present(r, s.host().basicInfo())));
            } catch (InspectorException e) {
                lines.add(new Styled("cannot translate: " + e.getMessage(), Paint.ERROR, null));
            }
            post(() -> model.translated(title, lines));
        });
    }

    private void save(String path) {
        Frame f = model.frame();
        if (f == null) {
            return;
        }
        Snapshot s = f.snapshot();
        worker.execute(() -> {
            try {
                SnapshotJson.write(s, path);
                post(() -> model.message("saved " + s.regions().size() + " mappings at "
                        + MapModel.clock(s.takenAt()) + " to " + path + " (inspector diff, inspector tui FILE read it)",
                        Paint.ADDED));
            } catch (RuntimeException e) {
                // A typed error (unwritable path ...) or a bug in the writer: either way one line, never a silent loss.
                String why = e instanceof InspectorException ? e.getMessage() : e.toString();
                post(() -> model.message("not saved: " + why, Paint.ERROR));
            }
        });
    }

    private void baseline(boolean set) {
        if (!set) {
            baseline.set(null);
            baselinePages.set(null);
            return;
        }
        Frame f = model.frame();
        baseline.set(f.snapshot());
        InspectionSession s = source.session();
        if (s == null) {
            return;
        }
        List<Mapping> maps = new ArrayList<>();
        for (Region r : f.snapshot().regions()) {
            if (r.mapping().start() >= 0) {
                maps.add(r.mapping());
            }
        }
        worker.execute(() -> {
            try {
                int ps = s.host().basicInfo().pageSize();
                ResidencyReport r = s.residency(maps, ResidencyOptions.defaults(), null);
                long[] starts = new long[r.mappings().size()];
                List<List<PageRun>> runs = new ArrayList<>();
                for (int i = 0; i < starts.length; i++) {
                    MappingResidency m = r.mappings().get(i);
                    starts[i] = m.mapping().start() / ps;
                    runs.add(m.runs() == null ? List.of() : m.runs());
                }
                PageDiff pd = PageDiff.of(starts, runs);
                post(() -> {
                    if (baseline.get() != null) {
                        baselinePages.set(pd);
                        apply(model.reloadDetail()); // the heat map again, against the pages just taken
                    }
                });
            } catch (InspectorException e) {
                post(() -> model.message("baseline without pages: " + e.getMessage(), Paint.WARNING));
            }
        });
    }

    /** A screen on the process's terminal, Ctrl-C delivered as a key (so it quits through the same path as q). */
    public static TerminalScreen terminalScreen() throws IOException {
        com.googlecode.lanterna.terminal.DefaultTerminalFactory f = new com.googlecode.lanterna.terminal
                .DefaultTerminalFactory(System.out, System.in, java.nio.charset.StandardCharsets.UTF_8)
                .setForceTextTerminal(true)
                .setUnixTerminalCtrlCBehaviour(com.googlecode.lanterna.terminal.ansi.UnixLikeTerminal.CtrlCBehaviour.TRAP);
        return new TerminalScreen(f.createTerminal());
    }
}

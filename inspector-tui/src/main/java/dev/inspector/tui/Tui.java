package dev.inspector.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.screen.Screen;
import com.googlecode.lanterna.screen.TerminalScreen;
import dev.inspector.core.InspectorException;
import dev.inspector.core.model.ProcessList;
import dev.inspector.core.session.Host;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The terminal side of {@code inspector tui}: opens the screen (alternate screen, raw keys, Ctrl-C as a key), runs
 * the picker and the map on it, and restores the terminal on every way out: q, Ctrl-C, the end of input, an
 * exception (in a finally) and SIGTERM (Lanterna's shutdown hook restores the tty settings and leaves the alternate
 * screen). Errors that prevent a first point are thrown before the screen starts, so they are one line on a normal
 * terminal.
 */
public final class Tui implements AutoCloseable {

    /** How long the map waits for the first point before drawing "reading ..." (a huge process). */
    static final Duration FIRST_POINT_WAIT = Duration.ofSeconds(5);

    private final Screen screen;
    private final Keyboard keyboard;
    private final Palette palette;

    private Tui(Screen screen, Palette palette) throws IOException {
        this.screen = screen;
        this.palette = palette;
        screen.startScreen();
        this.keyboard = new Keyboard(screen).start();
    }

    /** The process's own terminal. */
    public static Tui open(Palette palette) throws IOException {
        return new Tui(TuiApp.terminalScreen(), palette);
    }

    /** Any screen (tests use Lanterna's virtual terminal). */
    public static Tui on(Screen screen, Palette palette) throws IOException {
        return new Tui(screen, palette);
    }

    public Screen screen() {
        return screen;
    }

    /** Shows the map of {@code source} until quit; returns the exit code. */
    public int map(MapModel model, TuiApp.Source source) throws IOException {
        return map(model, source, app -> { });
    }

    /** The same, with {@code configure} called on the app before it starts (the bench installs its probes). */
    public int map(MapModel model, TuiApp.Source source, java.util.function.Consumer<TuiApp> configure)
            throws IOException {
        TuiApp app = new TuiApp(screen, keyboard, model, palette, source);
        configure.accept(app);
        source.start(app);
        return app.run();
    }

    /**
     * The picker, until a process is chosen whose first point could be read ({@code open} makes its source and
     * waits for that point; its typed error is shown in the picker and the user chooses again) or the user quits.
     * Returns the chosen source, or null with {@link #pickerExit()} set.
     */
    public LiveSource pick(Host host, java.util.function.IntFunction<LiveSource> open) throws IOException {
        PickerModel m = new PickerModel(host.selfPid());
        BlockingQueue<Runnable> q = new LinkedBlockingQueue<>();
        ScheduledExecutorService scan = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tui-picker-scan");
            t.setDaemon(true);
            return t;
        });
        Supplier<ProcessList> list = host::processes;
        scan.scheduleWithFixedDelay(() -> {
            try {
                ProcessList l = list.get();
                q.add(() -> m.list(l));
            } catch (RuntimeException e) {
                q.add(() -> m.message("cannot list processes: " + e.getMessage(), Paint.ERROR));
            }
        }, 0, 2, TimeUnit.SECONDS);
        PickerModel.Choice[] choice = {null};
        keyboard.to((KeyStroke k) -> q.add(() -> {
            PickerModel.Choice c = m.key(k);
            if (c.pid() != null || c.quit() != null) {
                choice[0] = c;
            }
        }), e -> q.add(() -> choice[0] = new PickerModel.Choice(null, 1)));
        try {
            while (true) {
                TerminalSize ns = screen.doResizeIfNecessary();
                TerminalSize s = ns != null ? ns : screen.getTerminalSize();
                m.pageRows(PickerScreen.pageRows(s.getRows()));
                PickerScreen.draw(m, new Canvas(screen.newTextGraphics(), palette, s.getColumns(), s.getRows()));
                screen.setCursorPosition(null);
                screen.refresh(ns != null ? Screen.RefreshType.COMPLETE : Screen.RefreshType.DELTA);
                Runnable r;
                try {
                    r = q.poll(250, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    pickerExit = 130;
                    return null;
                }
                while (r != null) {
                    r.run();
                    r = q.poll();
                }
                PickerModel.Choice c = choice[0];
                choice[0] = null;
                if (c == null) {
                    continue;
                }
                if (c.quit() != null) {
                    pickerExit = c.quit();
                    return null;
                }
                m.message("reading pid " + c.pid() + " ...", Paint.MUTED);
                PickerScreen.draw(m, new Canvas(screen.newTextGraphics(), palette, s.getColumns(), s.getRows()));
                screen.refresh(Screen.RefreshType.DELTA);
                try {
                    return open.apply(c.pid());
                } catch (InspectorException e) {
                    m.message("pid " + c.pid() + ": " + e.getMessage(), Paint.ERROR);
                }
            }
        } finally {
            scan.shutdownNow();
        }
    }

    private int pickerExit;

    /** The exit code when {@link #pick} returned null (0: quit, 130: Ctrl-C). */
    public int pickerExit() {
        return pickerExit;
    }

    @Override
    public void close() {
        keyboard.stop();
        try {
            if (screen instanceof TerminalScreen ts) {
                ts.stopScreen(false);
                ts.getTerminal().close();
            } else {
                screen.stopScreen();
            }
        } catch (IOException | RuntimeException e) {
            // The terminal is gone (hung up): nothing left to restore.
        }
    }
}

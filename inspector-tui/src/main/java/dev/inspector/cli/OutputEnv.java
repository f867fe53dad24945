package dev.inspector.cli;

import dev.inspector.core.session.Terminal;
import dev.inspector.present.Glyphs;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * Where a run's output goes and how it may look: whether standard output is a terminal and how wide, whether the
 * locale is UTF-8, and the environment (NO_COLOR, TERM). {@link Main#main} takes them from the process; a test makes
 * its own ({@link #pipe()}, {@link #terminal(int, boolean)}), so output does not depend on where the tests run.
 *
 * <p>The terminal is probed only for a command that draws text ({@link #startProbe()}), and on a second thread: on a
 * terminal the width needs the native layer, whose loading then overlaps the command's reading of /proc.
 */
public final class OutputEnv {

    private final Map<String, String> env;
    private final boolean utf8;
    private final boolean system;
    private volatile Future<Terminal> terminal;

    private OutputEnv(Map<String, String> env, boolean utf8, Future<Terminal> terminal, boolean system) {
        this.env = Map.copyOf(env);
        this.utf8 = utf8;
        this.terminal = terminal;
        this.system = system;
    }

    /** This process: its standard output, its locale, its environment. */
    public static OutputEnv system() {
        Map<String, String> e = System.getenv();
        return new OutputEnv(e, Glyphs.utf8(e), null, true);
    }

    /** Output into a pipe in a UTF-8 locale, with an empty environment: what the in-process tests see. */
    public static OutputEnv pipe() {
        return new OutputEnv(Map.of(), true, CompletableFuture.completedFuture(Terminal.none()), false);
    }

    /** A terminal {@code columns} wide with TERM set (colour when asked for "auto"), in a UTF-8 locale or not. */
    public static OutputEnv terminal(int columns, boolean utf8) {
        return new OutputEnv(Map.of("TERM", "xterm"), utf8, CompletableFuture.completedFuture(Terminal.of(columns)),
                false);
    }

    /** The same output with another environment (the locale decided from it): for tests of NO_COLOR, LANG ... */
    public OutputEnv with(Map<String, String> environment) {
        return new OutputEnv(environment, Glyphs.utf8(environment), terminal, system);
    }

    /** Starts deciding what standard output is, if not started yet (a command that draws text calls it first). */
    void startProbe() {
        if (terminal == null && system) {
            synchronized (this) {
                if (terminal == null) {
                    terminal = Terminal.probeStdout(env);
                }
            }
        }
    }

    /** What standard output is; waits for the probe (started now if it was not). */
    public Terminal terminal() {
        startProbe();
        return terminal == null ? Terminal.none() : Terminal.await(terminal);
    }

    public boolean utf8() {
        return utf8;
    }

    public Map<String, String> env() {
        return env;
    }
}

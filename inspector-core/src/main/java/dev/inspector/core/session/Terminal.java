package dev.inspector.core.session;

import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.sys.Sys;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * What the inspector's standard output is: a terminal {@link #columns()} wide, or not a terminal (a pipe, a file), in
 * which case nothing is ever fitted to a width and scripts get every cell whole.
 *
 * <p>How it is decided ({@link #stdout}), cheapest first: a readlink of {@code /proc/self/fd/1} rules out pipes,
 * sockets and files without native code (the piped runs that scripts and benchmarks make stay as fast as before). For
 * what may be a terminal, the width is {@code COLUMNS} when it is set to a number (the convention of ls and ps, and a
 * way to force a width), else the terminal's own (ioctl TIOCGWINSZ on fd 1, through the native layer), else 80.
 * Running {@code stty size} would cost a fork and an exec on every run, so it is not done. Loading the native layer
 * costs tens of milliseconds on a cold JVM, so {@link #probeStdout} starts it on a second thread, overlapping the
 * command's own reading of /proc.
 */
public record Terminal(boolean isTerminal, int columns) {

    /** The width assumed for a terminal that does not say. */
    public static final int DEFAULT_COLUMNS = 80;
    /** No terminal is narrower than this for our purposes: fitting to fewer columns would show only marks. */
    public static final int MIN_COLUMNS = 20;

    public Terminal {
        if (isTerminal && columns < 1 || !isTerminal && columns != 0) {
            throw new IllegalArgumentException("a terminal has a width; anything else has none");
        }
    }

    /** Not a terminal: output is written whole. */
    public static Terminal none() {
        return new Terminal(false, 0);
    }

    /** A terminal of this many columns (tests, and {@code --width}). */
    public static Terminal of(int columns) {
        return new Terminal(true, Math.max(MIN_COLUMNS, columns));
    }

    /** Decides for standard output now (see the class comment). */
    public static Terminal stdout(Map<String, String> env) {
        boolean console = System.console() != null; // stdin and stdout both terminals: no native call needed
        if (!console && !mayBeTerminal(ProcFs.fdTarget(1))) {
            return none();
        }
        int columns = columns(env.get("COLUMNS"));
        if (columns > 0 && console) {
            return of(columns);
        }
        int ws = Sys.terminalColumns(1);
        if (ws < 0) {
            return none();
        }
        return of(columns > 0 ? columns : ws > 0 ? ws : DEFAULT_COLUMNS);
    }

    /** {@link #stdout} on a second thread when it may need the native layer; at once when it cannot. */
    public static Future<Terminal> probeStdout(Map<String, String> env) {
        if (System.console() == null && !mayBeTerminal(ProcFs.fdTarget(1))) {
            return CompletableFuture.completedFuture(none());
        }
        if (System.console() != null && columns(env.get("COLUMNS")) > 0) {
            return CompletableFuture.completedFuture(of(columns(env.get("COLUMNS"))));
        }
        java.util.concurrent.FutureTask<Terminal> task = new java.util.concurrent.FutureTask<>(() -> stdout(env));
        Thread t = new Thread(task, "terminal-probe");
        t.setDaemon(true);
        t.start();
        return task;
    }

    /** The result of {@link #probeStdout}; a probe that failed means no terminal (output is then written whole). */
    public static Terminal await(Future<Terminal> probe) {
        try {
            return probe.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return none();
        } catch (ExecutionException e) {
            return none();
        }
    }

    /**
     * Whether a file descriptor's link target can be a terminal: a device under /dev other than the null device, or
     * an unreadable link (then only the ioctl can tell).
     */
    static boolean mayBeTerminal(String target) {
        return target == null || target.startsWith("/dev/") && !target.equals("/dev/null");
    }

    /** COLUMNS as a width: a positive decimal number, else 0 (unset, empty or not a number: ignored). */
    static int columns(String value) {
        if (value == null || value.isEmpty() || value.length() > 5) {
            return 0;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return 0;
            }
        }
        return Integer.parseInt(value);
    }
}

package dev.inspector.core.demo;

import dev.inspector.core.NativeCallFailed;
import dev.inspector.core.sys.Sys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** What {@link SampleProgram} and {@link ProgramRun} both do with a child process: drain it, signal it, end it. */
final class Children {

    private Children() {
    }

    /**
     * Sends SIGCONT with kill(2) (Java's Process API sends only SIGTERM and SIGKILL). False when the pid is gone (no
     * failure for a child that just exited) or the signal was refused.
     */
    static boolean sigcont(long pid) {
        try {
            return Sys.kill((int) pid, Sys.SIGCONT);
        } catch (NativeCallFailed e) {
            return false;
        }
    }

    /**
     * Ends a child that may be stopped: SIGTERM (a sample runs its cleanup: many_vmas removes its temp directory),
     * SIGCONT (a stopped process handles SIGTERM only once continued), SIGKILL when it is still there after 5 s.
     * Returns with the child reaped, or with the interrupt flag set after a SIGKILL.
     */
    static void terminate(Process p) {
        try {
            if (p.isAlive()) {
                p.destroy();
                sigcont(p.pid()); // it may exit between the two signals: a failure here is covered by the SIGKILL
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Copies a stream into {@code into} until EOF, on the calling thread. */
    static void drain(InputStream in, StringBuffer into) {
        byte[] buf = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buf)) > 0; ) {
                into.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            into.append("[read failed: ").append(e.getMessage()).append("]");
        }
    }

    static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    static void join(Thread t, long millis) {
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A timeout for a message: whole seconds as "30 s", others as "0.3 s". */
    static String seconds(java.time.Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    /**
     * The end of a program's output as one line for a message: its last three lines (at most 240 characters) joined
     * with " | ", or "(none)".
     */
    static String tail(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            return "(none)";
        }
        int cut = t.length();
        for (int lines = 0; lines < 3 && cut > 0; lines++) {
            cut = t.lastIndexOf('\n', cut - 1);
            if (cut < 0) {
                cut = 0;
                break;
            }
        }
        String last = t.substring(cut).strip().replace("\r", "").replace("\n", " | ");
        return last.length() <= 240 ? last : "..." + last.substring(last.length() - 237);
    }
}

package dev.inspector.core.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child process whose parent never collects its exit status, so it stays a zombie (state Z) and the kernel keeps its
 * exit code in stat field 52: {@code sh -c 'sh -c "sleep 0.2; CHILD" & echo $!; exec sleep 60'}. The shell prints the
 * child's pid and becomes a {@code sleep}, which never calls wait(2). This JVM, the grandparent, cannot reap it either; closing kills
 * the sleep, and the zombie goes to init with it.
 */
public final class Unreaped implements AutoCloseable {
    private final Process parent;
    private final int pid;

    private Unreaped(Process parent, int pid) {
        this.parent = parent;
        this.pid = pid;
    }

    /** {@code script} run by {@code sh -c} as the child; {@code prefix} (e.g. setpriv's arguments) runs them all. */
    public static Unreaped start(List<String> prefix, String script) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        // The child waits a moment first: a shell reaps a child that ended before the shell became the sleep.
        cmd.addAll(List.of("sh", "-c", "sh -c 'sleep 0.2; " + script.replace("'", "'\\''")
                + "' & echo $!; exec sleep 60"));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (line == null) {
            p.destroyForcibly();
            throw new IOException("the shell printed no pid: " + cmd);
        }
        return new Unreaped(p, Integer.parseInt(line.trim()));
    }

    public static Unreaped start(String script) throws IOException {
        return start(List.of(), script);
    }

    public int pid() {
        return pid;
    }

    /** Waits until the child is a zombie (true) or {@code millis} passed (false). */
    public boolean awaitZombie(long millis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < end) {
            if (state() == 'Z') {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }

    /** The state letter from /proc/PID/stat, '?' when gone. */
    public char state() {
        try {
            String st = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
            return st.charAt(st.lastIndexOf(')') + 2);
        } catch (IOException e) {
            return '?';
        }
    }

    @Override
    public void close() throws InterruptedException {
        parent.destroyForcibly();
        parent.waitFor(10, TimeUnit.SECONDS);
    }
}

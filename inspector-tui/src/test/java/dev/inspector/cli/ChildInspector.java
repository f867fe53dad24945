package dev.inspector.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The inspector as a real process (a child JVM running {@link Main}), for what only a process shows: its exit status
 * on a signal, on a closed or full standard output, what it leaves on disk when it is killed.
 */
final class ChildInspector implements AutoCloseable {

    final Process process;

    private ChildInspector(Process process) {
        this.process = process;
    }

    /** Starts {@code Main args}; standard output goes to {@code out} (null: a pipe this side reads), stderr piped. */
    static ChildInspector start(Path out, String... args) throws IOException {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        // SIGINT and SIGTERM at their default disposition whatever this JVM inherited: a build started in the
        // background by a script runs with SIGINT ignored (POSIX), the child would inherit that, and a test of what
        // Ctrl-C does would then see every run finish with 0 and prove nothing.
        List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=INT,TERM", java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (out != null) {
            pb.redirectOutput(out.toFile());
        }
        return new ChildInspector(pb.start());
    }

    long pid() {
        return process.pid();
    }

    /** Sends a signal by name (INT, TERM) with kill(1). */
    void signal(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor();
    }

    /** Waits for the end (at most {@code seconds}) and returns the exit status (128+n when killed by signal n). */
    int await(int seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the inspector did not end within " + seconds + " s");
        }
        return process.exitValue();
    }

    /** Everything it wrote on standard error (after the end). */
    String stderr() throws IOException {
        try (InputStream in = process.getErrorStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}

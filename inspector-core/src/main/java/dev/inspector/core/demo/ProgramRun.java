package dev.inspector.core.demo;

import dev.inspector.core.BadInput;
import dev.inspector.core.SampleFailed;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A program of the samples directory run to completion (the C reference readers, a sample in batch mode): its
 * command, exit code (128+n when killed by signal n), output and wall time from start to exit in nanoseconds.
 */
public record ProgramRun(List<String> command, int exitCode, String stdout, String stderr, long wallNs) {

    public ProgramRun {
        command = List.copyOf(command);
    }

    /** The {@code key=value} pairs of the first stdout line (the reference readers print one such line). */
    public Map<String, String> fields() {
        String first = stdout.lines().findFirst().orElse("");
        return SampleStep.fields(first.split(" "), 0, first);
    }

    /** A decimal field of the first stdout line; a missing or non-numeric one is {@link BadInput}. */
    public long number(String key) {
        String v = fields().get(key);
        if (v == null) {
            throw new BadInput("no '" + key + "=' in the output of " + String.join(" ", command) + ": \""
                    + SampleStep.abbreviate(stdout.strip()) + "\"");
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new BadInput(key + "=" + v + " is not a decimal number in the output of "
                    + String.join(" ", command), e);
        }
    }

    @Override
    public String toString() {
        return String.join(" ", command) + " (exit " + exitCode + ")\nstdout: " + stdout + "\nstderr: " + stderr;
    }

    /**
     * Runs {@code cmd} with stdin from /dev/null and SAMPLE_NOPAUSE=1 (nobody would continue a stopped STEP program
     * here) and without SAMPLE_HOLD. After {@code timeout} the program is ended like {@link SampleProgram#close()}
     * and the run is a {@link SampleFailed}.
     */
    static ProgramRun run(List<String> cmd, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("SAMPLE_NOPAUSE", "1");
        pb.environment().remove("SAMPLE_HOLD");
        StringBuffer out = new StringBuffer();
        StringBuffer err = new StringBuffer();
        String what = String.join(" ", cmd);
        long t0 = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new SampleFailed("cannot start " + what + ": " + e.getMessage(), e);
        }
        Thread to = Children.daemon("run-stdout", () -> Children.drain(p.getInputStream(), out));
        Thread te = Children.daemon("run-stderr", () -> Children.drain(p.getErrorStream(), err));
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                Children.terminate(p);
                throw new SampleFailed(what + " did not finish within " + Children.seconds(timeout) + "; stdout: "
                        + Children.tail(out.toString()) + "; stderr: " + Children.tail(err.toString()));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new SampleFailed("interrupted while running " + what, e);
        }
        long wall = System.nanoTime() - t0;
        Children.join(to, 5000);
        Children.join(te, 5000);
        return new ProgramRun(cmd, p.exitValue(), out.toString(), err.toString(), wall);
    }
}

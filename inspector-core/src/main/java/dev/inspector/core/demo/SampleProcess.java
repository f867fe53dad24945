package dev.inspector.core.demo;

import dev.inspector.core.BadInput;
import dev.inspector.core.ProcessGone;
import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.procfs.parse.StatParser;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A native sample launched by the inspector, followed through its STEP protocol (native-samples/src/pause.h): the
 * sample prints {@code @@STEP <n> <name> pid=<pid> key=value ...} and stops itself with SIGSTOP; we wait until the
 * kernel shows it stopped, look, then send SIGCONT. {@link #close()} always ends the process.
 */
public final class SampleProcess implements AutoCloseable {

    /** One STEP line: its number, name and key=value payload ({@code addr.*}, {@code range.*}, others). */
    public record Step(int number, String name, int pid, Map<String, String> values) {
        public static Step parse(String line) {
            String[] f = line.trim().split(" ");
            if (f.length < 4 || !f[0].equals("@@STEP") || !f[3].startsWith("pid=")) {
                throw new BadInput("not a STEP line: " + line);
            }
            Map<String, String> v = new LinkedHashMap<>();
            for (int i = 4; i < f.length; i++) {
                int eq = f[i].indexOf('=');
                if (eq > 0) {
                    v.put(f[i].substring(0, eq), f[i].substring(eq + 1));
                }
            }
            try {
                return new Step(Integer.parseInt(f[1]), f[2], Integer.parseInt(f[3].substring(4)), v);
            } catch (NumberFormatException e) {
                throw new BadInput("not a STEP line: " + line);
            }
        }

        public long addr(String key) {
            String s = values.get(key);
            if (s == null) {
                throw new BadInput("STEP " + name + " has no " + key);
            }
            return Long.parseUnsignedLong(s.startsWith("0x") ? s.substring(2) : s, 16);
        }

        /** A {@code range.*} value as {lo, hi}. */
        public long[] range(String key) {
            String s = values.get(key);
            int dash = s == null ? -1 : s.indexOf('-');
            if (dash < 0) {
                throw new BadInput("STEP " + name + " has no range " + key);
            }
            return new long[] {parseHex(s.substring(0, dash)), parseHex(s.substring(dash + 1))};
        }

        private static long parseHex(String s) {
            return Long.parseUnsignedLong(s.startsWith("0x") ? s.substring(2) : s, 16);
        }
    }

    private final Process process;
    private final BufferedReader stdout;
    private final String name;
    private final List<String> lines = new ArrayList<>();

    private SampleProcess(Process process, String name) {
        this.process = process;
        this.name = name;
        this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts {@code dir/name args...}; stdin stays open so samples that hold until EOF keep running. */
    public static SampleProcess start(Path dir, String name, Map<String, String> env, String... args) {
        Path exe = dir.resolve(name);
        if (!Files.isExecutable(exe)) {
            throw new BadInput("sample " + exe + " not found; build it with: mvn -B -q -DskipTests package");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(exe.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().putAll(env);
        try {
            return new SampleProcess(pb.start(), name);
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + exe, e);
        }
    }

    public int pid() {
        return (int) process.pid();
    }

    /** Reads stdout until the STEP called {@code stepName}, then waits until the process is stopped (state T). */
    public Step awaitStep(String stepName, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            String line;
            while ((line = stdout.readLine()) != null) {
                lines.add(line);
                if (line.startsWith("@@STEP ")) {
                    Step s = Step.parse(line);
                    if (s.name().equals(stepName)) {
                        awaitStopped(s.pid(), deadline);
                        return s;
                    }
                    cont(s.pid());
                }
                if (System.nanoTime() > deadline) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the output of " + name, e);
        }
        throw new ProcessGone(pid(), name + " ended or timed out before step '" + stepName + "'");
    }

    private static void awaitStopped(int pid, long deadline) {
        ProcFs fs = ProcFs.system();
        Path stat = fs.pidDir(pid).resolve("stat");
        while (System.nanoTime() < deadline) {
            char st = StatParser.parse(fs.readString(stat, pid), stat.toString()).state();
            if (st == 'T' || st == 't') {
                return;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new ProcessGone(pid, "did not stop at its step in time");
    }

    /** Lets a stopped sample run on (SIGCONT). */
    public static void cont(int pid) {
        signal(pid, "CONT");
    }

    private static void signal(int pid, String sig) {
        try {
            new ProcessBuilder("kill", "-" + sig, Integer.toString(pid)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException("kill -" + sig + " " + pid, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ends the sample: SIGTERM (it cleans up its temp files), SIGCONT so a stopped sample acts on it, then SIGKILL. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        signal(pid(), "TERM");
        signal(pid(), "CONT");
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}

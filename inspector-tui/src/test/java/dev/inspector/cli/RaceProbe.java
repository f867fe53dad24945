package dev.inspector.cli;

import dev.inspector.core.session.Host;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Targets that exit at every phase of a command: for each command and delay, starts a target (the sparse_big sample,
 * whose dense pages make its exit take a moment), runs the command against it on another thread, kills the target
 * with SIGKILL after the delay, and reports {@code COMMAND<TAB>DELAY<TAB>STATUS<TAB>FIRST STDERR LINE}. Run
 * in-process for the test's user and as uid 65534 in a JVM of its own ({@link RacesTest}).
 */
public final class RaceProbe {

    static final List<String> COMMANDS = List.of("maps PID", "snapshot PID", "pages PID --path pagemap", "pages PID");
    static final int[] DELAYS_MS = {0, 10, 40, 120};

    private RaceProbe() {
    }

    /** Arguments: the sparse_big program to run, and how many rounds. */
    public static void main(String[] args) throws Exception {
        for (String line : run(Host.system("races"), args[0], Integer.parseInt(args[1]))) {
            System.out.println(line);
        }
    }

    static List<String> run(Host host, String program, int rounds) throws IOException, InterruptedException {
        List<String> out = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            out.addAll(round(host, program));
        }
        return out;
    }

    private static List<String> round(Host host, String program) throws IOException, InterruptedException {
        List<String> out = new ArrayList<>();
        for (String command : COMMANDS) {
            for (int delay : DELAYS_MS) {
                ProcessBuilder pb = new ProcessBuilder(program, "64", "16").redirectError(ProcessBuilder.Redirect.DISCARD);
                pb.environment().put("SAMPLE_NOPAUSE", "1");
                pb.environment().put("SAMPLE_HOLD", "1");
                Process target = pb.start();
                String ready = new BufferedReader(new InputStreamReader(target.getInputStream(),
                        StandardCharsets.US_ASCII)).readLine();
                if (ready == null || !ready.contains(" ready ")) {
                    target.destroyForcibly();
                    throw new IOException(program + " did not announce ready");
                }
                StringWriter err = new StringWriter();
                int[] code = new int[1];
                Thread t = new Thread(() -> code[0] = Main.run(host, new PrintWriter(new StringWriter()),
                        new PrintWriter(err), command.replace("PID", Long.toString(target.pid())).split(" ")));
                t.start();
                Thread.sleep(delay);
                target.destroyForcibly();
                t.join(TimeUnit.SECONDS.toMillis(120));
                target.waitFor(10, TimeUnit.SECONDS);
                String first = err.toString().lines().findFirst().orElse("");
                out.add(command + "\t" + delay + "\t" + code[0] + "\t" + first.replace('\t', ' '));
            }
        }
        return out;
    }
}

package dev.inspector.cli.bench;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import dev.inspector.cli.BaseCommand;
import dev.inspector.cli.ExitCodes;
import dev.inspector.core.BadInput;
import dev.inspector.core.UnsupportedFeature;
import dev.inspector.core.bench.BenchProbes;
import dev.inspector.core.demo.SampleProgram;
import dev.inspector.tui.LiveSource;
import dev.inspector.tui.MapModel;
import dev.inspector.tui.Palette;
import dev.inspector.tui.Tui;
import dev.inspector.tui.TuiApp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * {@code inspector bench tui}: what the live map costs and how fast it answers, on a ~1,000-mapping and a
 * 60,000-mapping process ({@code many_vmas N}, running, held after its "ready" step).
 *
 * <ul>
 * <li>CPU: the real command ({@code inspector tui PID}, through the launcher, so with a user's JVM options) in a
 * 100x30 tmux pane, its CPU time (user+system of the whole JVM, from the OS) over {@code --seconds} after a warm-up,
 * as a share of one core; and the refresh interval it shows at the end (the CPU budget lengthens it).</li>
 * <li>Time to first full screen: the same command, from launch until capture-pane shows the table.</li>
 * <li>Key latency under refresh load: the screen loop in this JVM on Lanterna's virtual terminal, refreshing
 * back to back (interval 250 ms, no budget), keys typed at random moments; from the key entering the terminal to the
 * end of the draw that shows its effect. Includes the virtual terminal's 5 ms key polling (a real terminal blocks).</li>
 * </ul>
 */
@Command(name = "tui", mixinStandardHelpOptions = true,
        header = "The live map: CPU per refresh, key latency, first screen.",
        description = {"The live map's cost: CPU of 'inspector tui PID' over --seconds at a 1 s refresh (goal under 3%%"
            + " of one core on ~1,000 mappings), the interval it settles on for 60,000 mappings, key latency under"
            + " refresh load (goal under 100 ms) and time to the first full screen. Needs tmux."})
public final class BenchTuiCommand extends BaseCommand {

    static final double CPU_GOAL = 0.03;
    static final long KEY_GOAL_MS = 100;

    @Option(names = "--sizes", paramLabel = "N,N", split = ",", defaultValue = "1000,60000",
            description = "Mappings of the many_vmas processes (default: ${DEFAULT-VALUE}).")
    int[] sizes;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "60",
            description = "How long the CPU is measured (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--keys", paramLabel = "N", defaultValue = "100",
            description = "Keys typed for the latency (default: ${DEFAULT-VALUE}).")
    int keys;

    @Option(names = "--repo", paramLabel = "DIR", description = "Repository root (default: found from the jar).")
    Path repo;

    @Override
    protected int execute() throws Exception {
        if (seconds < 5 || keys < 1) {
            throw usage("--seconds must be >= 5 and --keys >= 1");
        }
        Path root = repo != null ? repo : BenchSnapshotCommand.findRepo();
        Path launcher = root.resolve("inspector");
        if (!Files.isExecutable(launcher)) {
            throw new BadInput(launcher + ": no executable launcher; pass --repo DIR");
        }
        if (run(List.of("tmux", "-V")) != 0) {
            throw new UnsupportedFeature("tmux is missing (the command is measured in a real terminal pane);"
                    + " install it with: apt-get install -y tmux");
        }
        PrintWriter out = out();
        out.println("host: " + BenchHost.describe(new BenchProbes(host())));
        out.println("command measured: INSPECTOR_NO_BUILD=1 " + launcher + " tui PID  (tmux pane 100x30, default"
                + " interval 1s, default --cpu-budget 5%)");
        out.flush();
        for (int n : sizes) {
            try (SampleProgram sample = BenchSnapshotCommand.startManyVmas(root, n)) {
                int pid = sample.pid();
                int lines = new BenchProbes(host()).maps(pid).size();
                out.println();
                out.println("many_vmas " + n + ": pid " + pid + ", " + lines + " mappings");
                out.flush();
                command(launcher, pid, out);
                latency(launcher, pid, out);
            }
        }
        return ExitCodes.OK;
    }

    /** The real command in tmux: time to the first full screen, then CPU over the measured seconds. */
    private void command(Path launcher, int pid, PrintWriter out) throws Exception {
        String sock = "inspector-bench-" + ProcessHandle.current().pid();
        long t0 = System.nanoTime();
        int rc = run(List.of("tmux", "-L", sock, "new-session", "-d", "-s", "b", "-x", "100", "-y", "30", "-e",
                "INSPECTOR_NO_BUILD=1", "-e", "TERM=xterm-256color", launcher.toString(), "tui",
                Integer.toString(pid)));
        if (rc != 0) {
            throw new IllegalStateException("tmux new-session failed with status " + rc);
        }
        try {
            String screen = "";
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (!screen.contains("START") || !screen.contains(" pid " + pid)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no full screen within 2 minutes:\n" + screen);
                }
                Thread.sleep(10);
                screen = capture(sock);
            }
            long first = System.nanoTime() - t0;
            long javaPid = Long.parseLong(output(List.of("tmux", "-L", sock, "list-panes", "-t", "b", "-F",
                    "#{pane_pid}")).trim());
            ProcessHandle h = ProcessHandle.of(javaPid).orElseThrow(() -> new IllegalStateException("the tui is gone"));
            Thread.sleep(5000); // warm-up: the JIT compiles the refresh path
            Duration c0 = h.info().totalCpuDuration().orElseThrow();
            long w0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            Duration c1 = h.info().totalCpuDuration().orElseThrow();
            long wall = System.nanoTime() - w0;
            double share = (double) (c1.toNanos() - c0.toNanos()) / wall;
            String header = capture(sock).split("\n", 3).length > 1 ? capture(sock).split("\n", 3)[1] : "";
            String every = header.replaceAll(".*(every [^:]*):.*", "$1");
            out.println(String.format(Locale.ROOT, "  command: first full screen %.2f s after launch (JVM start"
                    + " included)", first / 1e9));
            out.println(String.format(Locale.ROOT, "  command: CPU %.2f%% of one core over %d s (%.2f s CPU);"
                    + " header: %s", 100 * share, seconds, (c1.toNanos() - c0.toNanos()) / 1e9, every.trim()));
            out.println("  goal: under " + Math.round(CPU_GOAL * 100) + "% of one core: "
                    + (share < CPU_GOAL ? "met" : "missed"));
            run(List.of("tmux", "-L", sock, "send-keys", "-t", "b", "q"));
            h.onExit().get(20, TimeUnit.SECONDS);
        } finally {
            run(List.of("tmux", "-L", sock, "kill-server"));
        }
        out.flush();
    }

    /**
     * The key-latency part in a child with the JVM options the launcher gives {@code tui} (its collector and JIT),
     * through the command's hidden {@code --measure-keys}: its lines are copied here.
     */
    private void latency(Path launcher, int pid, PrintWriter out) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "tui", Integer.toString(pid), "--measure-keys",
                Integer.toString(keys)).redirectErrorStream(true);
        pb.environment().put("INSPECTOR_NO_BUILD", "1");
        Process p = pb.start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("the key-latency run failed: " + text);
        }
        out.print(text);
        out.flush();
    }

    /**
     * The screen loop in this JVM on a virtual terminal: time to the first screen, then key latency while the loop
     * refreshes back to back. Run by {@code inspector tui PID --measure-keys N} (so with the launcher's tui options).
     */
    public static void measureKeys(dev.inspector.core.session.Host host, int pid, int keys, PrintWriter out)
            throws Exception {
        // As a user runs it (1 s, the default CPU budget), then under load: refreshing back to back.
        measureKeys(host, pid, keys, Duration.ofSeconds(1), 0.05, "default settings (interval 1 s, budget 5%)", out);
        measureKeys(host, pid, keys, Duration.ofMillis(250), 0, "refreshing back to back (interval 250 ms, no budget)",
                out);
    }

    private static void measureKeys(dev.inspector.core.session.Host host, int pid, int keys, Duration interval,
                                    double budget, String label, PrintWriter out) throws Exception {
        DefaultVirtualTerminal vt = new DefaultVirtualTerminal(new TerminalSize(100, 30));
        long t0 = System.nanoTime();
        LiveSource src = new LiveSource(host, pid, interval, budget).begin();
        CountDownLatch firstDrawn = new CountDownLatch(1);
        long[] first = new long[1];
        BlockingQueue<Long> drawn = new ArrayBlockingQueue<>(16);
        ExecutorService ex = Executors.newSingleThreadExecutor();
        List<Long> lat = new ArrayList<>();
        try (Tui tui = Tui.on(new TerminalScreen(vt), Palette.colour())) {
            Future<Integer> run = ex.submit(() -> tui.map(new MapModel(MapModel.Mode.LIVE, "pid " + pid,
                    interval), src, (TuiApp app) -> {
                        app.onFirstFrameDrawn(() -> {
                            first[0] = System.nanoTime() - t0;
                            firstDrawn.countDown();
                        });
                        app.onKeyDrawn(k -> drawn.offer(System.nanoTime()));
                    }));
            if (!firstDrawn.await(2, TimeUnit.MINUTES)) {
                throw new IllegalStateException("no first screen within 2 minutes");
            }
            Thread.sleep(3000); // warm-up: keys and refreshes compiled
            Random rnd = new Random(42);
            for (int i = 0; i < keys + 10; i++) {
                Thread.sleep(20 + rnd.nextInt(80));
                long k0 = System.nanoTime();
                vt.addInput(new KeyStroke(i % 20 < 10 ? KeyType.ArrowDown : KeyType.ArrowUp));
                Long k1 = drawn.poll(10, TimeUnit.SECONDS);
                if (k1 == null) {
                    throw new IllegalStateException("a key was not drawn within 10 s");
                }
                if (i >= 10) {
                    lat.add(k1 - k0);
                }
            }
            vt.addInput(new KeyStroke('q', false, false));
            run.get(30, TimeUnit.SECONDS);
        } finally {
            ex.shutdownNow();
            src.stop();
        }
        long[] a = lat.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(a);
        out.println(String.format(Locale.ROOT, "  in-process (%s, %s): first full screen %.0f ms after the session"
                + " started", gc(), BenchHost.jit(), first[0] / 1e6));
        out.println(String.format(Locale.ROOT, "  in-process: key to screen, %s, %d keys: median %.1f ms, p95 %.1f"
                + " ms, max %.1f ms; goal under %d ms: %s", label, a.length,
                a[a.length / 2] / 1e6, a[(int) (a.length * 0.95)] / 1e6, a[a.length - 1] / 1e6, KEY_GOAL_MS,
                a[(int) (a.length * 0.95)] / 1e6 < KEY_GOAL_MS && a[a.length - 1] / 1e6 < 2 * KEY_GOAL_MS ? "met"
                        : "missed"));
        out.flush();
    }

    private static String gc() {
        List<String> names = new ArrayList<>();
        for (var g : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            names.add(g.getName());
        }
        return String.join("+", names);
    }

    private static String capture(String sock) throws IOException, InterruptedException {
        return output(List.of("tmux", "-L", sock, "capture-pane", "-p", "-t", "b"));
    }

    /**
     * A tmux command line with SHELL set: a server started without it takes the shell of the password entry, which for
     * a service account is often nologin (the pane's command here runs without a shell, but hooks and options may not).
     */
    private static ProcessBuilder tmux(List<String> cmd) {
        ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true);
        b.environment().put("SHELL", "/bin/sh");
        return b;
    }

    private static String output(List<String> cmd) throws IOException, InterruptedException {
        Process p = tmux(cmd).start();
        String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(20, TimeUnit.SECONDS);
        return s;
    }

    private static int run(List<String> cmd) {
        try {
            Process p = tmux(cmd).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}

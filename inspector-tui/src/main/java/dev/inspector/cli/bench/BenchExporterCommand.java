package dev.inspector.cli.bench;

import dev.inspector.cli.BaseCommand;
import dev.inspector.cli.ExitCodes;
import dev.inspector.core.bench.BenchProbes;
import dev.inspector.core.demo.SampleDirectory;
import dev.inspector.core.demo.SampleProgram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The exporter's cost, against what people run today, in one run: scrape time (wall, as Prometheus waits for it) and
 * CPU time of the serving process per scrape, for every process of this host and for one process with tens of
 * thousands of mappings. The references: node_exporter's processes collector (the host's processes and threads by
 * state, from every stat file), process-exporter with one group per pid (RSS, VSZ, faults per process, smaps_rollup
 * for PSS), and smem (every mapping of every process, from smaps). Each is started once and scraped (or run) once per
 * round, in turn.
 */
@Command(name = "exporter", mixinStandardHelpOptions = true,
        header = "The exporter's cost per scrape against other exporters.",
        description = {"Benchmark 'inspector exporter': wall time and CPU time per scrape (1) of every process on"
            + " this host, totals from smaps_rollup, against node_exporter's processes collector, process-exporter"
            + " (one group per pid) and smem; (2) of one process with many mappings (many_vmas), per kind and"
            + " totals only, against smem -P.",
            "References that are not installed (prometheus-node-exporter, prometheus-process-exporter, smem) are"
                + " left out with a note. Interleaved rounds; medians and ratios are printed."})
public final class BenchExporterCommand extends BaseCommand {

    @Option(names = "--mappings", paramLabel = "N", defaultValue = "60000", description = "Mappings of the big process (default ${DEFAULT-VALUE}).")
    int mappings;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "10", description = "Measured rounds (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "3", description = "Warm-up rounds, not measured (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--samples", paramLabel = "DIR", description = "Directory of the built native samples.")
    Path samplesDir;

    @Option(names = "--processes", defaultValue = "200", paramLabel = "N", description = "Processes on the host for"
            + " section 1: idle 'typical' samples (3 threads, a heap, libc) are started until the host has N"
            + " (kernel threads count; default ${DEFAULT-VALUE}; 0 starts none).")
    int processes;

    static final String NODE_EXPORTER = "/usr/bin/prometheus-node-exporter";
    static final String PROCESS_EXPORTER = "/usr/bin/prometheus-process-exporter";
    static final String SMEM = "/usr/bin/smem";

    /** Made in {@link #execute}: picocli instantiates every command for --help and --version. */
    private HttpClient http;
    private BenchProbes probes;
    private final List<Server> servers = new ArrayList<>();

    @Override
    protected int execute() throws Exception {
        SampleDirectory samples = SampleDirectory.find(samplesDir).orElseThrow(() -> usage(
                "native samples not found: build them with 'mvn -B -q -DskipTests package' or pass --samples DIR"));
        option(() -> BenchEnv.program(samples, "many_vmas"));
        if (rounds < 1 || warmup < 0 || processes < 0 || processes > 5000) {
            throw usage("--rounds must be at least 1, --warmup at least 0 and --processes from 0 to 5000");
        }
        probes = new BenchProbes(host());
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        out().println("# inspector bench exporter — " + BenchHost.describe(probes));
        Path tmp = Files.createTempDirectory("inspector-bench-exporter");
        List<SampleProgram> idle = new ArrayList<>();
        try {
            // A host of about the size the issue names: idle processes with ordinary memory (blocked on stdin).
            for (int n = host().pids().size(); n < processes; n++) {
                SampleProgram p = samples.start(java.util.Map.of("SAMPLE_NOPAUSE", "1", "SAMPLE_HOLD", "1"),
                        "typical", "3");
                idle.add(p);
                p.awaitStep("ready", Duration.ofMinutes(1));
            }
            hostSection(tmp, idle);
            for (SampleProgram p : idle) {
                p.close();
            }
            idle.clear();
            try (SampleProgram big = samples.start("many_vmas", Integer.toString(mappings))) {
                big.awaitStep("ready", Duration.ofMinutes(2));
                bigSection(big.pid());
            }
        } finally {
            for (SampleProgram p : idle) {
                p.close();
            }
            for (Server s : servers) {
                s.stop();
            }
            try (java.util.stream.Stream<Path> all = Files.walk(tmp)) {
                for (Path p : (Iterable<Path>) all.sorted(java.util.Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(p);
                }
            }
        }
        return ExitCodes.OK;
    }

    private void hostSection(Path tmp, List<SampleProgram> idle) throws Exception {
        List<Variant> vs = new ArrayList<>();
        Server all = exporter("--listen", "127.0.0.1:0", "--interval", "0s");
        vs.add(scrape("inspector exporter (every process)", all));
        if (Files.isExecutable(Path.of(NODE_EXPORTER))) {
            int port = freePort();
            Server n = Server.start("node_exporter", List.of(NODE_EXPORTER, "--web.listen-address=127.0.0.1:" + port,
                    "--collector.disable-defaults", "--collector.processes"), "http://127.0.0.1:" + port + "/metrics");
            servers.add(n);
            vs.add(scrape("node_exporter --collector.processes", n));
        } else {
            out().println("(node_exporter left out: " + NODE_EXPORTER + " is not installed;"
                    + " apt-get install prometheus-node-exporter)");
        }
        if (Files.isExecutable(Path.of(PROCESS_EXPORTER))) {
            Path cfg = tmp.resolve("process-exporter.yml");
            Files.writeString(cfg, "process_names:\n  - name: \"{{.Comm}} {{.PID}}\"\n    cmdline: ['.*']\n");
            int port = freePort();
            Server p = Server.start("process-exporter", List.of(PROCESS_EXPORTER, "-config.path", cfg.toString(),
                    "-web.listen-address", "127.0.0.1:" + port, "-threads=false"),
                    "http://127.0.0.1:" + port + "/metrics");
            servers.add(p);
            vs.add(scrape("process-exporter (a group per pid)", p));
        } else {
            out().println("(process-exporter left out: " + PROCESS_EXPORTER + " is not installed;"
                    + " apt-get install prometheus-process-exporter)");
        }
        if (Files.isExecutable(Path.of(SMEM))) {
            vs.add(command("smem (every process)", List.of(SMEM, "-c", "pid pss")));
        } else {
            out().println("(smem left out: " + SMEM + " is not installed; apt-get install smem)");
        }
        for (Server s : servers) {
            s.awaitUp(http);
        }
        measure(vs);
        String body = fetch(all).body;
        out().printf("%n## 1. every process of this host (%d processes%s): %.0f exported (totals), %.0f kernel threads"
                + " and %.0f hidden skipped, %.0f series%n", host().pids().size(),
                idle.isEmpty() ? "" : ", " + idle.size() + " of them idle 'typical' samples", figure(body, "inspector_exporter_processes_exported"),
                figure(body, "inspector_exporter_processes_skipped{reason=\"kernel_thread\"}"),
                figure(body, "inspector_exporter_processes_skipped{reason=\"access_denied\"}"),
                figure(body, "inspector_exporter_series"));
        report(vs);
        for (int i = 1; i < vs.size(); i++) {
            out().printf("%s / inspector exporter: wall %s, cpu %s%n", vs.get(i).name,
                    Timing.ratio(vs.get(i).wall.median(), vs.get(0).wall.median()),
                    ratio(vs.get(i).cpuPerRound(), vs.get(0).cpuPerRound()));
        }
        out().printf("exporter RSS after the rounds: %.1f MiB%n", probes.statusBytes(all.pid(), "VmRSS") / 1048576.0);
        out().flush();
    }

    private void bigSection(int pid) throws Exception {
        List<Variant> vs = new ArrayList<>();
        Server kinds = exporter("--listen", "127.0.0.1:0", "--interval", "0s", "--pid", Integer.toString(pid));
        Server totals = exporter("--listen", "127.0.0.1:0", "--interval", "0s", "--pid", Integer.toString(pid),
                "--by-kind", "never");
        vs.add(scrape("inspector exporter --pid (per kind)", kinds));
        vs.add(scrape("inspector exporter --pid --by-kind never", totals));
        if (Files.isExecutable(Path.of(SMEM))) {
            // smem filters on the command line before it reads smaps: only this process is read
            vs.add(command("smem -P many_vmas", List.of(SMEM, "-c", "pid pss", "-P", "many_vmas")));
        }
        measure(vs);
        String body = fetch(kinds).body;
        out().printf("%n## 2. one process with %.0f mappings (many_vmas %d, pid %d)%n",
                figure(body, "inspector_process_mappings{comm=\"many_vmas\",pid=\"" + pid + "\"}"), mappings, pid);
        report(vs);
        for (int i = 1; i < vs.size(); i++) {
            out().printf("%s / per kind: wall %s, cpu %s%n", vs.get(i).name,
                    Timing.ratio(vs.get(i).wall.median(), vs.get(0).wall.median()),
                    ratio(vs.get(i).cpuPerRound(), vs.get(0).cpuPerRound()));
        }
        out().printf("exporter RSS after the rounds: per kind %.1f MiB, totals only %.1f MiB%n",
                probes.statusBytes(kinds.pid(), "VmRSS") / 1048576.0,
                probes.statusBytes(totals.pid(), "VmRSS") / 1048576.0);
        out().flush();
    }

    private Server exporter(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(BenchEnv.launcher().toString(), "exporter"));
        cmd.addAll(List.of(args));
        Server s = Server.start("inspector exporter", cmd, null);
        servers.add(s);
        s.awaitUp(http);
        return s;
    }

    /** Interleaved: each round runs every variant once, in order; the first {@code warmup} rounds are not kept. */
    private void measure(List<Variant> vs) throws Exception {
        for (Variant v : vs) {
            v.wall = new Timing.Samples(v.name, rounds);
        }
        for (int r = 0; r < warmup + rounds; r++) {
            for (Variant v : vs) {
                long cpu0 = v.cpu();
                long t0 = System.nanoTime();
                v.bytes = v.run();
                long wall = System.nanoTime() - t0;
                long cpu = v.cpu() - cpu0;
                if (r >= warmup) {
                    v.wall.add(wall);
                    v.cpuTotal += cpu;
                }
            }
        }
    }

    private void report(List<Variant> vs) {
        for (Variant v : vs) {
            out().println(String.format(Locale.ROOT, "%-42s wall median %10s  min %10s  max %10s   cpu %9s/round"
                    + "   %7.1f KiB   (%d rounds)", v.name, Timing.ms(v.wall.median()), Timing.ms(v.wall.min()),
                    Timing.ms(v.wall.max()), Timing.ms(v.cpuPerRound()), v.bytes / 1024.0, v.wall.count()));
        }
    }

    private static String ratio(long a, long b) {
        return b == 0 ? "n/a (under one 10 ms tick)" : String.format(Locale.ROOT, "%.2f", (double) a / b);
    }

    private static double figure(String metrics, String selector) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(selector + " ")) {
                return Double.parseDouble(line.substring(selector.length() + 1).trim());
            }
        }
        return Double.NaN;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private record Fetched(String body, long bytes) {
    }

    private Fetched fetch(Server s) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(s.url)).timeout(Duration.ofMinutes(2))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(s.name + ": HTTP " + r.statusCode() + " from " + s.url);
        }
        return new Fetched(new String(r.body(), StandardCharsets.UTF_8), r.body().length);
    }

    /** One thing measured: a scrape of a server (CPU of the server) or a command run to its end (CPU of the child). */
    private abstract static class Variant {
        final String name;
        Timing.Samples wall;
        long cpuTotal;
        long bytes;

        Variant(String name) {
            this.name = name;
        }

        abstract long run() throws Exception;

        abstract long cpu();

        long cpuPerRound() {
            return wall.count() == 0 ? 0 : cpuTotal / wall.count();
        }
    }

    private Variant scrape(String name, Server s) {
        return new Variant(name) {
            @Override
            long run() throws Exception {
                return fetch(s).bytes;
            }

            @Override
            long cpu() {
                return probes.cpuNanos(s.pid());
            }
        };
    }

    /** A command run to its end; its CPU is charged once it is reaped (this process's cutime + cstime). */
    private Variant command(String name, List<String> cmd) {
        return new Variant(name) {
            @Override
            long run() throws Exception {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                long n = p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                if (p.waitFor() != 0) {
                    throw new IllegalStateException(String.join(" ", cmd) + " exited with " + p.exitValue());
                }
                return n;
            }

            @Override
            long cpu() {
                return probes.reapedChildrenCpuNanos();
            }
        };
    }

    /** A child server: an exporter to scrape, started once. */
    private static final class Server {
        final String name;
        final Process process;
        volatile String url;
        private final StringBuffer log = new StringBuffer();

        private Server(String name, Process process, String url) {
            this.name = name;
            this.process = process;
            this.url = url;
        }

        static Server start(String name, List<String> cmd, String url) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("INSPECTOR_NO_BUILD", "1");
            Server s = new Server(name, pb.start(), url);
            Thread t = new Thread(() -> {
                Pattern listening = Pattern.compile("listening on (http://[^ ]+/metrics)");
                try (BufferedReader r = new BufferedReader(new InputStreamReader(s.process.getErrorStream(),
                        StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) {
                        if (s.log.length() < 1 << 16) {
                            s.log.append(l).append('\n');
                        }
                        Matcher m = listening.matcher(l);
                        if (s.url == null && m.find()) {
                            s.url = m.group(1);
                        }
                    }
                } catch (IOException e) {
                    // the server went away; awaitUp or a scrape reports it
                }
            }, name + "-stderr");
            t.setDaemon(true);
            t.start();
            return s;
        }

        int pid() {
            return (int) process.pid();
        }

        /** Waits until it answers /metrics (60 s at most: an exporter's first read of a big host takes a while). */
        void awaitUp(HttpClient http) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited with " + process.exitValue() + ": " + log);
                }
                if (url != null) {
                    try {
                        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() == 200) {
                            return;
                        }
                    } catch (IOException e) {
                        // not listening yet
                    }
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException(name + " did not answer in 60 s: " + log);
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}

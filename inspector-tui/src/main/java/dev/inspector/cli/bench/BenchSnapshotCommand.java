package dev.inspector.cli.bench;

import dev.inspector.cli.BaseCommand;
import dev.inspector.cli.ExitCodes;
import dev.inspector.core.BadInput;
import dev.inspector.core.bench.BenchProbes;
import dev.inspector.core.demo.SampleDirectory;
import dev.inspector.core.demo.SampleProgram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code inspector bench snapshot}: the whole-command cost of {@code inspector snapshot PID -o FILE} against
 * {@code inspector maps PID} on the same process in the same run, each as a fresh process started through the
 * repository's {@code inspector} launcher (same JVM options as a user gets), rounds interleaved, medians compared.
 * Peak memory of each run is the child's maximum RSS from {@code /usr/bin/time -f %M} (Debian package "time").
 * The target is {@code many_vmas N} (60,000 mappings by default) unless {@code --pid} names one.
 */
@Command(name = "snapshot", mixinStandardHelpOptions = true,
        header = "'inspector snapshot' against 'inspector maps', whole commands.",
        description = {"Time 'inspector snapshot PID -o FILE' against 'inspector maps PID' on the same process,"
            + " as whole commands through the launcher, interleaved; report medians, their ratio and peak RSS.",
            "Goal: snapshot at most 2x the maps time."})
public final class BenchSnapshotCommand extends BaseCommand {

    static final double GOAL = 2.0;

    @Option(names = "--pid", paramLabel = "PID", description = "Measure on this process instead of starting many_vmas.")
    Integer pid;

    @Option(names = "--mappings", paramLabel = "N", defaultValue = "60000",
            description = "Mappings of the many_vmas process to start (default: ${DEFAULT-VALUE}).")
    int mappings;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "5",
            description = "Measured rounds, each running both commands once (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "1",
            description = "Unmeasured rounds first (page cache, class-data archive) (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--repo", paramLabel = "DIR",
            description = "Repository root holding the 'inspector' launcher and native-samples (default: found from"
                + " the jar's location).")
    Path repo;

    @Override
    protected int execute() throws Exception {
        if (rounds < 1 || warmup < 0) {
            throw usage("--rounds must be >= 1, --warmup >= 0");
        }
        Path root = repo != null ? repo : findRepo();
        Path launcher = root.resolve("inspector");
        if (!Files.isExecutable(launcher)) {
            throw new BadInput(launcher + ": no executable launcher; pass --repo DIR");
        }
        Path time = Paths.get("/usr/bin/time");
        if (!Files.isExecutable(time)) {
            throw new dev.inspector.core.UnsupportedFeature("/usr/bin/time is missing (peak memory is measured with it);"
                    + " install it with: apt-get install -y time");
        }
        PrintWriter out = out();
        Path json = Files.createTempFile("inspector-bench-", ".json");
        // close(): SIGTERM, on which many_vmas removes its files and exits
        try (SampleProgram sample = pid != null ? null : startManyVmas(root, mappings)) {
            int target = sample != null ? sample.pid() : pid;
            int mapsLines = new BenchProbes(host()).maps(target).size();
            List<Long> snapPeak = new ArrayList<>();
            List<Long> mapsPeak = new ArrayList<>();
            String pidArg = Integer.toString(target);
            List<String> snapCmd = List.of(time.toString(), "-f", "%M", launcher.toString(), "snapshot", pidArg, "-o",
                    json.toString());
            List<String> mapsCmd = List.of(time.toString(), "-f", "%M", launcher.toString(), "maps", pidArg);
            out.println("target: pid " + target + ", " + mapsLines + " maps lines; " + warmup + " warm-up + " + rounds
                    + " measured rounds, interleaved");
            out.println("snapshot: " + String.join(" ", snapCmd.subList(3, snapCmd.size())));
            out.println("maps:     " + String.join(" ", mapsCmd.subList(3, mapsCmd.size())) + " > /dev/null");
            out.flush();
            Timing.Samples[] s = Timing.interleaved(warmup, rounds, new String[] {"inspector snapshot -o FILE",
                "inspector maps"},
                () -> snapPeak.add(run(snapCmd)), () -> mapsPeak.add(run(mapsCmd)));
            // the warm-up rounds also recorded a peak: keep only the measured ones
            List<Long> sp = snapPeak.subList(warmup, snapPeak.size());
            List<Long> mp = mapsPeak.subList(warmup, mapsPeak.size());
            out.println(Timing.describe(s[0]));
            out.println(Timing.describe(s[1]));
            double ratio = (double) s[0].median() / s[1].median();
            out.println(String.format(Locale.ROOT, "peak RSS (median of %d): snapshot %.1f MiB, maps %.1f MiB",
                    rounds, median(sp) / 1024.0, median(mp) / 1024.0));
            out.println(String.format(Locale.ROOT, "snapshot file: %d bytes (%.1f MiB)", Files.size(json),
                    Files.size(json) / 1048576.0));
            out.println(String.format(Locale.ROOT, "ratio snapshot/maps (medians): %.2f; goal <= %.1f: %s", ratio,
                    GOAL, ratio <= GOAL ? "met" : "missed"));
            return ExitCodes.OK;
        } finally {
            Files.deleteIfExists(json);
        }
    }

    /** Runs one command, discarding stdout; returns its peak RSS in KiB (the last stderr line, from time -f %M). */
    private static long run(List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("INSPECTOR_NO_BUILD", "1");
        Process p = pb.start();
        byte[] err = p.getErrorStream().readAllBytes();
        int code = p.waitFor();
        String text = new String(err, StandardCharsets.UTF_8).trim();
        String last = text.substring(text.lastIndexOf('\n') + 1);
        if (code != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed with status " + code + ": " + text);
        }
        try {
            return Long.parseLong(last.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("no peak RSS from /usr/bin/time in: " + text, e);
        }
    }

    private static long median(List<Long> v) {
        long[] a = v.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(a);
        return a.length == 0 ? 0 : a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    /**
     * many_vmas N in batch mode (running, as the commands measured would find a user's process), held after "ready"
     * until its stdin closes or it is terminated.
     */
    static SampleProgram startManyVmas(Path root, int n) {
        SampleProgram p = SampleDirectory.at(root.resolve("native-samples/target/bin"))
                .start(Map.of("SAMPLE_NOPAUSE", "1", "SAMPLE_HOLD", "1"), "many_vmas", Integer.toString(n));
        try {
            p.awaitStep("ready", Duration.ofMinutes(2));
            return p;
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
    }

    /** The jar lives in {@code <repo>/inspector-tui/target/}; else look upward from the working directory. */
    static Path findRepo() {
        List<Path> starts = new ArrayList<>();
        try {
            starts.add(Paths.get(BenchSnapshotCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // fall back to the working directory
        }
        starts.add(Paths.get("").toAbsolutePath());
        for (Path start : starts) {
            for (Path d = start; d != null; d = d.getParent()) {
                if (Files.isExecutable(d.resolve("inspector")) && Files.isDirectory(d.resolve("native-samples"))) {
                    return d;
                }
            }
        }
        throw new BadInput("cannot find the repository (the 'inspector' launcher and native-samples); pass --repo DIR");
    }
}

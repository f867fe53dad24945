package dev.inspector.cli;

import dev.inspector.core.BadInput;
import dev.inspector.core.json.InputFile;
import dev.inspector.core.json.SnapshotJson;
import dev.inspector.core.json.Timeline;
import dev.inspector.core.session.Host;
import dev.inspector.tui.LiveSource;
import dev.inspector.tui.MapModel;
import dev.inspector.tui.Palette;
import dev.inspector.tui.ReplaySource;
import dev.inspector.tui.Tui;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;

@Command(name = "tui", mixinStandardHelpOptions = true,
        header = "The live full-screen map of a process, a picker, or a replay.",
        description = {"Shows the whole address space of a process top to bottom (kernel half, non-canonical hole,"
            + " mappings and the gaps between them), every mapping classified in a table with its smaps figures, a"
            + " summary by kind whose totals are smaps_rollup's, and for the selected mapping every smaps figure,"
            + " VmFlags, ELF sections, the owning thread and a residency heat map with zoom; Enter on a heat-map cell"
            + " walks that address through the page tables. It refreshes every --interval and highlights what"
            + " changed; 'b' sets a baseline, 's' saves a snapshot, '?' lists every key.",
            "TARGET is a PID, 'self' (the inspector's own JVM), or a file written by 'inspector watch' (a timeline,"
                + " replayed with ], [, Space) or by 'inspector snapshot'. Without TARGET a process picker opens.",
            "Reading /proc happens off the screen's thread; when the whole process (refresh, screen, JVM) would use"
                + " more than --cpu-budget of a core the interval is lengthened (to 60 s at most) and the header says so. Needs a terminal of at least 80x24. NO_COLOR"
                + " or --color=never gives a monochrome view. Reading never changes the target. See docs/tui.md."})
public final class TuiCommand extends BaseCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "TARGET",
            description = "A PID, 'self', or a timeline/snapshot file; none: choose a process.")
    String target;

    @Option(names = {"-i", "--interval"}, paramLabel = "DURATION", defaultValue = "1s",
            description = "Time between refreshes: a whole number and ms, s, m or h (default: ${DEFAULT-VALUE}).")
    String interval;

    @Option(names = "--cpu-budget", paramLabel = "PERCENT", defaultValue = "5",
            description = "Lengthen the interval when the process would use more than PERCENT of one core, counting"
                + " every thread (0: never; default: ${DEFAULT-VALUE}).")
    double cpuBudget;

    @Option(names = "--measure-keys", paramLabel = "N", hidden = true,
            description = "For 'inspector bench tui': draw on a virtual terminal, type N keys while refreshing back to"
                + " back, print the key-to-screen latency.")
    Integer measureKeys;

    @Mixin
    ColorOption color;

    @Override
    protected int execute() throws Exception {
        Duration every = option(() -> Durations.parse("--interval", interval));
        if (cpuBudget < 0 || cpuBudget > 100) {
            throw usage("--cpu-budget takes 0 to 100 (percent of one core), not " + cpuBudget);
        }
        Palette palette = option(() -> Palette.forMode(color.when, System.getenv()));
        double budget = cpuBudget / 100;
        Host host = host();
        if (target == null) {
            requireTerminal();
            try (Tui tui = Tui.open(palette)) {
                LiveSource src = tui.pick(host, pid -> {
                    LiveSource s = new LiveSource(host, pid, every, budget).begin();
                    s.awaitFirst(Duration.ofSeconds(5));
                    return s;
                });
                if (src == null) {
                    return tui.pickerExit();
                }
                return tui.map(new MapModel(MapModel.Mode.LIVE, "pid " + src.pid(), every), src);
            }
        }
        if (measureKeys != null && target != null && isPid(target)) {
            dev.inspector.cli.bench.BenchTuiCommand.measureKeys(host, option(() -> Host.parsePid(target)), measureKeys,
                    out());
            return ExitCodes.OK;
        }
        if (isPid(target)) {
            int pid = option(() -> Host.parsePid(target));
            requireTerminal();
            // The first point is read before the screen starts: a PID that does not exist or may not be read is one
            // clear line on the terminal as it was, never a half-drawn screen.
            LiveSource src = new LiveSource(host, pid, every, budget).begin();
            src.awaitFirst(Duration.ofSeconds(5));
            try (Tui tui = Tui.open(palette)) {
                return tui.map(new MapModel(MapModel.Mode.LIVE, "pid " + pid, every), src);
            }
        }
        Path file = Paths.get(target);
        if (!Files.exists(file)) {
            throw new BadInput("'" + target + "' is neither a process id nor 'self' nor an existing file");
        }
        ReplaySource src;
        // A FIFO or a pipe is read once, with a bound on waiting for it (InputFile), like diff's inputs.
        try (InputFile in = InputFile.open(file)) {
            String kind = in.kind();
            if (kind.equals(SnapshotJson.TIMELINE_KIND)) {
                Timeline t = in.timeline();
                if (t.size() == 0) {
                    throw new BadInput(file + ": the timeline has no point (its target exited before the first one)");
                }
                src = new ReplaySource(t);
            } else {
                src = new ReplaySource(in.snapshot());
            }
        }
        requireTerminal();
        try (Tui tui = Tui.open(palette)) {
            return tui.map(new MapModel(MapModel.Mode.REPLAY, file.getFileName().toString(), every), src);
        }
    }

    private static boolean isPid(String t) {
        if (t.equals("self")) {
            return true;
        }
        if (t.isEmpty()) {
            return false;
        }
        for (int i = 0; i < t.length(); i++) {
            if (!Character.isDigit(t.charAt(i))) {
                return false;
            }
        }
        return !Files.exists(Paths.get(t)); // a file named 1234 in the current directory is a file
    }

    /** A full-screen view needs a terminal on both ends: refuse clearly instead of drawing into a pipe. */
    static void requireTerminal() {
        requireTerminal(null);
    }

    /** {@code instead}: what a pipe or a file should use instead (null: the tui's own advice). */
    static void requireTerminal(String instead) {
        if (System.console() == null && instead != null) {
            throw new BadInput("--tui needs a terminal (standard input and output must be a terminal); " + instead);
        }
        if (System.console() == null) {
            throw new BadInput("inspector tui needs a terminal (standard input and output must be a terminal); for"
                    + " a pipe or a file use 'inspector maps', 'snapshot' or 'watch'");
        }
    }
}

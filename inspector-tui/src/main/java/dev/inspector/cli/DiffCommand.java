package dev.inspector.cli;

import dev.inspector.core.BadInput;
import dev.inspector.core.NoSuchProcess;
import dev.inspector.core.ProcessGone;
import dev.inspector.core.analysis.SnapshotOptions;
import dev.inspector.core.session.InspectionSession;
import dev.inspector.core.diff.DiffOptions;
import dev.inspector.core.diff.DiffResult;
import dev.inspector.core.diff.SnapshotDiff;
import dev.inspector.core.json.DiffJson;
import dev.inspector.core.json.InputFile;
import dev.inspector.core.json.SnapshotJson;
import dev.inspector.core.json.Timeline;
import dev.inspector.core.model.Snapshot;
import dev.inspector.present.DiffView;
import dev.inspector.present.Escape;
import dev.inspector.present.TextRenderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;

@Command(name = "diff", mixinStandardHelpOptions = true,
        header = "What changed between two snapshots, or in a process over time.",
        description = {"Compare two snapshots: mappings added, removed, grown or shrunk (and which way), split or"
            + " merged, permissions changed; Rss/Pss/Swap changes per mapping and in total; bases that moved; page"
            + " faults and threads.",
            "Forms:",
            "  diff A.json B.json             two snapshots (of a timeline: its last point)",
            "  diff TIMELINE --from I --to J  two of its points (default: first and last)",
            "  diff PID --after 2s            snapshot, wait, snapshot again",
            "In colour, added is green, removed red, changed yellow.",
            "An input may be a FIFO or a pipe (bash: <(inspector snapshot PID)); when no data comes for 30 s it is"
                + " given up with one line.",
            "Exit status 0 whether or not anything differs; 6 when an input is not a valid snapshot or timeline."})
public final class DiffCommand extends BaseCommand {

    @Parameters(arity = "1..*", paramLabel = "INPUT",
            description = "Two snapshot or timeline files, one timeline, or one PID with --after.")
    List<String> inputs;

    @Option(names = "--after", paramLabel = "DURATION",
            description = "Diff a live process: snapshot PID, wait DURATION (e.g. 500ms, 2s, 1m), snapshot again.")
    String after;

    @Option(names = "--from", paramLabel = "I",
            description = "Point of the (first) timeline to compare from; 0 is the first, -1 the last. Default: 0 for"
                + " a single timeline, the last point otherwise.")
    Integer from;

    @Option(names = "--to", paramLabel = "J",
            description = "Point of the (second) timeline to compare to; -1 (the last) by default.")
    Integer to;

    @Option(names = "--by-module",
            description = "Match mappings by owner and file offset instead of address (two runs of one program under"
                + " ASLR) and report each module's base shift.")
    boolean byModule;

    @Option(names = "--json", description = "Write the diff as JSON (docs/snapshots.md, \"Diff\"); always complete.")
    boolean json;

    @Option(names = "--all",
            description = "Also show usage changes under 64K and changes of classification details alone.")
    boolean all;

    @Mixin
    DisplayOptions display;

    @Override
    protected DisplayOptions display() {
        return json ? null : display;
    }

    @Override
    protected int execute() throws Exception {
        if (inputs.size() > 2) {
            throw usage("diff compares two things, not " + inputs.size() + ": two snapshot or timeline files (diff"
                    + " A.json B.json), two points of one timeline (diff T.ndjson --from I --to J) or one process over"
                    + " time (diff PID --after 2s)");
        }
        DiffOptions opts = byModule ? DiffOptions.byModule() : DiffOptions.byAddress();
        Snapshot a;
        Snapshot b;
        if (after != null) {
            Snapshot[] live = live();
            a = live[0];
            b = live[1];
        } else if (inputs.size() == 2) {
            a = load(inputs.get(0), from, "--from");
            b = load(inputs.get(1), to, "--to");
        } else {
            Snapshot[] points = timeline(inputs.get(0));
            a = points[0];
            b = points[1];
        }
        DiffResult d = SnapshotDiff.compare(a, b, opts);
        if (json) {
            DiffJson.write(d, out());
        } else {
            renderer(display).render(DiffView.present(d, all
                    ? new DiffView.Options(true, DiffView.Options.DEFAULT_THRESHOLD) : DiffView.Options.defaults()),
                    out());
        }
        return ExitCodes.OK;
    }

    private Snapshot[] live() throws InterruptedException {
        if (inputs.size() != 1) {
            throw usage("--after takes one PID, not files: inspector diff PID --after 2s");
        }
        if (from != null || to != null) {
            throw usage("--from and --to choose points of a timeline; they do not apply to --after");
        }
        int pid;
        try {
            pid = new PidConverter().convert(inputs.get(0));
        } catch (TypeConversionException e) {
            throw usage("--after needs a PID: " + e.getMessage());
        }
        Duration wait = option(() -> Durations.parse("--after", after));
        InspectionSession session = host().session(pid);
        Snapshot first = session.snapshot(SnapshotOptions.full());
        Thread.sleep(wait.toMillis());
        Snapshot second;
        try {
            second = session.snapshot(SnapshotOptions.full());
        } catch (NoSuchProcess e) {
            throw new ProcessGone(pid, "it exited during the " + after + " wait, before the second snapshot");
        }
        return new Snapshot[] {first, second};
    }

    /** One file of a two-file diff: a snapshot, or a point of a timeline ({@code index}, default the last). */
    private Snapshot load(String name, Integer index, String option) {
        try (InputFile in = InputFile.open(existing(name))) {
            String kind = in.kind();
            if (kind.equals(SnapshotJson.KIND)) {
                if (index != null) {
                    throw usage(option + " chooses a point of a timeline, but " + name + " is a single snapshot");
                }
                return in.snapshot();
            }
            if (kind.equals(SnapshotJson.TIMELINE_KIND)) {
                Timeline t = readTimeline(in);
                return t.snapshotAt(index == null ? -1 : index);
            }
            throw new BadInput(name + ": /kind: an inspector diff, not a snapshot or timeline");
        }
    }

    /** The two points of a single timeline. */
    private Snapshot[] timeline(String name) {
        try (InputFile in = InputFile.open(existing(name))) {
            String kind = in.kind();
            if (kind.equals(SnapshotJson.KIND)) {
                throw usage(name + " is a single snapshot: give a second one to compare with (inspector diff A.json"
                        + " B.json), or a timeline written by inspector watch");
            }
            if (!kind.equals(SnapshotJson.TIMELINE_KIND)) {
                throw new BadInput(name + ": /kind: an inspector diff, not a snapshot or timeline");
            }
            Timeline t = readTimeline(in);
            return new Snapshot[] {t.snapshotAt(from == null ? 0 : from), t.snapshotAt(to == null ? -1 : to)};
        }
    }

    private Timeline readTimeline(InputFile in) {
        Timeline t = in.timeline();
        t.warning().ifPresent(w -> err().println("inspector: warning: " + Escape.controls(w)));
        return t;
    }

    /** The input as a file; a number that is no file was probably meant as a PID. */
    private Path existing(String name) {
        Path p = Paths.get(name);
        if (!Files.exists(p) && (name.equals("self") || name.chars().allMatch(Character::isDigit))) {
            throw usage("no file '" + name + "'; to diff a running process over time use: inspector diff " + name
                    + " --after 2s");
        }
        return p;
    }

}

package dev.inspector.cli;

import dev.inspector.core.AccessDenied;
import dev.inspector.core.InspectorException;
import dev.inspector.core.NoSuchProcess;
import dev.inspector.core.KernelThread;
import dev.inspector.core.ProcessGone;
import dev.inspector.core.analysis.SnapshotOptions;
import dev.inspector.core.model.RegionKind;
import dev.inspector.core.model.Snapshot;
import dev.inspector.present.Block;
import dev.inspector.present.Escape;
import dev.inspector.present.Kinds;
import dev.inspector.present.Line;
import dev.inspector.present.MapsView;
import dev.inspector.present.Role;
import dev.inspector.present.TextRenderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

@Command(name = "maps", mixinStandardHelpOptions = true,
        header = "Every mapping of a process, classified, with smaps figures.",
        description = {"One row per mapping: its number N (the one 'pages --mapping N' takes), start, end, size,"
            + " permissions, RSS, PSS, swap, THP (AnonHugePages), what the mapping is (text, data, bss, heap, stack,"
            + " thread stack, guard, library, ...) with the ELF sections it holds, and its name. Totals are the"
            + " kernel's own (smaps_rollup) unless a filter is given.",
            "On a terminal the table fits its width: END, THP, then SWAP and PSS are left out and KIND and NAME are"
            + " cut (marked) when needed; --wide shows everything. Into a pipe or a file it is always whole.",
            "Several PIDs (maps $(pgrep NAME)) or -C NAME show one table per process. Names from the target are"
            + " escaped before they are printed."})
public final class MapsCommand extends BaseCommand {

    @Parameters(arity = "0..*", paramLabel = "PID",
            description = "Process ids, or 'self' for the inspector itself; several give one table each.")
    List<String> pids = List.of();

    @Option(names = {"-C", "--command"}, paramLabel = "NAME",
            description = "The processes whose command name (comm) or program file name is NAME, as 'ps -C' selects"
                + " them, leaving out kernel threads and zombies (they have no memory to show); instead of PIDs.")
    String command;

    @Option(names = {"-k", "--kind"}, split = ",", paramLabel = "KIND", completionCandidates = Candidates.Kinds.class,
            description = "Show only these kinds (comma-separated): text, rodata, relro, data, bss, heap, stack,"
                + " thread-stack, guard, anonymous, file, ... (see docs/commands/maps.md).")
    List<String> kinds = List.of();

    @Option(names = {"-p", "--perms"}, paramLabel = "LETTERS",
            description = "Show only mappings having all these permission letters, e.g. 'rx', 'w', 's'.")
    String perms;

    @Option(names = "--name", paramLabel = "TEXT",
            description = "Show only mappings whose name contains TEXT (e.g. libc, heap, .so).")
    String name;

    @Option(names = {"-s", "--sort"}, paramLabel = "COLUMN", completionCandidates = Candidates.MapsSort.class,
            description = "Sort by a column: n (the default: by address), start, end, size, perm, rss, pss, swap,"
                + " thp, kind or name; sizes largest first. With --summary: count, size, rss (its default), pss,"
                + " swap, thp, kind or name.")
    String sort;

    @Option(names = {"-r", "--reverse"}, description = "Reverse the order of --sort.")
    boolean reverse;

    @Option(names = "--summary", paramLabel = "BY", completionCandidates = Candidates.Summary.class,
            description = "One row per kind ('kind') or per file or library ('file'; anonymous memory that belongs"
                + " to a library, such as its .bss, counts for it) with the number of mappings and their totals.")
    String summary;

    @Option(names = "--json", description = "Write JSON (the snapshot document of the shown mappings, with their"
            + " totals) instead of a table.")
    boolean json;

    @Option(names = "--kib", description = "Sizes as whole KiB, as pmap and /proc print them.")
    boolean kib;

    @Option(names = "--bytes", description = "Sizes in bytes.")
    boolean bytes;

    @Option(names = "--no-smaps",
            description = "Read only maps (faster): no RSS, PSS, SWAP and THP columns.")
    boolean noSmaps;

    @Mixin
    DisplayOptions display;

    @Override
    protected DisplayOptions display() {
        return json ? null : display;
    }

    @Override
    protected int execute() throws Exception {
        dev.inspector.core.Trace.mark("maps: command parsed");
        Set<RegionKind> wanted = EnumSet.noneOf(RegionKind.class);
        for (String k : kinds) {
            wanted.add(choice(k, new Candidates.Kinds(), () -> Kinds.parse(k)));
        }
        if (perms != null && !onlyPermLetters(perms)) {
            throw usage("--perms takes letters among r, w, x, s, p; not '" + perms + "'");
        }
        exclusive("--kib", kib, "--bytes", bytes);
        exclusive("--json", json, "--summary", summary != null);
        exclusive("--json", json, "--sort", sort != null);
        exclusive("--json", json, "--reverse", reverse);
        if (reverse && sort == null && summary == null) {
            throw usage("--reverse reverses --sort: give the column to sort by, e.g. --sort rss --reverse");
        }
        MapsView.Summary by = summary == null ? null : choice(summary, new Candidates.Summary(),
                () -> MapsView.parseSummary(summary));
        MapsView.Order order = sort == null ? new MapsView.Order(MapsView.Sort.N, reverse)
                : new MapsView.Order(choice(sort, new Candidates.MapsSort(), () -> MapsView.parseSort(sort, by != null)), reverse);
        MapsView.Filter filter = new MapsView.Filter(wanted, perms, name);
        List<Integer> targets = targets();
        TextRenderer renderer = json ? null : renderer(display);
        MapsView.Units units = bytes ? MapsView.Units.BYTES : kib ? MapsView.Units.KIB : MapsView.Units.HUMAN;
        int code = ExitCodes.OK;
        boolean first = true;
        int hidden = 0;
        int shown = 0;
        AccessDenied firstDenied = null;
        for (int pid : targets) {
            Snapshot s;
            try {
                s = host().session(pid).snapshot(SnapshotOptions.maps().withSmaps(!noSmaps));
            } catch (InspectorException e) {
                if (command != null && (e instanceof AccessDenied || e instanceof NoSuchProcess
                        || e instanceof ProcessGone || e instanceof KernelThread)) {
                    // Chosen by name, as ps -C chooses: another user's process is counted (said once, below), one
                    // that exited since the listing is left out, as ps leaves it out.
                    if (e instanceof AccessDenied denied) {
                        hidden++;
                        firstDenied = firstDenied == null ? denied : firstDenied;
                    }
                    continue;
                }
                if (targets.size() == 1) {
                    throw e;
                }
                // One process among several that exited or refused: say so, show the others, keep its status.
                out().flush();
                err().println("inspector: " + e.getMessage());
                code = code == ExitCodes.OK ? e.exitStatus().code() : code;
                continue;
            }
            shown++;
            if (json) {
                MapsJson.write(s, filter, out());
                continue;
            }
            List<Block> blocks = new ArrayList<>();
            if (targets.size() > 1) {
                if (!first) {
                    blocks.add(Line.blank());
                }
                blocks.add(Line.of(Role.LABEL, "pid " + pid + " (" + Escape.forTerminal(s.process().comm()) + "): "
                        + Escape.forTerminal(String.join(" ", s.process().cmdline()))));
            }
            blocks.addAll(by == null ? MapsView.present(s, filter, units, order)
                    : MapsView.summary(s, filter, units, by, order));
            renderer.render(blocks, out());
            first = false;
        }
        if (command != null && shown == 0) {
            if (firstDenied != null) {
                throw firstDenied; // names the file and what would help
            }
            throw new NoSuchProcess("no process named '" + Escape.forTerminal(command) + "' is left: they exited"
                    + " before they were read");
        }
        if (hidden > 0) {
            out().flush();
            err().println("inspector: " + hidden + (hidden == 1 ? " other process" : " other processes") + " named '"
                    + Escape.forTerminal(command) + "' " + (hidden == 1 ? "is" : "are") + " not shown: this user may"
                    + " not read " + (hidden == 1 ? "its" : "their") + " memory (run as root or as their owner)");
        }
        dev.inspector.core.Trace.mark("maps: printed");
        return code;
    }

    /** The PIDs to show: those given, or the processes -C names (never both). */
    private List<Integer> targets() {
        if (command != null && !pids.isEmpty()) {
            throw usage("give PIDs or -C NAME, not both");
        }
        if (command == null && pids.isEmpty()) {
            throw usage("which process? Give a PID ('self' for the inspector itself), several, or -C NAME");
        }
        List<Integer> out = new ArrayList<>();
        if (command != null) {
            dev.inspector.core.model.ProcessList all = host().processes();
            out.addAll(ProcessNames.pidsOf(all, command, true));
            if (out.isEmpty()) {
                int without = ProcessNames.pidsOf(all, command, false).size();
                if (without > 0) {
                    throw new NoSuchProcess("no process named '" + Escape.forTerminal(command) + "' has memory to"
                            + " show: " + (without == 1 ? "the one so named is a kernel thread or a zombie"
                            : "the " + without + " so named are kernel threads or zombies"));
                }
                throw new NoSuchProcess("no process is named '" + Escape.forTerminal(command) + "' (as 'ps -C' matches:"
                        + " its comm or its program's file name)");
            }
            return out;
        }
        for (String p : pids) {
            int pid = pid(p);
            if (!out.contains(pid)) {
                out.add(pid);
            }
        }
        return out;
    }

    private static boolean onlyPermLetters(String s) {
        for (int i = 0; i < s.length(); i++) {
            if ("rwxsp-".indexOf(s.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }
}

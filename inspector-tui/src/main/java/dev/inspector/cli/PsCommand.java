package dev.inspector.cli;

import dev.inspector.core.json.ProcessListJson;
import dev.inspector.core.model.ProcessList;
import dev.inspector.present.PsView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

@Command(name = "ps", mixinStandardHelpOptions = true,
        header = "Processes with their memory: state, VSZ, RSS, PSS, mappings.",
        description = {"One row per process: its state (kernel threads and zombies apart), VSZ, RSS, PSS (from"
            + " smaps_rollup, where this user may read it), the number of mappings and the command line.",
            "Processes that exit or refuse access during the listing are counted, not fatal; '?' marks a figure the"
            + " kernel hid from this user. On a terminal the command line is cut to fit its width; into a pipe or a"
            + " file every row is whole."})
public final class PsCommand extends BaseCommand {

    @Option(names = {"-s", "--sort"}, paramLabel = "KEY", defaultValue = "pid",
            completionCandidates = Candidates.PsSort.class,
            description = "Sort by pid, user, state, vsz, rss, pss, maps or command (default: ${DEFAULT-VALUE});"
                + " sizes largest first.")
    String sort;

    @Option(names = {"-r", "--reverse"}, description = "Reverse the order (smallest first for sizes).")
    boolean reverse;

    @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "0",
            description = "Show only the first N rows after sorting (0: all).")
    int limit;

    @Option(names = {"-u", "--user"}, split = ",", paramLabel = "USER",
            description = "Only processes of these users (names or uids, comma-separated; the real uid, as ps -u).")
    List<String> users = List.of();

    @Option(names = {"-C", "--command"}, split = ",", paramLabel = "NAME",
            description = "Only processes with these names (comma-separated): the command name (comm) or the"
                + " program's file name, as ps -C.")
    List<String> names = List.of();

    @Option(names = {"-p", "--pid"}, split = ",", paramLabel = "PID",
            description = "Only these processes (comma-separated PIDs or 'self'), as ps -p.")
    List<String> pids = List.of();

    @Option(names = "--json", description = "Write JSON: the processes shown and the footer's counts.")
    boolean json;

    @Mixin
    DisplayOptions display;

    @Override
    protected DisplayOptions display() {
        return json ? null : display;
    }

    @Override
    protected int execute() throws Exception {
        PsView.Sort key = choice(sort, new Candidates.PsSort(), () -> PsView.parseSort(sort));
        if (limit < 0) {
            throw usage("--limit takes 0 (all) or a positive number of rows, not " + limit);
        }
        java.util.Set<Integer> only = new java.util.HashSet<>();
        for (String p : pids) {
            only.add(pid(p));
        }
        ProcessList list = host().processes();
        boolean sizeKey = key != PsView.Sort.PID && key != PsView.Sort.USER && key != PsView.Sort.COMMAND
                && key != PsView.Sort.STATE;
        // Sizes read best largest-first; names and pids in natural order. --reverse flips either.
        boolean ascending = sizeKey == reverse;
        List<ProcessList.Row> rows = new ArrayList<>();
        for (ProcessList.Row r : PsView.sorted(list, key, ascending)) {
            if ((users.isEmpty() || users.contains(r.user()) || users.contains(Integer.toUnsignedString(r.uid())))
                    && (names.isEmpty() || names.stream().anyMatch(n -> ProcessNames.named(r, n)))
                    && (only.isEmpty() || only.contains(r.pid()))) {
                rows.add(r);
            }
        }
        if (limit > 0 && rows.size() > limit) {
            rows = rows.subList(0, limit);
        }
        if (json) {
            ProcessListJson.write(rows, list, out());
            out().flush();
            return ExitCodes.OK;
        }
        renderer(display).render(PsView.present(rows, list), out());
        return ExitCodes.OK;
    }
}

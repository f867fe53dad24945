package dev.inspector.cli;

import dev.inspector.core.model.ProcessList;
import dev.inspector.present.PsView;
import dev.inspector.present.Style;
import dev.inspector.present.TextRenderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;

@Command(name = "ps", mixinStandardHelpOptions = true,
        description = {"List processes with their memory: VSZ, RSS, PSS (from smaps_rollup, where this user may read it)"
            + " and the number of mappings.",
            "Processes that exit or refuse access during the listing are counted, not fatal; '?' marks a figure the"
            + " kernel hid from this user."})
public final class PsCommand extends BaseCommand {

    @Option(names = "--sort", paramLabel = "KEY", defaultValue = "pid",
            description = "Sort by pid, user, vsz, rss, pss, maps or command (default: ${DEFAULT-VALUE}).")
    String sort;

    @Option(names = {"-r", "--reverse"}, description = "Reverse the order (largest first for sizes).")
    boolean reverse;

    @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "0",
            description = "Show only the first N rows after sorting (0: all).")
    int limit;

    @Option(names = "--width", paramLabel = "COLS", defaultValue = "0",
            description = "Cut the command column to COLS characters (0: never).")
    int width;

    @Mixin
    ColorOption color;

    @Override
    protected int execute() {
        PsView.Sort key = option(() -> PsView.parseSort(sort));
        Style style = style(color);
        ProcessList list = host().processes();
        boolean sizeKey = key != PsView.Sort.PID && key != PsView.Sort.USER && key != PsView.Sort.COMMAND;
        // Sizes read best largest-first; names and pids in natural order. --reverse flips either.
        boolean ascending = sizeKey == reverse;
        List<ProcessList.Row> rows = PsView.sorted(list, key, ascending);
        if (limit > 0 && rows.size() > limit) {
            rows = rows.subList(0, limit);
        }
        new TextRenderer(style).render(PsView.present(rows, list, width), out());
        return ExitCodes.OK;
    }
}

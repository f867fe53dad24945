package dev.inspector.cli;

import dev.inspector.core.analysis.SnapshotOptions;
import dev.inspector.core.model.RegionKind;
import dev.inspector.core.model.Snapshot;
import dev.inspector.present.Kinds;
import dev.inspector.present.MapsView;
import dev.inspector.present.TextRenderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

@Command(name = "maps", mixinStandardHelpOptions = true,
        description = {"Show every mapping of a process, like pmap -X: start, end, size, permissions, RSS, PSS, swap,"
            + " what the mapping is (text, data, bss, heap, stack, thread stack, guard, library, ...) with the ELF"
            + " sections it holds, and its name.",
            "Totals are the kernel's own (smaps_rollup). Names from the target are escaped before they are printed."})
public final class MapsCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "PID", converter = PidConverter.class,
            description = "Process id, or 'self' for the inspector itself.")
    int pid;

    @Option(names = {"-k", "--kind"}, split = ",", paramLabel = "KIND",
            description = "Show only these kinds (comma-separated): text, rodata, relro, data, bss, heap, stack,"
                + " thread-stack, guard, anonymous, file, ... (see docs/cli.md).")
    List<String> kinds = List.of();

    @Option(names = {"-p", "--perms"}, paramLabel = "LETTERS",
            description = "Show only mappings having all these permission letters, e.g. 'rx', 'w', 's'.")
    String perms;

    @Option(names = "--json", description = "Write JSON (the snapshot's regions) instead of a table.")
    boolean json;

    @Option(names = "--kib", description = "Sizes as whole KiB, as pmap and /proc print them.")
    boolean kib;

    @Option(names = "--bytes", description = "Sizes in bytes.")
    boolean bytes;

    @Option(names = "--no-smaps", description = "Read only maps (faster; no RSS/PSS/swap columns).")
    boolean noSmaps;

    @Mixin
    ColorOption color;

    @Override
    protected int execute() throws Exception {
        dev.inspector.core.Trace.mark("maps: command parsed");
        Set<RegionKind> wanted = EnumSet.noneOf(RegionKind.class);
        for (String k : kinds) {
            wanted.add(option(() -> Kinds.parse(k)));
        }
        if (perms != null && !onlyPermLetters(perms)) {
            throw usage("--perms takes letters among r, w, x, s, p; not '" + perms + "'");
        }
        MapsView.Filter filter = new MapsView.Filter(wanted, perms);
        Snapshot s = host().session(pid).snapshot(SnapshotOptions.maps().withSmaps(!noSmaps));
        if (json) {
            MapsJson.write(s, filter, out());
            return ExitCodes.OK;
        }
        MapsView.Units units = bytes ? MapsView.Units.BYTES : kib ? MapsView.Units.KIB : MapsView.Units.HUMAN;
        new TextRenderer(style(color)).render(MapsView.present(s, filter, units), out());
        dev.inspector.core.Trace.mark("maps: printed");
        return ExitCodes.OK;
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

package dev.inspector.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/** The top-level {@code inspector} command; each subcommand is one class in this package. */
@Command(name = "inspector",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Inspect the memory of Linux processes: mappings, page residency, snapshots.",
        synopsisSubcommandLabel = "COMMAND",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:Success.",
            "1:Internal error (rerun with --debug and report it), or the output could not be written.",
            "2:Usage error: bad option or argument.",
            "3:No such process.",
            "4:Access denied (run as the target's owner or root).",
            "5:The process exited or its PID was reused during the read.",
            "6:Bad input: malformed /proc text, corrupt snapshot, bad ELF file.",
            "7:Unsupported: this kernel or these privileges lack the feature.",
            "8:lab: an expectation differs from what the kernel showed.",
            "130:Interrupted (Ctrl-C); files written stay valid.",
        },
        footer = {"", "Run 'inspector COMMAND --help' for a command's options. Docs: docs/cli.md"})
public final class InspectorCommand extends BaseCommand {

    /**
     * The subcommands, by name. They are registered with picocli lazily ({@link Main#commandLine}): building a
     * command's model by reflection costs start-up time, so a run builds only the command it executes (all of them
     * only for the top-level help).
     */
    static final java.util.Map<String, Class<?>> SUBCOMMANDS = new java.util.LinkedHashMap<>();

    static {
        SUBCOMMANDS.put("ps", PsCommand.class);
        SUBCOMMANDS.put("maps", MapsCommand.class);
        SUBCOMMANDS.put("pages", PagesCommand.class);
        SUBCOMMANDS.put("translate", TranslateCommand.class);
        SUBCOMMANDS.put("snapshot", SnapshotCommand.class);
        SUBCOMMANDS.put("diff", DiffCommand.class);
        SUBCOMMANDS.put("watch", WatchCommand.class);
        SUBCOMMANDS.put("lab", LabCommand.class);
        SUBCOMMANDS.put("bench", dev.inspector.cli.bench.BenchCommand.class);
        SUBCOMMANDS.put("help", HelpCommand.class);
    }

    @Override
    protected int execute() {
        spec.commandLine().usage(out());
        return ExitCodes.USAGE;
    }
}

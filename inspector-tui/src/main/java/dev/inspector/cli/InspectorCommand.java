package dev.inspector.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/** The top-level {@code inspector} command; each subcommand is one class in this package. */
@Command(name = "inspector",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Inspect the memory of Linux processes: mappings, page residency, snapshots.",
        description = {"Reads /proc (and a few ioctls) of live processes and never changes them unless an option"
            + " says so. Tables fit the terminal's width (--wide shows everything); output into a pipe or a file is"
            + " always whole."},
        synopsisSubcommandLabel = "COMMAND",
        exitCodeListHeading = "%nExit codes:%n",
        footer = {"", "Run 'inspector COMMAND --help' for a command's options. Docs: docs/cli.md; man pages and"
            + " completion: README.md."})
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
        SUBCOMMANDS.put("tui", TuiCommand.class);
        SUBCOMMANDS.put("demo", DemoCommand.class);
        SUBCOMMANDS.put("model", ModelCommand.class);
        SUBCOMMANDS.put("aslr", AslrCommand.class);
        SUBCOMMANDS.put("exporter", ExporterCommand.class);
        SUBCOMMANDS.put("bench", dev.inspector.cli.bench.BenchCommand.class);
        SUBCOMMANDS.put("completion", CompletionCommand.class);
        SUBCOMMANDS.put("help", HelpCommand.class);
    }

    /** No command given: the usage goes to standard error (it is not the output asked for) and the status is 2. */
    @Override
    protected int execute() {
        spec.commandLine().usage(err());
        return ExitCodes.USAGE;
    }
}

package dev.inspector.cli.bench;

import dev.inspector.cli.BaseCommand;
import dev.inspector.cli.ExitCodes;
import picocli.CommandLine.Command;

/**
 * {@code inspector bench}: benchmarks run on this machine, each a subcommand. They measure the variants they compare
 * in one run, interleaved round by round ({@link Timing}), and print medians, ratios and the facts of the host; the
 * results with their commands are kept in docs/perf/.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        header = "The speed targets, measured on this machine.",
        description = {"Benchmarks on this machine: each subcommand compares variants in one run, interleaved round by"
            + " round, and prints medians and ratios. Results are kept in docs/perf/."},
        synopsisSubcommandLabel = "BENCHMARK",
        subcommands = {
            BenchMapsCommand.class,
            BenchExporterCommand.class,
            BenchPagesCommand.class,
            BenchProcmapCommand.class,
            BenchSnapshotCommand.class,
            BenchTuiCommand.class,
        })
public final class BenchCommand extends BaseCommand {
    @Override
    protected int execute() {
        spec.commandLine().usage(out());
        return ExitCodes.USAGE;
    }
}

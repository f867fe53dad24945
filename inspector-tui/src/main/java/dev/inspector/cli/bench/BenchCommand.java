package dev.inspector.cli.bench;

import dev.inspector.cli.BaseCommand;
import dev.inspector.cli.ExitCodes;
import picocli.CommandLine.Command;

/** {@code inspector bench}: the measured speed targets (docs/performance.md), each a subcommand. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Run a benchmark and print medians of interleaved rounds with same-run ratios.",
            "Results and the exact commands are recorded in docs/performance.md."},
        subcommands = {
            BenchMapsCommand.class,
        })
public final class BenchCommand extends BaseCommand {
    @Override
    protected int execute() {
        spec.commandLine().usage(out());
        return ExitCodes.USAGE;
    }
}

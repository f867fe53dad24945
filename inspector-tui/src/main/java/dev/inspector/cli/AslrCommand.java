package dev.inspector.cli;

import dev.inspector.core.aslr.AslrReport;
import dev.inspector.core.aslr.AslrRunner;
import dev.inspector.core.aslr.AslrSample;
import dev.inspector.core.claims.Verdict;
import dev.inspector.core.demo.SampleDirectory;
import dev.inspector.core.json.AslrJson;
import dev.inspector.present.AslrView;
import dev.inspector.present.TextRenderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

@Command(name = "aslr", mixinStandardHelpOptions = true,
        header = "Address-space randomisation: run a program many times, compare.",
        description = {"Runs the 'aslr' sample (or COMMAND) N times and reads, in every run, the base of each region"
            + " kind from the kernel's files of that run: the program, the heap (start_brk), the stack (startstack),"
            + " the loader (AT_BASE), the vDSO (AT_SYSINFO_EHDR), an anonymous mmap (the sample's) and each library"
            + " mapped by then. Per kind it reports the distinct values, the bits that changed (paxtest's count), the"
            + " low bits every run agrees on (the alignment) and a Shannon estimate over the top bits, saying how many"
            + " runs a full estimate would need; which kinds move together; and the published paxtest figures for a"
            + " stock x86-64 kernel beside ours. It flags known pitfalls: 2 MiB-aligned large libraries, and a fork"
            + " without exec keeping its parent's layout (measured with the cow_fork sample).",
            "A COMMAND is ended (SIGTERM) as soon as its layout has been read: it runs only long enough to be laid"
                + " out. Put '--' before a command that has options of its own.",
            "--no-randomize starts each run with ADDR_NO_RANDOMIZE in its persona (personality(2), set through the"
                + " native layer on the thread that starts the child, which fork and exec pass on): the addresses"
                + " then no longer move. The exit status is 8 when a claim differs."})
public final class AslrCommand extends BaseCommand {

    @Parameters(arity = "0..*", paramLabel = "COMMAND",
            description = "The program to run and its arguments (default: the 'aslr' sample).")
    List<String> command = new ArrayList<>();

    @Option(names = {"-n", "--runs"}, paramLabel = "N", defaultValue = "200",
            description = "How many runs (1 to 100000; default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--no-randomize", description = "Run every child with ADDR_NO_RANDOMIZE (ASLR off for it only).")
    boolean noRandomize;

    @Option(names = "--json", description = "Write every run's bases and the summary as JSON.")
    boolean json;

    @Option(names = "--samples", paramLabel = "DIR",
            description = "Directory of the built samples (default: found like 'demo' does).")
    String samples;

    @Mixin
    DisplayOptions display;

    @Override
    protected DisplayOptions display() {
        return json ? null : display;
    }

    @Override
    protected int execute() throws Exception {
        if (runs < 1 || runs > 100_000) {
            throw usage("--runs must be between 1 and 100000, not " + runs);
        }
        var style = style(display);
        AslrRunner runner = new AslrRunner(host(), Duration.ofSeconds(30));
        java.util.Optional<SampleDirectory> found = findSamples(samples);
        SampleDirectory dir = command.isEmpty() ? found.orElseGet(SampleDirectory::locate) : found.orElse(null);
        AslrRunner.Subject subject = new AslrRunner.Subject(dir, command);
        boolean bar = !json && System.console() != null;
        List<AslrSample> results = runner.run(subject, runs, noRandomize, done -> {
            if (bar) {
                err().print("\r" + AslrView.progress(done, runs, 40));
                err().flush();
            }
        });
        if (bar) {
            err().print("\r" + " ".repeat(60) + "\r");
            err().flush();
        }
        String fork = dir == null ? null : runner.forkKeepsLayout(dir);
        AslrReport report = AslrReport.analyse(subject.display(), subject.isSample(), noRandomize, results,
                runner.settings(), fork);
        if (json) {
            AslrJson.write(report, out());
        } else {
            new TextRenderer(style, width(display)).render(AslrView.present(report), out());
        }
        return report.outcome().verdict() == Verdict.DIFFERS ? ExitCodes.CLAIM_DIFFERS : ExitCodes.OK;
    }
}

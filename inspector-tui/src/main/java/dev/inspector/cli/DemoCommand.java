package dev.inspector.cli;

import dev.inspector.core.claims.Verdict;
import dev.inspector.core.demo.Demo;
import dev.inspector.core.demo.DemoRun;
import dev.inspector.core.demo.DemoRunner;
import dev.inspector.core.demo.Demos;
import dev.inspector.core.demo.SampleDirectory;
import dev.inspector.core.demo.StepReport;
import dev.inspector.core.json.DemoJson;
import dev.inspector.present.DemoView;
import dev.inspector.present.TextRenderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

@Command(name = "demo", mixinStandardHelpOptions = true,
        header = "Guided demos: the documents' claims checked on live samples.",
        description = {"Without NAME: lists the demos, one line each. With NAME: runs that demo's sample program and"
            + " stops at each of its steps to show what the program just did, what the documents claim (paraphrased,"
            + " with the claim's id in docs/model/claims.md and the document's file name), the relevant change in the"
            + " process's map (mappings, page faults, memory, present pages, frames as root) and a verdict for each"
            + " claim, computed from what the kernel shows at that moment: holds, holds with a nuance (stated),"
            + " differs (and why), or cannot be checked here (and what is missing: root, a hugetlb pool, 32-bit"
            + " support ...).",
            "Enter moves to the next step; --yes runs straight through. --tui plays it in the terminal UI: the"
                + " sample's live map (as 'inspector tui PID' shows it) with the step, its change and each claim's"
                + " verdict in the lower pane and the mapping the step touched selected; Enter or x goes on (with --yes"
                + " every 3 s), q ends it. The sample is only read, never changed; it is ended when the demo stops.",
            "The exit status is 8 when a claim differs on this kernel (several demos show such claims on purpose), 9"
                + " when the sample misbehaves; a claim that cannot be checked here alone does not fail the run."})
public final class DemoCommand extends BaseCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", completionCandidates = Candidates.DemoNames.class,
            description = "The demo to run (omit to list them).")
    String name;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "ARG",
            description = "Arguments for the sample instead of the demo's own (see the sample's --help), e.g."
                + " 'stack_overflow gap'.")
    List<String> args = new ArrayList<>();

    @Option(names = {"-y", "--yes"}, description = "Run every step without waiting for Enter.")
    boolean yes;

    @Option(names = "--json", description = "Write the steps and verdicts as one JSON document (runs without pausing).")
    boolean json;

    @Option(names = "--tui", description = "Play the demo in the terminal UI, the live map beside the narration.")
    boolean tui;

    @Option(names = "--samples", paramLabel = "DIR",
            description = "Directory of the built samples (default: native-samples/target/bin above the jar or the"
                + " working directory).")
    String samples;

    @Option(names = "--wrong", paramLabel = "STEP",
            description = "Add a deliberately wrong expectation to every stop named STEP (\"the process has no"
                + " [stack] mapping\"), to see a verdict that differs; the exit status is then 8.")
    String wrong;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "How long to wait for each step of the sample (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Mixin
    DisplayOptions display;

    @Override
    protected DisplayOptions display() {
        return json ? null : display;
    }

    @Override
    protected int execute() throws Exception {
        if (tui && (json || name == null)) {
            throw usage(name == null ? "--tui plays one demo: give its NAME (inspector demo lists them)"
                    : "--tui and --json do not go together: the map is a screen, --json a document");
        }
        if (name == null) {
            if (json) {
                DemoJson.list(Demos.all(), out());
            } else {
                renderer(display).render(DemoView.list(Demos.all()), out());
            }
            return ExitCodes.OK;
        }
        Demo demo = choice(name, new Candidates.DemoNames(), () -> Demos.get(name));
        if (timeoutSeconds < 1) {
            throw usage("--timeout must be at least 1 second, not " + timeoutSeconds);
        }
        if (wrong != null && demo.step(wrong) == null) {
            throw usage("demo '" + demo.name() + "' has no step '" + wrong + "'");
        }
        TextRenderer text = renderer(display);
        SampleDirectory dir = findSamples(samples).orElseGet(SampleDirectory::locate);
        DemoRunner runner = new DemoRunner(host(), dir, Duration.ofSeconds(timeoutSeconds));
        if (wrong != null) {
            runner.expect(wrong, Demos.wrongExpectation());
        }
        if (tui && dir.unavailable(demo.program()).isEmpty()) {
            return runTui(runner, demo, text);
        }
        // (with --tui too when the sample cannot run here: there is no map to show, only why)
        boolean pause = !yes && !json;
        BufferedReader input = pause ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                : null;
        boolean[] pausing = {pause};
        DemoRun run = runner.run(demo, args, new DemoRunner.Listener() {
            @Override
            public void started(Demo d, List<String> command, int pid) {
                if (!json) {
                    text.render(DemoView.header(d, command, pid), out());
                    out().flush();
                }
            }

            @Override
            public void stopped(StepReport r) {
                if (json) {
                    return;
                }
                text.render(DemoView.step(r), out());
                if (pausing[0] && !demo.last().contains(r.name())) {
                    text.render(DemoView.prompt(), out());
                    out().flush();
                    try {
                        if (input.readLine() == null) {
                            pausing[0] = false; // end of input: go on without waiting
                            out().println();
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException("reading standard input", e);
                    }
                }
            }
        });
        if (json) {
            DemoJson.write(run, out());
        } else {
            if (run.unavailable() != null) {
                text.render(DemoView.header(demo, List.of(), 0), out());
            }
            text.render(DemoView.summary(run), out());
        }
        return run.outcome().verdict() == Verdict.DIFFERS ? ExitCodes.CLAIM_DIFFERS : ExitCodes.OK;
    }

    /**
     * The demo in the map screen of its sample; after the screen closes, the summary is printed as the text walk
     * prints it and the exit status is the text walk's. Quitting mid-demo ends the sample, prints how far it got with the
     * verdicts so far, and exits 0, or 8 when a claim judged so far differs.
     */
    private int runTui(DemoRunner runner, Demo demo, TextRenderer text) throws Exception {
        dev.inspector.tui.Palette palette = option(() -> dev.inspector.tui.Palette.forMode(
                display.color.toLowerCase(java.util.Locale.ROOT), System.getenv()));
        TuiCommand.requireTerminal("without one, run the demo as text (--yes to go straight through, --json)");
        dev.inspector.tui.DemoSource src = new dev.inspector.tui.DemoSource(host(), runner, demo, args,
                Duration.ofSeconds(1), 0.05, yes ? Duration.ofSeconds(3) : null);
        int code;
        try (dev.inspector.tui.Tui t = dev.inspector.tui.Tui.open(palette)) {
            code = t.map(new dev.inspector.tui.MapModel(dev.inspector.tui.MapModel.Mode.DEMO, "demo " + demo.name(),
                    Duration.ofSeconds(1)), src);
        } finally {
            src.stop();
        }
        if (src.error() != null) {
            throw src.error(); // a sample that misbehaved: its own message and exit status, after the screen
        }
        DemoRun run = src.run();
        if (code != ExitCodes.OK) {
            return code;
        }
        if (run == null) {
            // closed mid-demo: how far it got, and a claim seen to differ still says so in the status
            List<dev.inspector.core.demo.StepReport> shown = src.reports();
            text.render(DemoView.header(demo, src.command(), src.pid()), out());
            text.render(DemoView.partial(shown), out());
            boolean differs = shown.stream().flatMap(r -> r.checks().stream())
                    .anyMatch(c -> c.verdict() == Verdict.DIFFERS);
            return differs ? ExitCodes.CLAIM_DIFFERS : ExitCodes.OK;
        }
        text.render(DemoView.header(demo, run.command(), run.pid()), out());
        text.render(DemoView.summary(run), out());
        return run.outcome().verdict() == Verdict.DIFFERS ? ExitCodes.CLAIM_DIFFERS : ExitCodes.OK;
    }
}

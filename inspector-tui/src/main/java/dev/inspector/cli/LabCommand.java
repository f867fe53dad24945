package dev.inspector.cli;

import dev.inspector.core.claims.Verdict;
import dev.inspector.core.json.LabJson;
import dev.inspector.core.lab.Lab;
import dev.inspector.core.lab.StepResult;
import dev.inspector.present.Block;
import dev.inspector.present.LabView;
import dev.inspector.present.Line;
import dev.inspector.present.TextRenderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

@Command(name = "lab", mixinStandardHelpOptions = true,
        header = "Experiments on the inspector's own memory, checked live.",
        description = {"Experiments the inspector performs on its OWN process through system calls, each showing the"
            + " before and after of its own maps, smaps, pagemap and fault counts: mmap, read (zero page), write,"
            + " mprotect (one mapping splits into three, then merges back), madvise(MADV_DONTNEED), naming with prctl,"
            + " munmap, and moving the program break with brk.",
            "Each step states what it expects (citing the catalogue's claim where one applies), measures it now, and"
            + " says per expectation and per step: holds, holds with a nuance (stated), differs (and what the kernel"
            + " showed), or cannot be checked here (and what is missing). The lab changes only the inspector's own"
            + " process: no other process is touched.",
            "The exit status is 8 when a step differs; a step that cannot be checked here alone does not fail the run."})
public final class LabCommand extends BaseCommand {

    @Option(names = "--pages", paramLabel = "N", defaultValue = "64",
            description = "Pages in the lab's region (3 to 262144; default: ${DEFAULT-VALUE}).")
    int pages;

    @Option(names = "--write", paramLabel = "K", defaultValue = "16",
            description = "How many of them the write step writes (0 to N; default: ${DEFAULT-VALUE}).")
    int write;

    @Option(names = "--step", paramLabel = "NAME", completionCandidates = Candidates.LabSteps.class,
            description = "Run one step (the steps it needs run first and are listed in one line each).")
    String step;

    @Option(names = "--list", description = "List the steps and exit.")
    boolean list;

    @Option(names = "--wrong", paramLabel = "NAME", completionCandidates = Candidates.LabSteps.class,
            description = "Add a deliberately wrong expectation to step NAME (its present count plus one), to see"
                + " a verdict that differs; the exit code is then 8.")
    String wrong;

    @Option(names = "--json", description = "Write the results as JSON.")
    boolean json;

    @Option(names = "--tui",
            description = "Run the steps in the full-screen map of the inspector's own process ('inspector tui self'),"
                + " one every --pace, so each change shows as it happens; x runs the next step at once.")
    boolean tui;

    @Option(names = "--pace", paramLabel = "DURATION", defaultValue = "3s",
            description = "With --tui: time between steps (default: ${DEFAULT-VALUE}).")
    String pace;

    @Mixin
    DisplayOptions display;

    @Override
    protected DisplayOptions display() {
        return json ? null : display;
    }

    @Override
    protected int execute() throws Exception {
        if (tui) {
            return runTui();
        }
        exclusive("--list", list, "--json", json);
        exclusive("--list", list, "--step", step != null);
        exclusive("--list", list, "--wrong", wrong != null);
        if (list) {
            renderer(display).render(LabView.list(Lab.STEPS), out());
            return ExitCodes.OK;
        }
        TextRenderer renderer = json ? null : renderer(display);
        Lab.Options opts = option(() -> new Lab.Options(pages, write));
        // Step names take any case; from here on they are the lab's own spelling.
        String step = this.step == null ? null
                : choice(this.step, new Candidates.LabSteps(), () -> Lab.step(this.step)).name();
        String wrong = this.wrong == null ? null
                : choice(this.wrong, new Candidates.LabSteps(), () -> Lab.step(this.wrong)).name();
        List<StepResult> results;
        Lab.Setup setup;
        try (Lab lab = new Lab(opts, host().procFs(), host().features())) {
            if (wrong != null) {
                lab.expect(wrong, lab.wrongExpectation(wrong));
            }
            setup = lab.setup();
            results = step == null ? lab.runAll() : lab.runThrough(step);
        }
        if (json) {
            LabJson.write(setup, results, out());
        } else {
            List<Block> text = new ArrayList<>(LabView.header(setup));
            if (step != null && results.size() > 1) {
                text.add(Line.blank());
                text.add(Line.of("ran first, to set the stage:"));
                for (StepResult r : results.subList(0, results.size() - 1)) {
                    text.add(LabView.brief(r));
                }
            }
            int from = step == null ? 0 : results.size() - 1;
            for (int i = from; i < results.size(); i++) {
                text.addAll(LabView.step(results.get(i), i + 1, results.size()));
            }
            text.addAll(LabView.summary(results));
            renderer.render(text, out());
        }
        // Only a claim that differs fails the run: one that cannot be checked here is reported, not an error.
        return Lab.overall(results).verdict() == Verdict.DIFFERS ? ExitCodes.CLAIM_DIFFERS : ExitCodes.OK;
    }

    /** The lab's steps in the live map of this process; the exit status is the text lab's (8 when a step differs). */
    private int runTui() throws Exception {
        if (json || list || step != null || wrong != null) {
            throw usage("--tui runs every step in the map; it cannot be combined with --json, --list, --step or"
                    + " --wrong");
        }
        java.time.Duration every = option(() -> Durations.parse("--pace", pace));
        Lab.Options opts = option(() -> new Lab.Options(pages, write));
        dev.inspector.tui.Palette palette = option(() -> dev.inspector.tui.Palette.forMode(
                display.color.toLowerCase(java.util.Locale.ROOT), System.getenv()));
        TuiCommand.requireTerminal();
        Lab lab = new Lab(opts, host().procFs(), host().features());
        dev.inspector.tui.LabSource src = new dev.inspector.tui.LabSource(host(), lab, java.time.Duration.ofSeconds(1),
                0.05, every);
        int code;
        try {
            src.begin();
            src.awaitFirst(java.time.Duration.ofSeconds(5));
            try (dev.inspector.tui.Tui t = dev.inspector.tui.Tui.open(palette)) {
                code = t.map(new dev.inspector.tui.MapModel(dev.inspector.tui.MapModel.Mode.LAB, "the lab (self)",
                        java.time.Duration.ofSeconds(1)), src);
            }
        } finally {
            src.stop();
        }
        List<StepResult> results = src.results();
        if (code == ExitCodes.OK && !results.isEmpty()) {
            renderer(display).render(LabView.summary(results), out());
            return Lab.overall(results).verdict() == Verdict.DIFFERS ? ExitCodes.CLAIM_DIFFERS : ExitCodes.OK;
        }
        return code;
    }
}

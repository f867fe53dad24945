package dev.inspector.cli;

import dev.inspector.core.checklist.ModelChecklist;
import dev.inspector.core.checklist.ModelReport;
import dev.inspector.core.claims.Verdict;
import dev.inspector.core.demo.SampleDirectory;
import dev.inspector.core.json.ModelJson;
import dev.inspector.present.ModelView;
import dev.inspector.present.TextRenderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;


@Command(name = "model", mixinStandardHelpOptions = true,
        header = "The documents' model of process memory as a checklist, measured.",
        description = {"Checks, line by line and each from evidence read now: the page size and the huge page sizes,"
            + " the address width and the highest user address (4- or 5-level paging), the user/kernel split (why"
            + " 3G/1G does not hold on x86-64, and what a 32-bit process sees, where this machine can run one), the"
            + " ASLR mode, the order of the process's segments (text < data < bss < heap < mmap area < stack) and its"
            + " mmap layout (the legacy bottom-up one when RLIMIT_STACK is unlimited), the stack's direction, the"
            + " kernel's presence, frame numbers, and facts that depend on the kernel version ([vvar_vclock], named"
            + " anonymous memory, pagemap bits).",
            "Without PID the process checked is the inspector itself. Each line cites the claim of docs/model/claims.md"
                + " it checks (or none, for a fact of our own) and names the files its evidence came from.",
            "The exit status is 8 when a line differs: on x86-64 some of the documents' claims always do."})
public final class ModelCommand extends BaseCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "PID", converter = PidConverter.class,
            description = "The process to check (default: the inspector itself).")
    Integer pid;

    @Option(names = "--json", description = "Write the checklist as JSON.")
    boolean json;

    @Option(names = "--samples", paramLabel = "DIR",
            description = "Directory of the built samples, for the 32-bit probe (default: found like 'demo' does).")
    String samples;

    @Mixin
    DisplayOptions display;

    @Override
    protected DisplayOptions display() {
        return json ? null : display;
    }

    @Override
    protected int execute() throws Exception {
        var style = style(display);
        ModelReport r = new ModelChecklist(host(), findSamples(samples)).check(pid);
        if (json) {
            ModelJson.write(r, out());
        } else {
            new TextRenderer(style, width(display)).render(ModelView.present(r), out());
        }
        return r.outcome().verdict() == Verdict.DIFFERS ? ExitCodes.CLAIM_DIFFERS : ExitCodes.OK;
    }
}

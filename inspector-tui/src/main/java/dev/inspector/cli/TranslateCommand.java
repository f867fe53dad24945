package dev.inspector.cli;

import dev.inspector.core.residency.AddressTranslation;
import dev.inspector.core.model.HostInfo;
import dev.inspector.core.json.TranslateJson;
import dev.inspector.present.TranslateView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "translate", mixinStandardHelpOptions = true,
        header = "One address through the page tables to its physical frame.",
        description = {"Follow one virtual address of a process the way the MMU does: the mapping that holds it, its"
            + " page number and offset, the page-table indices for this host's paging depth (PGD/P4D/PUD/PMD/PTE and"
            + " offset bits, with the 2 MiB view for huge pages), the pagemap entry, and as root the PFN, physical"
            + " address, kpageflags, kpagecount and the /proc/iomem RAM range.",
            "When the page has no frame it says exactly why: never touched, swapped, zero page, PFN hidden, not"
                + " mapped (naming the gap), non-canonical or kernel-half address. Read-only: the target's pages"
                + " are never touched.",
            "Exit 0 whenever the explanation was printed, whatever the outcome; --json carries it as 'outcome'."})
public final class TranslateCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "PID", converter = PidConverter.class,
            description = "Process id, or 'self' for the inspector itself.")
    int pid;

    @Parameters(index = "1", paramLabel = "ADDR",
            description = "Virtual address in hex, 0x optional (e.g. 0x7ffd1234abcd or 7ffd1234abcd).")
    String addr;

    @Option(names = "--json", description = "Write the translation as JSON.")
    boolean json;

    @Mixin
    DisplayOptions display;

    @Override
    protected DisplayOptions display() {
        return json ? null : display;
    }

    @Override
    protected int execute() throws Exception {
        long va = option(() -> parseAddress(addr, "ADDR"));
        HostInfo host = host().basicInfo();
        AddressTranslation.Result r = host().session(pid).translate(va);
        if (json) {
            TranslateJson.write(r, host, out());
        } else {
            renderer(display).render(TranslateView.present(r, host), out());
        }
        return ExitCodes.OK;
    }

    /** Hex with an optional 0x, 1 to 16 digits, as an unsigned 64-bit value. */
    static long parseAddress(String text, String what) {
        String t = text.trim();
        String digits = t.startsWith("0x") || t.startsWith("0X") ? t.substring(2) : t;
        if (digits.isEmpty() || digits.length() > 16) {
            throw new IllegalArgumentException(what + " '" + text + "' is not a 64-bit hex address");
        }
        for (int i = 0; i < digits.length(); i++) {
            if (Character.digit(digits.charAt(i), 16) < 0) {
                throw new IllegalArgumentException(what + " '" + text + "' is not a hex address (digits 0-9, a-f,"
                        + " optional 0x)");
            }
        }
        return Long.parseUnsignedLong(digits, 16);
    }
}

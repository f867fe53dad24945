package dev.inspector.present;

import dev.inspector.core.aslr.AslrReport;
import dev.inspector.core.aslr.AslrStats;
import dev.inspector.core.claims.Check;
import dev.inspector.core.claims.Tally;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * Renders {@code inspector aslr}: per region kind the distinct values, the bits that changed, the fixed low bits
 * (alignment) and the Shannon estimate over the top bits, with the runs it would take to measure all bits that way;
 * the kinds that move together; the published paxtest figures beside ours; pitfalls; the claims.
 */
public final class AslrView {

    private AslrView() {
    }

    /** A progress bar for a terminal: "[#####     ] 57/200", to be written after a carriage return. */
    public static String progress(int done, int total, int width) {
        int filled = total == 0 ? width : (int) ((long) done * width / total);
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < width; i++) {
            b.append(i < filled ? '#' : ' ');
        }
        return b.append("] ").append(done).append('/').append(total).toString();
    }

    public static void print(AslrReport r, Style style, PrintWriter out) {
        AslrReport.Settings s = r.settings();
        out.println(style.bold("inspector aslr") + ": " + r.runs().size() + " runs of "
                + Escape.forTerminal(String.join(" ", r.command())) + (r.noRandomize()
                ? " with ADDR_NO_RANDOMIZE (personality, set for each child through JNA)" : ""));
        out.println("kernel: Linux " + Escape.forTerminal(s.kernelRelease()) + ", randomize_va_space "
                + value(s.randomizeVaSpace()) + ", vm.mmap_rnd_bits " + value(s.mmapRndBits())
                + ", vm.mmap_rnd_compat_bits " + value(s.mmapRndCompatBits()));
        out.println();
        TextTable t = new TextTable(new String[] {"KIND", "DISTINCT", "BITS", "FIXED LOW", "SHANNON", "LOWEST",
            "HIGHEST"}, new TextTable.Align[] {TextTable.Align.LEFT, TextTable.Align.RIGHT, TextTable.Align.RIGHT,
            TextTable.Align.RIGHT, TextTable.Align.RIGHT, TextTable.Align.LEFT, TextTable.Align.LEFT});
        int maxBins = 0;
        for (AslrStats.KindStats k : r.kinds()) {
            maxBins = Math.max(maxBins, k.shannonBinBits());
            t.row(Escape.forTerminal(k.kind()), k.distinct() + "/" + k.runs(), Integer.toString(k.changedBits()),
                    k.changedMask() == 0 ? "-" : k.lowFixedBits() + " (" + Format.size(1L << k.lowFixedBits()) + ")",
                    k.shannonBinBits() == 0 ? "-" : String.format(Locale.ROOT, "%.2f of %d", k.shannonBits(),
                            k.shannonBinBits()), Format.hex(k.min()), Format.hex(k.max()));
        }
        t.print(out, style);
        out.println();
        out.println("BITS: bit positions that vary among the offsets from the lowest value (paxtest's count, without"
                + " its carries); it needs few runs.");
        out.println("SHANNON: entropy of the top k varying bits over 2^k bins, k = floor(log2(runs / 5)) = " + maxBins
                + " here; " + sampleSize(r) + ".");
        if (!r.together().isEmpty()) {
            out.println();
            for (List<String> g : r.together()) {
                out.println("moves together (constant offsets): " + Escape.forTerminal(String.join(", ", g)));
            }
        }
        out.println();
        TextTable p = new TextTable(new String[] {"PAXTEST (stock x86-64)", "PUBLISHED", "HERE", "KIND", "NOTE"},
                new TextTable.Align[] {TextTable.Align.LEFT, TextTable.Align.RIGHT, TextTable.Align.RIGHT,
                    TextTable.Align.LEFT, TextTable.Align.LEFT});
        for (AslrReport.Reference ref : r.references()) {
            p.row(ref.test(), ref.published() + " bits", ref.measured() < 0 ? "-" : ref.measured() + " bits",
                    Escape.forTerminal(ref.kind()), ref.note());
        }
        p.print(out, style);
        if (!r.pitfalls().isEmpty()) {
            out.println();
            out.println("pitfalls:");
            for (String x : r.pitfalls()) {
                out.println("  - " + Escape.forTerminal(x));
            }
        }
        out.println();
        for (Check c : r.checks()) {
            DemoView.check(c, style, out);
        }
        Tally tally = r.outcome().tally();
        out.println();
        out.println("summary: " + style.apply(Style.GREEN, tally.holds() + " hold") + ", "
                + style.apply(tally.holdsWithNuance() > 0 ? Style.CYAN : null, tally.holdsWithNuance()
                + " hold with a nuance") + ", " + style.apply(tally.differs() > 0 ? Style.RED : null, tally.differs()
                + " differ") + ", " + style.apply(tally.cannotCheck() > 0 ? Style.YELLOW : null, tally.cannotCheck()
                + " cannot be checked here"));
    }

    /** What the Shannon estimate of the most random kind would need to cover all its bits, said plainly. */
    static String sampleSize(AslrReport r) {
        AslrStats.KindStats most = null;
        for (AslrStats.KindStats k : r.kinds()) {
            if (most == null || k.changedBits() > most.changedBits()) {
                most = k;
            }
        }
        if (most == null || most.changedBits() == 0) {
            return "nothing varied";
        }
        return "estimating all " + most.changedBits() + " bits of " + most.kind() + " that way would need about "
                + String.format(Locale.ROOT, "%.2g", most.runsForAllBits()) + " runs (5 per bin)";
    }

    private static String value(Long v) {
        return v == null ? "? (root only)" : v.toString();
    }
}
